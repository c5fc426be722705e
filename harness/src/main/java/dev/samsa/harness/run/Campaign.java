package dev.samsa.harness.run;

import dev.samsa.harness.fault.FaultSchedule;
import dev.samsa.harness.sim.TraceSink;
import dev.samsa.reports.CampaignReport;
import dev.samsa.reports.ReportWriter;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs many seeds on many cores. Each seed is its own single-threaded simulation, so seeds run
 * in parallel without touching determinism; results are reported in seed order. Everything
 * found is written as it is found: one line per seed in {@code results.jsonl}, a folder per
 * failing seed, and {@code summary.json} rewritten atomically, so a killed run keeps its
 * findings.
 */
public final class Campaign {

    /** How a campaign runs. {@code recheckEvery} re-runs every N-th seed to prove determinism (0: never). */
    public record Options(
            RunSpec spec,
            SeedRange seeds,
            int threads,
            int maxFailures,
            Path outDir,
            int recheckEvery,
            boolean progress,
            PrintStream out,
            PrintStream err) {}

    private static final int MAX_LISTED_FAILURES = 200;

    private final Options o;
    private final ConcurrentSkipListMap<Long, SeedOutcome> done = new ConcurrentSkipListMap<>();
    private final AtomicLong nextToClaim;
    private final AtomicInteger failuresFound = new AtomicInteger();
    private final Summary summary;

    private record SeedOutcome(SeedResult result, String determinismProblem) {}

    public Campaign(Options options) {
        this.o = options;
        this.nextToClaim = new AtomicLong(options.seeds().first());
        this.summary = new Summary(options);
    }

