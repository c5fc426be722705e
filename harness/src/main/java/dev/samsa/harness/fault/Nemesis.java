package dev.samsa.harness.fault;

import dev.samsa.harness.fault.FaultEvent.Kind;
import dev.samsa.harness.fault.FaultEvent.Variant;
import dev.samsa.harness.sim.CrashKind;
import dev.samsa.harness.sim.Role;
import dev.samsa.harness.sim.Simulation;
import dev.samsa.harness.sim.Simulation.NodeState;
import dev.samsa.impl.node.RandomStream;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Injects faults during the fault phase and undoes them all at heal. The faults come either
 * from the {@link FaultPlan}'s random draws (each enabled family at exponential intervals, from
 * the Nemesis's own {@code faults} stream) or from an explicit {@link FaultSchedule}. Either
 * way every injection is recorded as a {@link FaultEvent} ({@link #recorded()}), counted as
 * {@code fault.<kind>[.<variant>]} in the simulation's counters, and traced.
 *
 * <p>Both modes drive the simulation through the same code and the same event structure (one
 * chain of harness actions per family, each undo scheduled by its injection), so replaying the
 * recorded schedule of a run reproduces that run bit for bit; a replayed event whose target is
 * not in the state it needs (down, paused, protected by the budget, a partition already in
 * place) is skipped, counted as {@code fault.<family>.skipped} and recorded as {@code none}.
 * Only servers (controllers, brokers) crash or pause; partitions and clogs may involve clients too.
 */
public final class Nemesis {

    private static final long MIN_OUTAGE_MS = 500;
    private static final long MAX_OUTAGE_MS = 10_000;
    private static final long MAX_PARTITION_MS = 15_000;
    /** The shortest outage of a trigger that bounds its outage ({@link FaultTrigger#maxOutageMs}). */
    private static final long SHORT_MIN_OUTAGE_MS = 5;
    /**
     * A triggered fault strikes this long after the event that revealed its moment, not during
     * that event: so a replayed schedule, whose events are queued ahead of time, injects it after
     * the same event as the drawn run did (1 µs is far below any network or disk latency).
     */
    private static final long TRIGGER_DELAY_NANOS = 1_000;
    /** The families a trigger may strike with, in the order tried: each takes the node out of the partition's game. */
    private static final List<FaultFamily> TRIGGER_FAMILIES = List.of(FaultFamily.KILL, FaultFamily.POWER_LOSS, FaultFamily.PARTITION, FaultFamily.PAUSE);
    /**
     * The families a trigger aimed at a link may strike with: a one-way partition of it, which
     * also drops what is in flight on it; else the receiving end crashes (what is in flight to it
     * is lost) or pauses (it arrives only on resume). A clog would only slow what is sent later.
     */
    private static final List<FaultFamily> LINK_TRIGGER_FAMILIES = List.of(FaultFamily.PARTITION, FaultFamily.KILL, FaultFamily.POWER_LOSS, FaultFamily.PAUSE);

    private final Simulation sim;
    private final FaultPlan plan;
    private final RandomStream random;
    /** Draws for triggered faults: their own stream, so a trigger never shifts the plan's periodic draws before it strikes. */
    private final RandomStream triggerRandom;
    private final TargetOracle oracle;
    private final FaultBudget budget;
    private final Optional<FaultSchedule> schedule;
    private final List<FaultEvent> recorded = new ArrayList<>();
    private boolean active;
    private boolean partitioned;
    /** A triggered fault is scheduled and has not struck yet: triggers meanwhile are ignored. */
    private boolean triggerPending;
    private long endNanos;
    private long shiftNanos;

    /** A Nemesis that draws its faults from {@code plan}. */
    public Nemesis(Simulation sim, FaultPlan plan, TargetOracle oracle, FaultBudget budget) {
        this(sim, plan, oracle, budget, Optional.empty());
    }

    /** A Nemesis that injects {@code schedule}'s faults when present, else draws from {@code plan}. */
    public Nemesis(Simulation sim, FaultPlan plan, TargetOracle oracle, FaultBudget budget, Optional<FaultSchedule> schedule) {
        this.sim = sim;
        this.plan = plan;
        this.random = sim.stream("faults");
        this.triggerRandom = sim.stream("faults:triggered");
        this.oracle = oracle;
        this.budget = plan.unrestricted() ? FaultBudget.ANYTHING : budget;
        this.schedule = schedule;
    }

    /** Starts a fault phase of {@code phaseNanos}: no fault is injected after it ends. */
    public void start(long phaseNanos) {
        active = true;
        endNanos = sim.nowNanos() + phaseNanos;
        if (schedule.isEmpty()) {
            sim.trace("PHASE faults: " + plan.describe());
            for (Map.Entry<FaultFamily, Long> e : plan.meanIntervalMs().entrySet()) {
                drawNext(e.getKey(), e.getValue());
            }
            return;
        }
        FaultSchedule s = schedule.get();
        shiftNanos = s.faultsStartNanos().isPresent() ? sim.nowNanos() - s.faultsStartNanos().getAsLong() : 0;
        sim.trace("PHASE faults: " + s.faultCount() + " scheduled from " + s.source());
        EnumMap<FaultFamily, List<FaultEvent>> chains = new EnumMap<>(FaultFamily.class);
        for (FaultEvent e : s.events()) {
            chains.computeIfAbsent(e.family(), f -> new ArrayList<>()).add(e.shifted(shiftNanos));
        }
        for (List<FaultEvent> chain : chains.values()) {
            replayNext(chain, 0);
        }
    }

    /** Ends the fault phase: restart what is down, resume what is paused, heal the network. */
    public void heal() {
        active = false;
        sim.trace("PHASE heal: undoing every fault");
        for (int id : sim.allNodeIds()) {
            switch (sim.state(id)) {
                case DOWN -> sim.restart(id);
                case PAUSED -> sim.resume(id);
                case UP -> {}
            }
        }
        sim.healPartitions();
        sim.unclogAll();
        partitioned = false;
    }

    /** What was injected so far, in time order; draws and replayed events that hit nothing are {@code none}. */
    public List<FaultEvent> recorded() {
        return List.copyOf(recorded);
    }

    /**
     * The workload saw a moment worth a targeted fault ({@link FaultTrigger}). During the fault
     * phase of a drawn plan, with the plan's targeted probability, the fault strikes 1 µs later:
     * a trigger aimed at a node gets the first of kill, power loss, isolation, pause that the plan
     * enables and the budget allows; one aimed at a link gets a one-way partition of it, else the
     * same at its receiving end. Counted as {@code fault.<family>.targeted} and
     * {@code fault.trigger.<name>}, recorded like any other fault (a replayed schedule injects it
     * from the record and ignores triggers). Returns whether a fault was scheduled.
     */
    public boolean trigger(FaultTrigger t) {
        if (!active || schedule.isPresent() || triggerPending || plan.targetedProbability() <= 0) {
            return false;
        }
        if (sim.nowNanos() + TRIGGER_DELAY_NANOS > endNanos || !triggerRandom.chance(plan.targetedProbability())) {
            return false;
        }
        List<FaultFamily> families = !t.families().isEmpty() ? t.families() : t.aimsAtLink() ? LINK_TRIGGER_FAMILIES : TRIGGER_FAMILIES;
        FaultFamily family = null;
        for (FaultFamily f : families) {
            if (plan.enabled(f) && triggerPossible(f, t)) {
                family = f;
                break;
            }
        }
        if (family == null) {
            return false;
        }
        FaultFamily chosen = family;
        long maxMs = family == FaultFamily.PARTITION ? MAX_PARTITION_MS : MAX_OUTAGE_MS;
        long outage = t.maxOutageMs() > 0
                ? triggerRandom.nextLong(SHORT_MIN_OUTAGE_MS, Math.max(SHORT_MIN_OUTAGE_MS + 1, t.maxOutageMs())) * 1_000_000L
                : triggerRandom.nextLong(MIN_OUTAGE_MS, maxMs) * 1_000_000L;
        boolean torn = triggerRandom.chance(plan.tornWriteProbability());
        triggerPending = true;
        sim.trace("TRIGGER " + t.name() + " " + sim.name(t.nodeId()) + (t.aimsAtLink() ? " -> " + sim.name(t.peer()) : "") + ": " + t.why());
        sim.schedule(TRIGGER_DELAY_NANOS, () -> {
            triggerPending = false;
            if (!active || !triggerPossible(chosen, t)) {
                return;
            }
            long now = sim.nowNanos();
            int id = victim(chosen, t);
            FaultEvent e = switch (chosen) {
                case KILL -> FaultEvent.crash(now, CrashKind.KILL, id, now + outage);
                case POWER_LOSS -> FaultEvent.crash(now, torn ? CrashKind.POWER_LOSS_TORN : CrashKind.POWER_LOSS, id, now + outage);
                case PARTITION -> t.aimsAtLink()
                        ? FaultEvent.partition(now, Variant.ONE_WAY, List.of(id), List.of(t.peer()), now + outage)
                        : FaultEvent.partition(now, Variant.ISOLATE, List.of(id), List.of(), now + outage);
                default -> FaultEvent.pause(now, id, now + outage);
            };
            sim.count("fault." + chosen.label() + ".targeted");
            sim.count("fault.trigger." + t.name());
            apply(e);
        });
        return true;
    }

    private boolean triggerPossible(FaultFamily f, FaultTrigger t) {
        if (f == FaultFamily.PARTITION) {
            return !partitioned && (t.aimsAtLink() || eligible(f, t.nodeId()));
        }
        return eligible(f, victim(f, t));
    }

    /** The node a triggered fault of {@code f} hits: a link's receiving end unless the link itself is cut. */
    private static int victim(FaultFamily f, FaultTrigger t) {
        return t.aimsAtLink() && f != FaultFamily.PARTITION ? t.peer() : t.nodeId();
    }

    // ------------------------------------------------------------------ the two sources

    private void drawNext(FaultFamily family, long meanMs) {
        FaultChain.start(sim, random, meanMs, endNanos, () -> active, () -> apply(draw(family)));
    }

    private void replayNext(List<FaultEvent> chain, int i) {
        int next = i;
        while (next < chain.size() && chain.get(next).atNanos() < sim.nowNanos()) {
            next++; // before the fault phase (a schedule from a longer warm-up): never reached
        }
        if (next >= chain.size() || chain.get(next).atNanos() > endNanos) {
            return;
        }
        FaultEvent e = chain.get(next);
        int after = next + 1;
        sim.schedule(e.atNanos() - sim.nowNanos(), () -> {
            if (!active) {
                return;
            }
            apply(feasible(e) ? e : FaultEvent.none(e.atNanos(), e.family()));
            replayNext(chain, after);
        });
    }

    /** Can a scheduled event be injected now as it was recorded? */
    private boolean feasible(FaultEvent e) {
        return switch (e.kind()) {
            case NONE -> false;
            case CLOG -> true;
            case PARTITION -> !partitioned && (e.variant() != Variant.ISOLATE || eligible(e.family(), e.nodes().get(0)));
            default -> eligible(e.family(), e.nodes().get(0));
        };
    }

    private boolean eligible(FaultFamily family, int id) {
        return sim.role(id) != Role.CLIENT && sim.state(id) == NodeState.UP && budget.allows(family, id, sim);
    }

    // ------------------------------------------------------------------ draws

    /** Draws the next fault of {@code family} for the current state; {@code none} when there is nothing to hit. */
    private FaultEvent draw(FaultFamily family) {
        long now = sim.nowNanos();
        return switch (family) {
            case KILL -> drawCrash(family, CrashKind.KILL);
            case POWER_LOSS -> drawCrash(family, random.chance(plan.tornWriteProbability()) ? CrashKind.POWER_LOSS_TORN : CrashKind.POWER_LOSS);
            case WIPE -> drawCrash(family, CrashKind.WIPE);
            case PAUSE -> {
                OptionalInt t = pickServer(family);
                yield t.isEmpty() ? FaultEvent.none(now, family) : FaultEvent.pause(now, t.getAsInt(), now + outageNanos(MAX_OUTAGE_MS));
            }
            case PARTITION -> partitioned ? FaultEvent.none(now, family) : drawPartition();
            case CLOG -> drawClog();
        };
    }

    private FaultEvent drawCrash(FaultFamily family, CrashKind kind) {
        long now = sim.nowNanos();
        OptionalInt t = pickServer(family);
        return t.isEmpty() ? FaultEvent.none(now, family) : FaultEvent.crash(now, kind, t.getAsInt(), now + outageNanos(MAX_OUTAGE_MS));
    }

    private OptionalInt pickServer(FaultFamily family) {
        if (random.chance(plan.targetedProbability())) {
            OptionalInt t = oracle.target();
            if (t.isPresent() && eligible(family, t.getAsInt())) {
                sim.count("fault." + family.label() + ".targeted");
                return t;
            }
        }
        List<Integer> candidates = new ArrayList<>();
        for (int id : sim.allNodeIds()) {
            if (eligible(family, id)) {
                candidates.add(id);
            }
        }
        return candidates.isEmpty() ? OptionalInt.empty() : OptionalInt.of(candidates.get(random.nextInt(candidates.size())));
    }

    private FaultEvent drawPartition() {
        long now = sim.nowNanos();
        List<Integer> servers = new ArrayList<>();
        for (int id : sim.allNodeIds()) {
            if (sim.role(id) != Role.CLIENT) {
                servers.add(id);
            }
        }
        switch (random.nextInt(4)) {
            case 0 -> {
                OptionalInt t = pickServer(FaultFamily.PARTITION);
                if (t.isEmpty()) {
                    return FaultEvent.none(now, FaultFamily.PARTITION);
                }
                return FaultEvent.partition(now, Variant.ISOLATE, List.of(t.getAsInt()), List.of(), now + outageNanos(MAX_PARTITION_MS));
            }
            case 1 -> {
                List<Integer> a = new ArrayList<>();
                List<Integer> b = new ArrayList<>();
                for (int id : sim.allNodeIds()) {
                    (random.chance(0.5) ? a : b).add(id);
                }
                return FaultEvent.partition(now, Variant.HALVES, a, b, now + outageNanos(MAX_PARTITION_MS));
            }
            case 2 -> {
                return FaultEvent.partition(now, Variant.RING, shuffled(servers), List.of(), now + outageNanos(MAX_PARTITION_MS));
            }
            default -> {
                List<Integer> s = shuffled(servers);
                int k = 1 + random.nextInt(Math.max(1, s.size() - 1));
                return FaultEvent.partition(now, Variant.ONE_WAY, s.subList(0, k), s.subList(k, s.size()), now + outageNanos(MAX_PARTITION_MS));
            }
        }
    }

    private FaultEvent drawClog() {
        long now = sim.nowNanos();
        List<Integer> all = sim.allNodeIds();
        int a = all.get(random.nextInt(all.size()));
        int b = all.get(random.nextInt(all.size()));
        if (a == b) {
            return FaultEvent.none(now, FaultFamily.CLOG);
        }
        int factor = 10 + random.nextInt(91);
        return FaultEvent.clog(now, a, b, factor, now + outageNanos(MAX_OUTAGE_MS));
    }

    // ------------------------------------------------------------------ injection

    /** Injects {@code e} now (it was drawn for, or checked against, the current state) and records it. */
    private void apply(FaultEvent e) {
        if (e.atNanos() != sim.nowNanos()) {
            throw new IllegalStateException("fault for " + e.atNanos() + " applied at " + sim.nowNanos());
        }
        recorded.add(e);
        switch (e.kind()) {
            case NONE -> sim.count("fault." + e.family().label() + ".skipped");
            case PAUSE -> pause(e);
            case PARTITION -> partition(e);
            case CLOG -> clog(e);
            default -> crash(e);
        }
    }

    private void crash(FaultEvent e) {
        int id = e.nodes().get(0);
        sim.count("fault." + e.kind().label());
        sim.crash(id, e.kind().crashKind());
        int incarnation = sim.incarnation(id);
        sim.schedule(e.untilNanos() - sim.nowNanos(), () -> {
            if (sim.state(id) == NodeState.DOWN && sim.incarnation(id) == incarnation) {
                sim.restart(id);
            }
        });
    }

    private void pause(FaultEvent e) {
        int id = e.nodes().get(0);
        sim.count("fault.pause");
        sim.pause(id);
        int incarnation = sim.incarnation(id);
        sim.schedule(e.untilNanos() - sim.nowNanos(), () -> {
            if (sim.state(id) == NodeState.PAUSED && sim.incarnation(id) == incarnation) {
                sim.resume(id);
            }
        });
    }

    private void partition(FaultEvent e) {
        if (partitioned) {
            throw new IllegalStateException("a second partition while one is in place: " + e.toLine());
        }
        switch (e.variant()) {
            case ISOLATE -> {
                int lone = e.nodes().get(0);
                List<Integer> rest = new ArrayList<>(sim.allNodeIds());
                rest.remove(Integer.valueOf(lone));
                sim.partition(List.of(lone), rest, false);
            }
            case HALVES -> sim.partition(e.nodes(), e.others(), false);
            case RING -> {
                // Majority ring: servers in a circle, each reaching only its neighbours, so (with 5
                // or more) every node sees a majority, but a different one.
                List<Integer> ring = e.nodes();
                int n = ring.size();
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < n; j++) {
                        int d = Math.abs(i - j);
                        if (d > 1 && d < n - 1) {
                            sim.partition(List.of(ring.get(i)), List.of(ring.get(j)), true);
                        }
                    }
                }
            }
            case ONE_WAY -> sim.partition(e.nodes(), e.others(), true);
        }
        partitioned = true;
        sim.count("fault.partition." + e.variant().label());
        sim.trace("FAULT " + e.toLine());
        sim.schedule(e.untilNanos() - sim.nowNanos(), () -> {
            if (partitioned && active) {
                sim.healPartitions();
                partitioned = false;
                sim.trace("FAULT partition healed");
            }
        });
    }

    private void clog(FaultEvent e) {
        int a = e.nodes().get(0);
        int b = e.nodes().get(1);
        long duration = e.untilNanos() - sim.nowNanos();
        sim.clog(a, b, e.factor(), duration);
        sim.clog(b, a, e.factor(), duration);
        sim.count("fault.clog");
        sim.trace("FAULT " + e.toLine() + " (" + sim.name(a) + " <-> " + sim.name(b) + ")");
    }

    private long outageNanos(long maxMs) {
        return random.nextLong(MIN_OUTAGE_MS, maxMs) * 1_000_000L;
    }

    private List<Integer> shuffled(List<Integer> in) {
        List<Integer> out = new ArrayList<>(in);
        for (int i = out.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            Integer t = out.get(i);
            out.set(i, out.get(j));
            out.set(j, t);
        }
        return out;
    }
}
