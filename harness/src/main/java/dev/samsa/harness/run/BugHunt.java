package dev.samsa.harness.run;

import dev.samsa.reports.BugTable;
import dev.samsa.reports.BugTableWriter;
import dev.samsa.spec.bugs.Bug;
import dev.samsa.spec.invariant.Invariant;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * {@code ./samsa hunt}: for each historical bug flag, the smallest seed that fails with the flag
 * switched on, then that seed again with the flag off. A flag is found when its seed fails with
 * it and passes without it; a seed that fails either way points at the harness or the
 * implementation, not at the flag. Seeds run in parallel, but the seed reported is always the
 * smallest failing one, whatever the thread count. After each flag, {@code bugs.md} and
 * {@code bugs.html} are rewritten atomically, so a killed hunt keeps what it found.
 */
public final class BugHunt {

    /** How a hunt runs: {@code base} gives the workload, faults and fixed settings; its bugs are ignored. */
    public record Options(RunSpec base, SeedRange seeds, int threads, Path outDir, PrintStream out, boolean progress, PrintStream err) {

        /** Without a progress line. */
        public Options(RunSpec base, SeedRange seeds, int threads, Path outDir, PrintStream out) {
            this(base, seeds, threads, outDir, out, false, out);
        }
    }

    /** One flag's hunt: the first failing seed's result (if any) and that seed's result without the flag. */
    public record Outcome(Bug bug, RunSpec spec, long seedsRun, Optional<SeedResult> failing, Optional<SeedResult> withoutFlag) {

        public boolean found() {
            return failing.isPresent();
        }

        public boolean confirmed() {
            return found() && withoutFlag.orElseThrow().passed();
        }
    }

    /** The smallest failing seed of a range (if any) and how many seeds that took. */
    public record Search(long seedsRun, Optional<SeedResult> failing) {}

    private final Options o;

