package dev.samsa.harness.cli;

import dev.samsa.harness.run.Campaign;
import dev.samsa.harness.run.RunSpec;
import dev.samsa.harness.run.SeedRange;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run many seeds on all cores and check every invariant. Exit 0: all held; 1: a violation was found; 2: bad usage.")
final class RunCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Option(names = "--seeds", paramLabel = "N|A..B", defaultValue = "500",
            description = "How many seeds (0..N-1), or an inclusive range A..B (default: ${DEFAULT-VALUE}).")
    String seeds;

    @Option(names = "--threads", paramLabel = "N", description = "Worker threads (default: all cores).")
    Integer threads;

    @Option(names = "--max-failures", paramLabel = "N", description = "Stop once N seeds have failed (1 to hunt a bug).")
    Integer maxFailures;

    @Option(names = "--shard", paramLabel = "I/N", description = "Run only the I-th (0-based) of N slices of the seed range, for fan-out.")
    String shard;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "samsa-out", description = "Output directory (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--recheck-every", paramLabel = "N", defaultValue = "10",
            description = "Re-run every N-th seed and compare trace hashes to prove determinism; 0 turns it off (default: ${DEFAULT-VALUE}).")
    int recheckEvery;

    @Option(names = "--no-progress", description = "No progress line, even on a terminal.")
    boolean noProgress;

    @Override
    public Integer call() {
        if (!common.workloadGiven()) {
            return suite();
        }
        return campaign(common.toSpec(), out);
    }

    /**
     * The default suite: every workload with the same options, each into its own folder under
     * {@code --out}, and one verdict line for all. Exit 1 if any workload found a violation.
     */
    private int suite() {
        if (common.schedule != null) {
            throw new UsageException("--schedule needs --workload (a schedule belongs to one workload's cluster)");
        }
        int worst = 0;
        java.util.List<String> verdicts = new java.util.ArrayList<>();
        for (String w : dev.samsa.harness.workload.Workloads.names()) {
            System.out.println("== workload " + w);
            int rc = campaign(common.toSpec(w), out.resolve(w));
            verdicts.add(w + ": " + (rc == 0 ? "every invariant held" : "violations found") + " (" + out.resolve(w).resolve("report.html") + ")");
            worst = Math.max(worst, rc);
            System.out.println();
        }
        System.out.println("suite: " + String.join("; ", verdicts));
        System.out.println("index: " + dev.samsa.harness.run.SuiteIndexes.write(out, dev.samsa.harness.workload.Workloads.names()).resolve("index.html"));
        System.out.println("verdict: " + (worst == 0 ? "every invariant held in every workload" : "a workload violated an invariant"));
        return worst;
    }

    private int campaign(RunSpec spec, java.nio.file.Path out) {
        SeedRange range;
        try {
            range = SeedRange.parse(seeds);
            if (shard != null) {
                String[] p = shard.split("/");
                if (p.length != 2) {
                    throw new IllegalArgumentException("--shard needs I/N, got '" + shard + "'");
                }
                range = range.shard(Integer.parseInt(p[0].trim()), Integer.parseInt(p[1].trim()));
            }
        } catch (NumberFormatException e) {
            throw new UsageException("--shard needs I/N with whole numbers, got '" + shard + "'");
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        CommonOptions.checkSchedule(spec, range.first());
        int t = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        if (t < 1) {
            throw new UsageException("--threads must be at least 1, got " + t);
        }
        int mf = maxFailures == null ? Integer.MAX_VALUE : maxFailures;
        if (mf < 1) {
            throw new UsageException("--max-failures must be at least 1, got " + mf);
        }
        if (recheckEvery < 0) {
            throw new UsageException("--recheck-every must be 0 or more, got " + recheckEvery);
        }
        boolean progress = !noProgress && System.console() != null;
        return new Campaign(new Campaign.Options(spec, range, t, mf, out, recheckEvery, progress, System.out, System.err)).run();
    }
}
