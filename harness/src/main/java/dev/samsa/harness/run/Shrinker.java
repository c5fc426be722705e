package dev.samsa.harness.run;

import dev.samsa.harness.fault.FaultEvent;
import dev.samsa.harness.fault.FaultFamily;
import dev.samsa.harness.fault.FaultSchedule;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code ./samsa shrink}: the smallest fault schedule (and shortest phases) that still makes a
 * failing seed violate one of the invariants it violated at first.
 *
 * <p>The seed's run records the faults it injected; that schedule is replayed (it must still
 * fail: replay is bit for bit), then cut down greedily, each candidate being one deterministic
 * run: drop the draws that hit nothing; drop whole fault families; drop halves, quarters... down
 * to single events (delta debugging, removing one chunk at a time as in ddmin); end the fault
 * phase shortly after the last fault; shorten the warm-up. A candidate is accepted when it fails
 * with an invariant of the target (an expected violation, or another invariant, does not count),
 * and the schedule its run recorded becomes the new current one (it stops at the violation, and
 * replays that run bit for bit). Rounds repeat until one accepts nothing or the run budget is spent.
 *
 * <p>Candidates of one step run in parallel, {@code threads} at a time; the first failing one in
 * the step's order wins, so the result does not depend on the thread count (only how many runs a
 * step spends beyond the winner does, which matters only when the budget runs out).
 */
public final class Shrinker {

    /** Time left after the last fault before the heal phase, when the fault phase is shortened. */
    static final long FAULT_PHASE_MARGIN_MS = 1_000;
    /** The shortest warm-up tried: the cluster must still get to form. */
    static final long MIN_WARMUP_MS = 500;

    /** What to shrink, and how many runs and threads it may use. */
    public record Options(RunSpec spec, long seed, int maxRuns, int threads, PrintStream out) {}

    /**
     * How a shrink ended. {@code shrunk} is empty when the seed passed or the replay of its
     * recorded schedule did not fail; otherwise it is the final failing run, with {@code spec}
     * (phase settings fixed, schedule attached) and {@code schedule} reproducing it.
     */
    public record Outcome(SeedResult original, List<String> target, int startFaults, Optional<SeedResult> shrunk, RunSpec spec,
            FaultSchedule schedule, int runs) {}

    private record Candidate(RunSpec spec, String what) {}

    private final Options o;
    private final List<String> target = new ArrayList<>();
    private int runs;
    private RunSpec spec;
    private FaultSchedule schedule;
    private SeedResult last;

    public Shrinker(Options options) {
        if (options.maxRuns() < 2 || options.threads() < 1) {
            throw new IllegalArgumentException("a shrink needs at least 2 runs and 1 thread");
        }
        this.o = options;
    }

    public Outcome run() {
        SeedResult original = SeedRunner.run(o.spec(), o.seed());
        runs = 1;
        if (original.passed()) {
            return new Outcome(original, List.of(), 0, Optional.empty(), o.spec(), FaultSchedule.parse("none", List.of()), runs);
        }
        target.addAll(original.violatedInvariants());
        FaultSchedule recorded = FaultSchedule.parse("recorded", original.faultSchedule());
        int startFaults = recorded.faultCount();
        o.out().printf("shrink: seed %d violates %s with %d fault events%n", o.seed(), String.join(", ", target), startFaults);
        ExecutorService pool = Executors.newFixedThreadPool(o.threads(), r -> {
            Thread t = new Thread(r, "samsa-shrink");
            t.setDaemon(true);
            return t;
        });
        try {
            Optional<SeedResult> replay = firstFailing(pool, List.of(new Candidate(o.spec().withSchedule(recorded), "replay")));
            if (replay.isEmpty()) {
                o.out().printf("shrink: the recorded schedule of seed %d does not fail when replayed (a determinism bug): nothing to shrink%n", o.seed());
                return new Outcome(original, List.copyOf(target), startFaults, Optional.empty(), o.spec(), recorded, runs);
            }
            accept(o.spec().withSchedule(recorded), replay.get());
            boolean progress = true;
            while (progress && budgetLeft() > 0) {
                progress = dropNothingDraws(pool) | dropFamilies(pool) | dropChunks(pool) | shortenPhases(pool);
            }
            if (budgetLeft() <= 0) {
                o.out().printf("shrink: stopped at the run budget (%d runs)%n", o.maxRuns());
            }
            return new Outcome(original, List.copyOf(target), startFaults, Optional.of(last), spec, schedule, runs);
        } finally {
            pool.shutdownNow();
        }
    }