    public BugHunt(Options options) {
        if (options.threads() < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + options.threads());
        }
        this.o = options;
    }

    /** The workloads a flag's bug can show in: the KRaft quorum's in both (the queue cluster runs one); the data plane's only in queue. */
    public static List<String> workloadsOf(Bug bug) {
        return switch (bug) {
            case KAFKA_15489 -> List.of("kraft", "queue");
            case KAFKA_14196, KAFKA_10284, KAFKA_14639, KAFKA_8069 -> List.of("groups");
            case KAFKA_5376, KAFKA_14055, KAFKA_6119, KAFKA_12671, KAFKA_17754, KAFKA_10080 -> List.of("txn");
            case KAFKA_17582 -> List.of("eos"); // an application rule of the consume-transform-produce loop
            default -> List.of("queue");
        };
    }

    /** Every flag that applies to {@code workload}, in catalog order. */
    public static List<Bug> applicableTo(String workload) {
        return EnumSet.allOf(Bug.class).stream().filter(b -> workloadsOf(b).contains(workload)).toList();
    }

    /** Hunts each flag in turn, printing one line per flag; returns 0 if every flag was found and confirmed, else 1. */
    public int run(List<Bug> bugs) {
        o.out().printf("samsa hunt: %s, seeds %s, %d thread%s, %d flag%s -> %s%n", o.base().cliOptions(), o.seeds(), o.threads(),
                o.threads() == 1 ? "" : "s", bugs.size(), bugs.size() == 1 ? "" : "s", o.outDir());
        List<BugTable.Row> rows = new ArrayList<>();
        writeTable(rows, false);
        for (Bug bug : bugs) {
            Outcome outcome = hunt(bug);
            BugTable.Row row = row(outcome);
            rows.add(row);
            o.out().printf("%-12s %-4s %s%n", bug.jira(), bug.catalogId(), row.outcome());
            writeTable(rows, false);
        }
        BugTable table = writeTable(rows, true);
        o.out().println("verdict: " + table.verdict());
        o.out().println("table: " + o.outDir().resolve("bugs.html"));
        return table.confirmed() == rows.size() ? 0 : 1;
    }

    /** One flag: search the seeds with it on, re-run the first failing seed with it off, keep both results on disk. */
    public Outcome hunt(Bug bug) {
        RunSpec spec = withOnly(bug);
        LongConsumer progress = !o.progress() ? done -> {} : done -> {
            o.err().printf("\r\033[K[%s: %d/%d seeds]", bug.jira(), done, o.seeds().count());
            o.err().flush();
        };
        Search s = firstFailing(spec, o.seeds(), o.threads(), progress);
        if (o.progress()) {
            o.err().print("\r\033[K");
        }
        Optional<SeedResult> without = s.failing().map(f -> runSafely(withOnly(null), f.seed()));
        Outcome outcome = new Outcome(bug, spec, s.seedsRun(), s.failing(), without);
        writeEvidence(outcome);
        return outcome;
    }

    /**
     * The smallest seed of {@code seeds} that fails under {@code spec}, run on {@code threads}
     * threads. Seeds are claimed in order and a worker stops claiming once a smaller seed has
     * failed, so every seed below the smallest failure has run: the answer does not depend on
     * the thread count or on timing.
     */
    public static Search firstFailing(RunSpec spec, SeedRange seeds, int threads) {
        return firstFailing(spec, seeds, threads, done -> {});
    }

    /** As above, telling {@code progress} (from the calling thread, about once a second) how many seeds have run. */
    public static Search firstFailing(RunSpec spec, SeedRange seeds, int threads, LongConsumer progress) {
        AtomicLong ran = new AtomicLong();
        AtomicLong next = new AtomicLong(seeds.first());
        AtomicLong smallest = new AtomicLong(Long.MAX_VALUE);
        ConcurrentSkipListMap<Long, SeedResult> failures = new ConcurrentSkipListMap<>();
        Runnable worker = () -> {
            while (true) {
                long seed = next.getAndIncrement();
                if (seed > seeds.last() || seed < seeds.first() || seed > smallest.get()) { // (below first: the counter wrapped)
                    return;
                }
                SeedResult r = runSafely(spec, seed);
                ran.incrementAndGet();
                if (!r.passed()) {
                    failures.put(seed, r);
                    smallest.accumulateAndGet(seed, Math::min);
                }
            }
        };
        List<Thread> pool = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(worker, "samsa-hunt-" + i);
            t.setDaemon(true);
            pool.add(t);
            t.start();
        }
        for (Thread t : pool) {
            try {
                while (t.isAlive()) {
                    t.join(1000);
                    progress.accept(ran.get());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while hunting", e);
            }
        }
        if (failures.isEmpty()) {
            return new Search(seeds.count(), Optional.empty());
        }
        SeedResult first = failures.firstEntry().getValue();
        return new Search(first.seed() - seeds.first() + 1, Optional.of(first));
    }

    /** A seed the harness cannot run counts as failing, with the exception as its evidence. */
    static SeedResult runSafely(RunSpec spec, long seed) {
        try {
            return SeedRunner.run(spec, seed);
        } catch (RuntimeException | Error e) {
            SeedResult.Finding f = new SeedResult.Finding(Invariant.NODE_ASSERTION.id(), "the harness could not run the seed", -1, false,
                    e.getClass().getSimpleName() + ": " + e.getMessage());
            return new SeedResult(seed, spec.workload(), false, List.of(f), "", Map.of(), Map.of(), Map.of(), Map.of(), "", 0, 0, 0);
        }
    }

    /** The base spec with exactly {@code bug} switched on (none when null). */
    private RunSpec withOnly(Bug bug) {
        RunSpec b = o.base();
        return new RunSpec(b.workload(), b.fixedSettings(), bug == null ? EnumSet.noneOf(Bug.class) : EnumSet.of(bug), b.faults(), b.schedule());
    }

    public static String replayCommand(RunSpec spec, long seed) {
        return "./samsa replay --seed " + seed + " " + spec.cliOptions();
    }

    static BugTable.Row row(Outcome outcome) {
        Bug b = outcome.bug();
        List<String> violates = b.violates().stream().map(Invariant::id).toList();
        if (!outcome.found()) {
            return new BugTable.Row(b.jira(), b.flag(), b.catalogId(), b.component(), b.description(), violates, false, -1, outcome.seedsRun(),
                    "", "", false, "");
        }
        SeedResult f = outcome.failing().orElseThrow();
        SeedResult.Finding first = f.findings().stream().filter(x -> !x.expected()).findFirst()
                .orElseThrow(() -> new IllegalStateException("seed " + f.seed() + " failed without an unexpected finding"));
        String evidence = first.evidence().length() > 400 ? first.evidence().substring(0, 400) + "…" : first.evidence();
        return new BugTable.Row(b.jira(), b.flag(), b.catalogId(), b.component(), b.description(), violates, true, f.seed(), outcome.seedsRun(),
                first.invariant(), evidence, outcome.withoutFlag().orElseThrow().passed(), replayCommand(outcome.spec(), f.seed()));
    }

    /** {@code DIR/<JIRA>/}: the failing seed's result, its result without the flag, and how to replay it. */
    private void writeEvidence(Outcome outcome) {
        if (!outcome.found()) {
            return;
        }
        Path dir = o.outDir().resolve(outcome.bug().jira());
        SeedResult f = outcome.failing().orElseThrow();
        Json.writeAtomically(dir.resolve("result.json"), f);
        Json.writeAtomically(dir.resolve("without-flag.json"), outcome.withoutFlag().orElseThrow());
        Json.writeStringAtomically(dir.resolve("replay.txt"), replayCommand(outcome.spec(), f.seed()) + "\n"
                + replayCommand(withOnly(null), f.seed()) + "   # without the flag\n");
    }

    private BugTable writeTable(List<BugTable.Row> rows, boolean finished) {
        BugTable table = new BugTable("samsa bug hunt (" + o.base().workload() + ")", o.base().cliOptions(), o.seeds().toString(), rows, finished);
        try {
            BugTableWriter.writeBoth(table, o.outDir());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return table;
    }
}
