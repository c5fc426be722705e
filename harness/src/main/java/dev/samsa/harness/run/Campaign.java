package dev.samsa.harness.run;

import dev.samsa.harness.fault.FaultSchedule;
import dev.samsa.harness.sim.TraceSink;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

    private final Options o;
    private final ConcurrentSkipListMap<Long, SeedOutcome> done = new ConcurrentSkipListMap<>();
    private final AtomicLong nextToClaim;
    private final AtomicInteger failuresFound = new AtomicInteger();
    private final CampaignSummary summary;

    private record SeedOutcome(SeedResult result, String determinismProblem) {}

    public Campaign(Options options) {
        this.o = options;
        this.nextToClaim = new AtomicLong(options.seeds().first());
        this.summary = new CampaignSummary(CampaignSummary.Meta.of(options));
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
        for (String line : summary.closingLines(wall, o.outDir())) {
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
                try {
                    problem = writeFailureFolder(r);
                } catch (RuntimeException | Error e) {
                    // never lose a claimed seed: the ordered output waits for every one (a lost seed hangs the campaign)
                    o.err().println("samsa: could not write the folder of failing seed " + seed + ": " + e.getClass().getSimpleName() + ": " + e.getMessage());
                }
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
        results.write(ResultsMerge.line(r, outcome.determinismProblem()));
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
                CampaignSummary.si(summary.eventsPerWallSecond(now - wallStart)), CampaignSummary.duration(rate > 0 ? left / rate : 0));
        o.err().flush();
    }
}