    /** Runs the campaign; returns the process exit code (0 all held, 1 a violation was found). */
    public int run() {
        long wallStart = System.nanoTime();
        try {
            Files.createDirectories(o.outDir());
            Files.deleteIfExists(o.outDir().resolve("results.jsonl"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        o.out().printf("samsa run: %s, seeds %s, faults %s, %d thread%s -> %s%n",
                o.spec().cliOptions(), o.seeds(), o.spec().faults().label(), o.threads(), o.threads() == 1 ? "" : "s", o.outDir());

        ExecutorService pool = Executors.newFixedThreadPool(o.threads(), r -> {
            Thread t = new Thread(r, "samsa-seed-runner");
            t.setDaemon(true);
            return t;
        });
        AtomicInteger workersLeft = new AtomicInteger(o.threads());
        for (int i = 0; i < o.threads(); i++) {
            pool.execute(() -> {
                try {
                    work();
                } finally {
                    workersLeft.decrementAndGet();
                    synchronized (done) {
                        done.notifyAll();
                    }
                }
            });
        }

        long next = o.seeds().first();
        long lastSummaryWrite = 0;
        try (BufferedWriter results = Files.newBufferedWriter(o.outDir().resolve("results.jsonl"), StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            while (next <= o.seeds().last()) {
                SeedOutcome outcome;
                synchronized (done) {
                    while ((outcome = done.remove(next)) == null && !(workersLeft.get() == 0 && nextToClaim.get() <= next)) {
                        done.wait(250);
                        progress(wallStart);
                    }
                }
                if (outcome == null) {
                    break; // stopped early (max failures): this seed was never claimed
                }
                report(outcome, results);
                next++;
                if (System.nanoTime() - lastSummaryWrite > 1_000_000_000L) {
                    summary.write(o.outDir().resolve("summary.json"), System.nanoTime() - wallStart, false);
                    lastSummaryWrite = System.nanoTime();
                }
                progress(wallStart);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            pool.shutdownNow();
            try {
                pool.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        long wall = System.nanoTime() - wallStart;
        summary.write(o.outDir().resolve("summary.json"), wall, true);
        if (o.progress()) {
            o.err().print("\r\033[K");
        }
        for (String line : summary.closingLines(wall)) {
            o.out().println(line);
        }
        return summary.failed() > 0 ? 1 : 0;
    }

    private void work() {
        while (failuresFound.get() < o.maxFailures()) {
            long seed = nextToClaim.getAndIncrement();
            if (seed > o.seeds().last()) {
                return;
            }
            SeedResult r;
            try {
                r = SeedRunner.run(o.spec(), seed);
            } catch (RuntimeException | Error e) {
                // never lose a claimed seed: the ordered output waits for every one
                r = crashed(seed, e);
            }
            String problem = null;
            boolean recheck = o.recheckEvery() > 0 && Math.floorMod(seed, o.recheckEvery()) == 0;
            if (!r.passed()) {
                failuresFound.incrementAndGet();
                problem = writeFailureFolder(r);
            } else if (recheck) {
                SeedResult again = SeedRunner.run(o.spec(), seed);
                if (!again.traceHash().equals(r.traceHash())) {
                    problem = "seed " + seed + " is not deterministic: trace hash " + r.traceHash() + " then " + again.traceHash();
                    failuresFound.incrementAndGet();
                }
            }
            done.put(seed, new SeedOutcome(r, problem));
            synchronized (done) {
                done.notifyAll();
            }
        }
    }

    private SeedResult crashed(long seed, Throwable e) {
        SeedResult.Finding f = new SeedResult.Finding(dev.samsa.spec.invariant.Invariant.NODE_ASSERTION.id(), "the harness could not run the seed", -1, false,
                e.getClass().getSimpleName() + ": " + e.getMessage());
        return new SeedResult(seed, o.spec().workload(), false, List.of(f), "", Map.of(), Map.of(), Map.of(), Map.of(), "", 0, 0, 0);
    }

    /** Re-runs the failing seed with tracing into its folder; a different hash there is itself a finding. */
    private String writeFailureFolder(SeedResult r) {
        Path dir = o.outDir().resolve("seed-" + r.seed());
        try {
            Files.createDirectories(dir);
            Json.writeStringAtomically(dir.resolve("replay.txt"), replayCommand(r.seed()) + "\n");
            Json.writeAtomically(dir.resolve("result.json"), r);
            writeFaults(dir.resolve("faults.txt"), r);
            Path tmp = dir.resolve(".trace.txt.tmp");
            SeedResult traced;
            try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                TraceSink sink = line -> {
                    try {
                        w.write(line);
                        w.newLine();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                };
                traced = SeedRunner.run(o.spec(), r.seed(), sink, true, java.util.Optional.of(dir));
            } catch (RuntimeException e) {
                return "seed " + r.seed() + " could not be traced: " + e;
            }
            Files.move(tmp, dir.resolve("trace.txt"), java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            if (!traced.traceHash().equals(r.traceHash())) {
                return "seed " + r.seed() + " is not deterministic: trace hash " + r.traceHash() + " then, traced, " + traced.traceHash();
            }
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The faults the seed ran with, as a schedule that {@code --schedule} replays bit for bit. */
    private void writeFaults(Path file, SeedResult r) {
        FaultSchedule faults = FaultSchedule.parse(file.toString(), r.faultSchedule());
        Json.writeStringAtomically(file, faults.format(List.of(
                "faults injected into seed " + r.seed() + ": " + faults.faultCount() + " faults, "
                        + (faults.events().size() - faults.faultCount()) + " draws that hit nothing; times in simulated seconds",
                "replay: ./samsa replay --seed " + r.seed() + " " + o.spec().withSchedule(faults).cliOptions(),
                "shrink: ./samsa shrink --seed " + r.seed() + " " + o.spec().cliOptions())));
    }

    public String replayCommand(long seed) {
        return "./samsa replay --seed " + seed + " " + o.spec().cliOptions();
    }

    private void report(SeedOutcome outcome, BufferedWriter results) throws IOException {
        SeedResult r = outcome.result();
        summary.add(r, outcome.determinismProblem());
        results.write(Json.line(r));
        results.newLine();
        results.flush();
        if (!r.passed() || outcome.determinismProblem() != null) {
            if (o.progress()) {
                o.err().print("\r\033[K");
            }
            if (!r.passed()) {
                SeedResult.Finding f = r.findings().stream().filter(x -> !x.expected()).findFirst().orElseThrow();
                o.out().printf("FAIL seed %d  %s at %s: %s%n", r.seed(), f.invariant(),
                        f.atNanos() < 0 ? "end of run" : dev.samsa.harness.sim.Simulation.formatTime(f.atNanos()).trim(), f.evidence());
                o.out().printf("  faults: %s%n", r.faultPlan());
            }
            if (outcome.determinismProblem() != null) {
                o.out().println("FAIL " + outcome.determinismProblem());
            }
            o.out().println("  replay: " + replayCommand(r.seed()));
        }
    }

    private long lastProgressNanos;

    private void progress(long wallStart) {
        if (!o.progress()) {
            return;
        }
        long now = System.nanoTime();
        if (now - lastProgressNanos < 200_000_000L) {
            return;
        }
        lastProgressNanos = now;
        long doneCount = summary.seedsDone();
        double secs = (now - wallStart) / 1e9;
        double rate = doneCount / Math.max(secs, 1e-9);
        long left = o.seeds().count() - doneCount;
        o.err().printf("\r\033[K[%d/%d seeds] %d failed | %.1f seeds/s | %s events/s | eta %s",
                doneCount, o.seeds().count(), summary.failed(), rate,
                Summary.si(summary.eventsPerWallSecond(now - wallStart)), Summary.duration(rate > 0 ? left / rate : 0));
        o.err().flush();
    }

    /** The running totals behind summary.json and the closing lines. */
    static final class Summary {
        private final Options o;
        private long seedsDone;
        private long passed;
        private long failed;
        private long withExpected;
        private long events;
        private long simulatedNanos;
        private long seedWallNanos;
        private final TreeMap<String, long[]> invariantCounts = new TreeMap<>(); // [violated, expected]
        private final TreeMap<String, Long> counters = new TreeMap<>();
        private final TreeMap<String, Long> reached = new TreeMap<>();
        private final TreeMap<String, Long> stats = new TreeMap<>();
        private final List<Map<String, Object>> failures = new ArrayList<>();

        Summary(Options o) {
            this.o = o;
        }

        synchronized void add(SeedResult r, String determinismProblem) {
            seedsDone++;
            boolean ok = r.passed() && determinismProblem == null;
            if (ok) {
                passed++;
            } else {
                failed++;
            }
            if (determinismProblem != null) {
                invariantCounts.computeIfAbsent(dev.samsa.spec.invariant.Invariant.DETERMINISM.id(), k -> new long[2])[0]++;
            }
            boolean expected = false;
            for (SeedResult.Finding f : r.findings()) {
                long[] c = invariantCounts.computeIfAbsent(f.invariant(), k -> new long[2]);
                c[f.expected() ? 1 : 0]++;
                expected |= f.expected();
            }
            if (expected) {
                withExpected++;
            }
            events += r.events();
            simulatedNanos += r.simulatedNanos();
            seedWallNanos += r.wallNanos();
            r.counters().forEach((k, v) -> counters.merge(k, v, Long::sum));
            r.reachedPaths().forEach((k, v) -> reached.merge(k, v, Long::sum));
            r.stats().forEach((k, v) -> stats.merge(k, v, Long::sum));
            if (!ok && failures.size() < MAX_LISTED_FAILURES) {
                Map<String, Object> f = new LinkedHashMap<>();
                f.put("seed", r.seed());
                f.put("invariants", r.findings().stream().filter(x -> !x.expected()).map(SeedResult.Finding::invariant).distinct().toList());
                f.put("determinism", determinismProblem == null ? "" : determinismProblem);
                f.put("evidence", determinismProblem != null ? determinismProblem
                        : r.findings().stream().filter(x -> !x.expected()).map(SeedResult.Finding::evidence).findFirst().orElse(""));
                f.put("faultPlan", r.faultPlan());
                f.put("replay", "./samsa replay --seed " + r.seed() + " " + o.spec().cliOptions());
                f.put("folder", "seed-" + r.seed());
                failures.add(f);
            }
        }

        synchronized long seedsDone() {
            return seedsDone;
        }

        synchronized long failed() {
            return failed;
        }

        synchronized double eventsPerWallSecond(long wallNanos) {
            return events / Math.max(wallNanos / 1e9, 1e-9);
        }

        synchronized void write(Path file, long wallNanos, boolean finished) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("schema", "samsa.summary/1");
            s.put("finished", finished);
            s.put("workload", o.spec().workload());
            s.put("options", o.spec().cliOptions());
            s.put("faultProfile", o.spec().faults().label());
            s.put("fixedSettings", o.spec().fixedSettings());
            s.put("bugs", o.spec().bugs().stream().map(b -> b.jira()).toList());
            s.put("seeds", Map.of("first", o.seeds().first(), "last", o.seeds().last(), "requested", o.seeds().count(), "done", seedsDone));
            s.put("passed", passed);
            s.put("failed", failed);
            s.put("seedsWithExpectedAnomalies", withExpected);
            Map<String, Object> inv = new TreeMap<>();
            for (dev.samsa.spec.invariant.Invariant i : dev.samsa.spec.invariant.Invariant.values()) {
                long[] c = invariantCounts.getOrDefault(i.id(), new long[2]);
                if (c[0] + c[1] > 0 || relevant(i)) {
                    inv.put(i.id(), Map.of("violated", c[0], "expected", c[1]));
                }
            }
            s.put("invariants", inv);
            s.put("failures", failures);
            s.put("faults", filter(counters, "fault."));
            s.put("reachedPaths", reached);
            s.put("workloadStats", stats);
            s.put("counters", counters);
            Map<String, Object> speed = new LinkedHashMap<>();
            speed.put("wallSeconds", wallNanos / 1e9);
            speed.put("events", events);
            speed.put("eventsPerSecond", events / Math.max(wallNanos / 1e9, 1e-9));
            speed.put("eventsPerSecondPerCore", events / Math.max(seedWallNanos / 1e9, 1e-9));
            speed.put("simulatedSecondsPerWallSecond", (simulatedNanos / 1e9) / Math.max(wallNanos / 1e9, 1e-9));
            speed.put("simulatedSecondsPerWallSecondPerCore", (simulatedNanos / 1e9) / Math.max(seedWallNanos / 1e9, 1e-9));
            speed.put("threads", o.threads());
            s.put("speed", speed);
            Json.writeAtomically(file, s);
            try {
                ReportWriter.writeBoth(report(wallNanos, finished), file.toAbsolutePath().getParent());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** The reports module's view of this campaign. */
        private CampaignReport report(long wallNanos, boolean finished) {
            List<CampaignReport.InvariantRow> rows = new ArrayList<>();
            for (dev.samsa.spec.invariant.Invariant i : dev.samsa.spec.invariant.Invariant.values()) {
                long[] c = invariantCounts.getOrDefault(i.id(), new long[2]);
                if (c[0] + c[1] > 0 || relevant(i)) {
                    rows.add(new CampaignReport.InvariantRow(i.id(), i.statement(), i.source(), i.notPromisedUnder(), seedsDone, c[0], c[1]));
                }
            }
            List<CampaignReport.FailureRow> failureRows = new ArrayList<>();
            for (Map<String, Object> f : failures) {
                @SuppressWarnings("unchecked")
                List<String> invs = (List<String>) f.get("invariants");
                failureRows.add(new CampaignReport.FailureRow((Long) f.get("seed"), invs, (String) f.get("evidence"),
                        (String) f.get("faultPlan"), (String) f.get("replay"), (String) f.get("folder")));
            }
            double wall = wallNanos / 1e9;
            return new CampaignReport("samsa " + o.spec().workload() + " campaign", o.spec().workload(), o.spec().cliOptions(),
                    o.spec().faults().label(), o.seeds().count(), seedsDone, passed, failed, withExpected, finished, rows,
                    filter(counters, "fault."), reached,
                    dev.samsa.harness.workload.Workloads.find(o.spec().workload()).map(w -> w.declaredPaths()).orElse(List.of()),
                    stats, failureRows,
                    new CampaignReport.Speed(wall, events, events / Math.max(wall, 1e-9), events / Math.max(seedWallNanos / 1e9, 1e-9),
                            (simulatedNanos / 1e9) / Math.max(wall, 1e-9), o.threads()));
        }

        private boolean relevant(dev.samsa.spec.invariant.Invariant i) {
            if (i.id().startsWith("sim.")) {
                return true;
            }
            for (String prefix : dev.samsa.harness.workload.Workloads.find(o.spec().workload()).map(w -> w.invariantPrefixes()).orElse(List.of())) {
                if (i.id().startsWith(prefix)) {
                    return true;
                }
            }
            return false;
        }

        synchronized List<String> closingLines(long wallNanos) {
            List<String> lines = new ArrayList<>();
            double wall = wallNanos / 1e9;
            lines.add(String.format("%d seeds: %d passed, %d failed%s, in %s",
                    seedsDone, passed, failed, withExpected > 0 ? " (" + withExpected + " with expected anomalies)" : "", duration(wall)));
            lines.add(String.format("speed: %s events/s (%s per core), %.0f simulated s per wall s (%.0f per core)",
                    si(events / Math.max(wall, 1e-9)), si(events / Math.max(seedWallNanos / 1e9, 1e-9)),
                    (simulatedNanos / 1e9) / Math.max(wall, 1e-9), (simulatedNanos / 1e9) / Math.max(seedWallNanos / 1e9, 1e-9)));
            Map<String, Long> faults = filter(counters, "fault.");
            if (!faults.isEmpty()) {
                StringBuilder b = new StringBuilder("faults:");
                faults.forEach((k, v) -> b.append(' ').append(k.substring("fault.".length())).append('=').append(v));
                lines.add(b.toString());
            }
            if (!invariantCounts.isEmpty()) {
                StringBuilder b = new StringBuilder("violations:");
                invariantCounts.forEach((k, v) -> b.append(' ').append(k).append('=').append(v[0]).append(v[1] > 0 ? " (+" + v[1] + " expected)" : ""));
                lines.add(b.toString());
            }
            lines.add("report: " + o.outDir().resolve("report.html") + " (also report.md, summary.json, results.jsonl)");
            lines.add(failed == 0 ? "verdict: every invariant held" : "verdict: " + failed + " seed" + (failed == 1 ? "" : "s") + " violated an invariant");
            return lines;
        }

        private static Map<String, Long> filter(Map<String, Long> m, String prefix) {
            TreeMap<String, Long> out = new TreeMap<>();
            m.forEach((k, v) -> {
                if (k.startsWith(prefix)) {
                    out.put(k, v);
                }
            });
            return out;
        }

        static String si(double v) {
            if (v >= 1e9) {
                return String.format("%.2fG", v / 1e9);
            }
            if (v >= 1e6) {
                return String.format("%.2fM", v / 1e6);
            }
            if (v >= 1e3) {
                return String.format("%.1fk", v / 1e3);
            }
            return String.format("%.0f", v);
        }

        static String duration(double seconds) {
            long s = Math.round(seconds);
            if (seconds < 10) {
                return String.format("%.1f s", seconds);
            }
            return s >= 3600 ? String.format("%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60) : String.format("%d:%02d", s / 60, s % 60);
        }
    }
}