    // ------------------------------------------------------------------ steps

    private boolean dropNothingDraws(ExecutorService pool) {
        List<FaultEvent> faults = schedule.events().stream().filter(FaultEvent::isFault).toList();
        int nothing = schedule.events().size() - faults.size();
        return nothing > 0 && tryEach(pool, List.of(candidate(faults, "dropped " + nothing + " draws that hit nothing")));
    }

    private boolean dropFamilies(ExecutorService pool) {
        boolean any = false;
        while (budgetLeft() > 0) {
            EnumSet<FaultFamily> present = EnumSet.noneOf(FaultFamily.class);
            schedule.events().stream().filter(FaultEvent::isFault).forEach(e -> present.add(e.family()));
            if (present.size() < 2) {
                return any; // dropping the only family is the chunk step's "drop everything"
            }
            List<Candidate> cs = new ArrayList<>();
            for (FaultFamily f : present) {
                cs.add(candidate(schedule.events().stream().filter(e -> e.family() != f).toList(), "dropped family " + f.label()));
            }
            if (!tryEach(pool, cs)) {
                return any;
            }
            any = true;
        }
        return any;
    }

    /** Delta debugging: remove one of n chunks; on success n shrinks by one, else it doubles. */
    private boolean dropChunks(ExecutorService pool) {
        boolean any = false;
        int n = 2;
        while (budgetLeft() > 0 && !schedule.events().isEmpty()) {
            List<FaultEvent> events = schedule.events();
            int size = events.size();
            int chunks = Math.min(n, size);
            List<Candidate> cs = new ArrayList<>();
            for (int i = 0; i < chunks; i++) {
                int from = i * size / chunks;
                int to = (i + 1) * size / chunks;
                List<FaultEvent> kept = new ArrayList<>(events.subList(0, from));
                kept.addAll(events.subList(to, size));
                String which = chunks == 1 ? "every event" : to - from == 1 ? "event " + (from + 1) + " of " + size
                        : "events " + (from + 1) + "-" + to + " of " + size;
                cs.add(candidate(kept, "dropped " + which));
            }
            if (tryEach(pool, cs)) {
                any = true;
                n = Math.max(n - 1, 2);
            } else if (chunks >= size) {
                return any;
            } else {
                n = Math.min(2 * n, size);
            }
        }
        return any;
    }

