package dev.samsa.harness.perf;

import dev.samsa.harness.check.queue.QueueHistoryJson;
import dev.samsa.harness.fault.FaultPlan;
import dev.samsa.harness.run.RunSpec;
import dev.samsa.harness.run.SeedResult;
import dev.samsa.harness.run.SeedRunner;
import dev.samsa.harness.sim.TraceSink;
import dev.samsa.harness.workload.queue.QueueOp;
import dev.samsa.reports.perf.DurabilityReport;
import dev.samsa.reports.perf.PerfReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;

/**
 * The seed article's durability table: its three configurations run through the {@code queue}
 * workload on the same seeds, hence the same fault plans (a plan is drawn from the seed alone).
 * Per configuration: acknowledged values ({@code values.acked}), lost ones ({@code values.lost}
 * + {@code values.unseen}), refused sends ({@code send.fail}), seeds with any loss, and the
 * produce latency of ok sends from each seed's history.
 */
public final class DurabilityTable {

    /** One of the article's configurations. */
    public record Configuration(String name, String behaviour, Map<String, String> settings) {}

    public static final List<Configuration> CONFIGURATIONS = List.of(
            configuration("RF=3, min.isr=2, acks=all", "tolerates 1 broker failure; recommended for production", "2", "all"),
            configuration("RF=3, min.isr=1, acks=all", "2 broker failures (reads), 0 for writes if 2 die; lower durability", "1", "all"),
            configuration("RF=3, min.isr=2, acks=1", "leader failure only if data replicated in time; fast but risky", "2", "1"));

    private DurabilityTable() {}

    private static Configuration configuration(String name, String behaviour, String minIsr, String acks) {
        TreeMap<String, String> s = new TreeMap<>();
        s.put("default.replication.factor", "3");
        s.put("sim.brokers", "3");
        s.put("min.insync.replicas", minIsr);
        s.put("acks", acks);
        return new Configuration(name, behaviour, s);
    }

    /** The spec of one configuration: its settings over {@code extra} (e.g. shorter phases). */
    public static RunSpec spec(Configuration c, FaultPlan.Profile faults, Map<String, String> extra) {
        TreeMap<String, String> s = new TreeMap<>(extra);
        s.putAll(c.settings());
        return new RunSpec("queue", s, EnumSet.noneOf(dev.samsa.spec.bugs.Bug.class), faults);
    }

    public static DurabilityReport run(int seeds, FaultPlan.Profile faults, Map<String, String> extra, int threads) {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads), r -> {
            Thread t = new Thread(r, "samsa-durability");
            t.setDaemon(true);
            return t;
        });
        try {
            List<List<Future<Outcome>>> futures = new ArrayList<>();
            for (Configuration c : CONFIGURATIONS) {
                RunSpec spec = spec(c, faults, extra);
                List<Future<Outcome>> fs = new ArrayList<>();
                for (long seed = 0; seed < seeds; seed++) {
                    long s = seed;
                    fs.add(pool.submit(() -> runSeed(spec, s)));
                }
                futures.add(fs);
            }
            List<DurabilityReport.Row> rows = new ArrayList<>();
            List<PerfReport.LatencyRow> latency = new ArrayList<>();
            for (int i = 0; i < CONFIGURATIONS.size(); i++) {
                List<Outcome> outcomes = new ArrayList<>();
                for (Future<Outcome> f : futures.get(i)) {
                    outcomes.add(f.get());
                }
                Configuration c = CONFIGURATIONS.get(i);
                rows.add(row(c, outcomes, spec(c, faults, extra), seeds));
                latency.add(PerfSweep.latencyRow(c.name(), outcomes.stream().map(o -> new PerfRun.Sample(o.seed(), 0, 0, 0, o.sendLatencyMicros(),
                        o.sendLatencyMicros(), List.of(), 0, 0)).toList(), PerfRun.Sample::produceLatencyMicros, 1_000.0));
            }
            return new DurabilityReport(faults.label(), seeds, rows, latency);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    private static DurabilityReport.Row row(Configuration c, List<Outcome> outcomes, RunSpec spec, int seeds) {
        long acked = 0;
        long lost = 0;
        long refused = 0;
        int withLoss = 0;
        for (Outcome o : outcomes) {
            Map<String, Long> st = o.result().stats();
            long l = st.getOrDefault("values.lost", 0L) + st.getOrDefault("values.unseen", 0L);
            acked += st.getOrDefault("values.acked", 0L);
            lost += l;
            refused += st.getOrDefault("send.fail", 0L);
            withLoss += l > 0 ? 1 : 0;
        }
        String command = "./samsa run " + spec.cliOptions() + " --seeds " + seeds;
        return new DurabilityReport.Row(c.name(), c.behaviour(), acked, lost, refused, withLoss, command);
    }

    /** One seed's result and the latency of its ok sends (read back from its history file). */
    record Outcome(long seed, SeedResult result, Histogram sendLatencyMicros) {}

    static Outcome runSeed(RunSpec spec, long seed) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("samsa-durability-");
            SeedResult r = SeedRunner.run(spec, seed, TraceSink.NONE, false, Optional.of(dir));
            Histogram h = new Histogram(FirehoseClient.MAX_LATENCY_MICROS, 3);
            Path history = dir.resolve("history.jsonl");
            if (Files.exists(history)) {
                for (QueueOp op : QueueHistoryJson.read(history).ops()) {
                    if (op.type() == QueueOp.Type.SEND && op.outcome() == QueueOp.Outcome.OK) {
                        h.recordValue(Math.min(FirehoseClient.MAX_LATENCY_MICROS, Math.max(0, (op.completeNanos() - op.invokeNanos()) / 1_000L)));
                    }
                }
            }
            return new Outcome(seed, r, h);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deleteQuietly(dir);
        }
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // a temp directory left behind is harmless
        }
    }
}
