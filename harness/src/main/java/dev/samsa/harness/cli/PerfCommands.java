package dev.samsa.harness.cli;

import dev.samsa.harness.fault.FaultPlan;
import dev.samsa.harness.perf.DurabilityTable;
import dev.samsa.harness.perf.PerfSweep;
import dev.samsa.reports.perf.DurabilityReport;
import dev.samsa.reports.perf.DurabilityReportWriter;
import dev.samsa.reports.perf.PerfReport;
import dev.samsa.reports.perf.PerfReportWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code perf} and {@code durability}: the throughput/latency report and the seed article's durability table. */
final class PerfCommands {

    private PerfCommands() {}

    static TreeMap<String, String> parseSettings(List<String> kvs) {
        TreeMap<String, String> fixed = new TreeMap<>();
        for (String kv : kvs) {
            int eq = kv.indexOf('=');
            if (eq <= 0) {
                throw new UsageException("--set needs KEY=VALUE, got '" + kv + "'");
            }
            fixed.put(kv.substring(0, eq).trim(), kv.substring(eq + 1).trim());
        }
        try {
            dev.samsa.spec.config.Settings.defaults().withAll(fixed);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        return fixed;
    }

    static void checkSeeds(int seeds) {
        if (seeds < 1 || seeds > 1000) {
            throw new UsageException("--seeds must be between 1 and 1000, got " + seeds);
        }
    }

    static int threads() {
        return Math.max(1, Runtime.getRuntime().availableProcessors());
    }

    static String setOptions(TreeMap<String, String> fixed) {
        StringJoiner j = new StringJoiner("");
        fixed.forEach((k, v) -> j.add(" --set " + k + "=" + v));
        return j.toString();
    }

    @Command(name = "perf", mixinStandardHelpOptions = true,
            description = "Throughput and latency in simulated time (fault-free): produce latency for acks 0/1/all, throughput across "
                    + "linger.ms x batch.size x compression.type, end-to-end latency, consumer lag; writes perf.md and perf.html.")
    static final class Perf implements Callable<Integer> {

        @Option(names = "--seeds", paramLabel = "N", defaultValue = "5", description = "Seeds per configuration (default: ${DEFAULT-VALUE}).")
        int seeds;

        @Option(names = "--out", paramLabel = "DIR", defaultValue = "samsa-perf", description = "Where perf.md and perf.html go (default: ${DEFAULT-VALUE}).")
        Path out;

        @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Fix a setting in every configuration (repeatable).")
        List<String> settings = new ArrayList<>();

        @Override
        public Integer call() {
            checkSeeds(seeds);
            TreeMap<String, String> fixed = parseSettings(settings);
            String command = "./samsa perf --seeds " + seeds + setOptions(fixed);
            long start = System.nanoTime();
            PerfReport r;
            try {
                r = PerfSweep.run(PerfSweep.defaultPlan(seeds, fixed), threads(), command);
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
            write(() -> PerfReportWriter.writeBoth(r, out));
            System.out.printf("perf: %d configurations x %d seeds in %.1f s; wrote %s and %s%n", r.produceLatency().size() + r.throughput().size(),
                    seeds, (System.nanoTime() - start) / 1e9, out.resolve("perf.md"), out.resolve("perf.html"));
            r.produceLatency().forEach(l -> System.out.printf("  produce latency %-10s p50 %s ms  p99 %s ms  p99.9 %s ms%n", l.config(),
                    l.p50Ms().format(2), l.p99Ms().format(2), l.p999Ms().format(2)));
            return 0;
        }
    }

    @Command(name = "durability", mixinStandardHelpOptions = true,
            description = "The seed article's durability table: RF=3 with min.isr=2/acks=all, min.isr=1/acks=all, min.isr=2/acks=1 on the "
                    + "same seeds and fault plans (queue workload); writes durability.md and durability.html.")
    static final class Durability implements Callable<Integer> {

        @Option(names = "--seeds", paramLabel = "N", defaultValue = "5", description = "Seeds 0..N-1 per configuration (default: ${DEFAULT-VALUE}).")
        int seeds;

        @Option(names = "--out", paramLabel = "DIR", defaultValue = "samsa-durability",
                description = "Where durability.md and durability.html go (default: ${DEFAULT-VALUE}).")
        Path out;

        @Option(names = "--faults", paramLabel = "PROFILE", defaultValue = "unrestricted",
                description = "Fault profile (default: ${DEFAULT-VALUE}, which lets lossy crashes exceed what min.isr=1 survives); also power, kill.")
        String faults;

        @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Fix a setting in every configuration, e.g. --set sim.faults.ms=20000 (repeatable).")
        List<String> settings = new ArrayList<>();

        @Override
        public Integer call() {
            checkSeeds(seeds);
            FaultPlan.Profile profile;
            try {
                profile = FaultPlan.Profile.parse(faults);
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
            TreeMap<String, String> fixed = parseSettings(settings);
            long start = System.nanoTime();
            DurabilityReport r = DurabilityTable.run(seeds, profile, fixed, threads());
            write(() -> DurabilityReportWriter.writeBoth(r, out));
            System.out.printf("durability: 3 configurations x %d seeds (--faults %s) in %.1f s; wrote %s and %s%n", seeds, profile.label(),
                    (System.nanoTime() - start) / 1e9, out.resolve("durability.md"), out.resolve("durability.html"));
            for (DurabilityReport.Row row : r.rows()) {
                System.out.printf("  %-28s acknowledged %7d  lost %5d  refused %5d  seeds with loss %d%n", row.config(), row.acknowledged(), row.lost(),
                        row.refused(), row.seedsWithLoss());
            }
            return 0;
        }
    }

    private interface IoAction {
        void run() throws IOException;
    }

    private static void write(IoAction a) {
        try {
            a.run();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