    private boolean shortenPhases(ExecutorService pool) {
        boolean any = false;
        long start = schedule.faultsStartNanos().orElse(0);
        List<FaultEvent> faults = schedule.events().stream().filter(FaultEvent::isFault).toList();
        long lastAt = faults.stream().mapToLong(FaultEvent::atNanos).max().orElse(start);
        // Else just after the faults are undone, or the violation (the run ends there anyway).
        long undone = faults.stream().mapToLong(FaultEvent::untilNanos).max().orElse(start);
        long violated = last.findings().stream().filter(f -> !f.expected() && f.atNanos() >= 0).mapToLong(SeedResult.Finding::atNanos).min()
                .orElse(undone);
        long currentMs = phaseMs("sim.faults.ms");
        List<Candidate> cs = new ArrayList<>();
        for (long end : new long[] {lastAt, Math.max(lastAt, Math.min(undone, violated))}) {
            long ms = (end - start + 999_999) / 1_000_000 + FAULT_PHASE_MARGIN_MS;
            if (ms < currentMs && cs.stream().noneMatch(c -> c.spec().fixedSettings().get("sim.faults.ms").equals(Long.toString(ms)))) {
                cs.add(new Candidate(spec.withSetting("sim.faults.ms", Long.toString(ms)), "fault phase " + currentMs + " ms -> " + ms + " ms"));
            }
        }
        any |= !cs.isEmpty() && tryEach(pool, cs);
        long warmupMs = phaseMs("sim.warmup.ms");
        List<Candidate> warmups = new ArrayList<>();
        for (long shorter : new long[] {warmupMs / 4, warmupMs / 2}) {
            if (shorter >= MIN_WARMUP_MS && shorter < warmupMs) {
                // The schedule's faults-start moves the faults along with the phase.
                warmups.add(new Candidate(spec.withSetting("sim.warmup.ms", Long.toString(shorter)),
                        "warm-up " + warmupMs + " ms -> " + shorter + " ms"));
            }
        }
        if (!warmups.isEmpty() && budgetLeft() > 0) {
            any |= tryEach(pool, warmups);
        }
        return any;
    }

    private long phaseMs(String key) {
        return SeedRunner.settingsFor(spec, o.seed()).getLong(key);
    }

    // ------------------------------------------------------------------ running candidates

    private Candidate candidate(List<FaultEvent> kept, String what) {
        return new Candidate(spec.withSchedule(schedule.withEvents(kept)), what);
    }

    /** Runs the candidates in order; accepts and reports the first that still fails. */
    private boolean tryEach(ExecutorService pool, List<Candidate> candidates) {
        for (int i = 0; i < candidates.size() && budgetLeft() > 0; ) {
            int batch = (int) Math.min(Math.min(o.threads(), candidates.size() - i), budgetLeft());
            List<Candidate> slice = candidates.subList(i, i + batch);
            List<Optional<SeedResult>> results = runAll(pool, slice);
            for (int j = 0; j < slice.size(); j++) {
                if (results.get(j).isPresent()) {
                    int before = schedule.faultCount();
                    accept(slice.get(j).spec(), results.get(j).get());
                    o.out().printf("shrink: %d -> %d fault events (%s)%n", before, schedule.faultCount(), slice.get(j).what());
                    return true;
                }
            }
            i += batch;
        }
        return false;
    }

    private Optional<SeedResult> firstFailing(ExecutorService pool, List<Candidate> candidates) {
        return runAll(pool, candidates).stream().flatMap(Optional::stream).findFirst();
    }

    /** One run per candidate, in parallel; each result is present when it still fails with a target invariant. */
    private List<Optional<SeedResult>> runAll(ExecutorService pool, List<Candidate> candidates) {
        List<Future<SeedResult>> futures = new ArrayList<>();
        for (Candidate c : candidates) {
            Callable<SeedResult> run = () -> SeedRunner.run(c.spec(), o.seed());
            futures.add(pool.submit(run));
        }
        runs += candidates.size();
        List<Optional<SeedResult>> out = new ArrayList<>();
        for (Future<SeedResult> f : futures) {
            SeedResult r;
            try {
                r = f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("shrink interrupted", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("a candidate run could not run: " + e.getCause(), e.getCause());
            }
            boolean hits = !r.passed() && r.violatedInvariants().stream().anyMatch(target::contains);
            out.add(hits ? Optional.of(r) : Optional.empty());
        }
        return out;
    }

    /** The failing run becomes the current state; its recorded schedule (which ends at the violation) replaces the tried one. */
    private void accept(RunSpec tried, SeedResult failing) {
        String source = tried.schedule().map(FaultSchedule::source).orElse("shrunk");
        schedule = FaultSchedule.parse(source, failing.faultSchedule());
        spec = tried.withSchedule(schedule);
        last = failing;
    }

    private long budgetLeft() {
        return o.maxRuns() - runs;
    }
}
