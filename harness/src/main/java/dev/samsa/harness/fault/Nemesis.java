package dev.samsa.harness.fault;

import dev.samsa.harness.sim.CrashKind;
import dev.samsa.harness.sim.Role;
import dev.samsa.harness.sim.Simulation;
import dev.samsa.harness.sim.Simulation.NodeState;
import dev.samsa.impl.node.RandomStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Injects the faults of a {@link FaultPlan} during the fault phase and undoes them all at
 * heal. Every injection is counted as {@code fault.<family>[.<variant>]} in the simulation's
 * counters, and traced. Only servers (controllers, brokers) crash or pause; partitions and
 * clogs may involve clients too.
 */
public final class Nemesis {

    private static final long MIN_OUTAGE_MS = 500;
    private static final long MAX_OUTAGE_MS = 10_000;
    private static final long MAX_PARTITION_MS = 15_000;

    private final Simulation sim;
    private final FaultPlan plan;
    private final RandomStream random;
    private final TargetOracle oracle;
    private final FaultBudget budget;
    private boolean active;
    private boolean partitioned;

    public Nemesis(Simulation sim, FaultPlan plan, TargetOracle oracle, FaultBudget budget) {
        this.sim = sim;
        this.plan = plan;
        this.random = sim.stream("faults");
        this.oracle = oracle;
        this.budget = plan.unrestricted() ? FaultBudget.ANYTHING : budget;
    }

    /** Starts the fault phase: each enabled family injects at exponential intervals. */
    public void start() {
        active = true;
        sim.trace("PHASE faults: " + plan.describe());
        for (Map.Entry<FaultFamily, Long> e : plan.meanIntervalMs().entrySet()) {
            scheduleNext(e.getKey(), e.getValue());
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

    private void scheduleNext(FaultFamily family, long meanMs) {
        long delay = (long) (random.nextExponential(meanMs) * 1_000_000L);
        sim.schedule(delay, () -> {
            if (!active) {
                return;
            }
            inject(family);
            scheduleNext(family, meanMs);
        });
    }

    private void inject(FaultFamily family) {
        switch (family) {
            case KILL -> crash(family, CrashKind.KILL);
            case POWER_LOSS -> crash(family, random.chance(plan.tornWriteProbability()) ? CrashKind.POWER_LOSS_TORN : CrashKind.POWER_LOSS);
            case WIPE -> crash(family, CrashKind.WIPE);
            case PAUSE -> pause();
            case PARTITION -> partition();
            case CLOG -> clog();
        }
    }

    private OptionalInt pickServer(FaultFamily family) {
        if (random.chance(plan.targetedProbability())) {
            OptionalInt t = oracle.target();
            if (t.isPresent() && sim.state(t.getAsInt()) == NodeState.UP && budget.allows(family, t.getAsInt(), sim)) {
                sim.count("fault." + family.label() + ".targeted");
                return t;
            }
        }
        List<Integer> candidates = new ArrayList<>();
        for (int id : sim.allNodeIds()) {
            if (sim.role(id) != Role.CLIENT && sim.state(id) == NodeState.UP && budget.allows(family, id, sim)) {
                candidates.add(id);
            }
        }
        return candidates.isEmpty() ? OptionalInt.empty() : OptionalInt.of(candidates.get(random.nextInt(candidates.size())));
    }

    private void crash(FaultFamily family, CrashKind kind) {
        OptionalInt target = pickServer(family);
        if (target.isEmpty()) {
            sim.count("fault." + family.label() + ".skipped");
            return;
        }
        int id = target.getAsInt();
        sim.count("fault." + kind.label());
        sim.crash(id, kind);
        int incarnation = sim.incarnation(id);
        sim.schedule(outageNanos(MAX_OUTAGE_MS), () -> {
            if (sim.state(id) == NodeState.DOWN && sim.incarnation(id) == incarnation) {
                sim.restart(id);
            }
        });
    }

    private void pause() {
        OptionalInt target = pickServer(FaultFamily.PAUSE);
        if (target.isEmpty()) {
            sim.count("fault.pause.skipped");
            return;
        }
        int id = target.getAsInt();
        sim.count("fault.pause");
        sim.pause(id);
        int incarnation = sim.incarnation(id);
        sim.schedule(outageNanos(MAX_OUTAGE_MS), () -> {
            if (sim.state(id) == NodeState.PAUSED && sim.incarnation(id) == incarnation) {
                sim.resume(id);
            }
        });
    }

    private void partition() {
        if (partitioned) {
            sim.count("fault.partition.skipped");
            return;
        }
        List<Integer> servers = new ArrayList<>();
        for (int id : sim.allNodeIds()) {
            if (sim.role(id) != Role.CLIENT) {
                servers.add(id);
            }
        }
        List<Integer> all = sim.allNodeIds();
        String variant;
        switch (random.nextInt(4)) {
            case 0 -> {
                OptionalInt t = pickServer(FaultFamily.PARTITION);
                if (t.isEmpty()) {
                    sim.count("fault.partition.skipped");
                    return;
                }
                int lone = t.getAsInt();
                List<Integer> rest = new ArrayList<>(all);
                rest.remove(Integer.valueOf(lone));
                sim.partition(List.of(lone), rest, false);
                variant = "isolate " + sim.name(lone);
                sim.count("fault.partition.isolate");
            }
            case 1 -> {
                List<Integer> a = new ArrayList<>();
                List<Integer> b = new ArrayList<>();
                for (int id : all) {
                    (random.chance(0.5) ? a : b).add(id);
                }
                sim.partition(a, b, false);
                variant = "halves " + names(a) + " | " + names(b);
                sim.count("fault.partition.halves");
            }
            case 2 -> {
                // Majority ring: servers in a random circle, each reaching only its neighbours,
                // so (with 5 or more) every node sees a majority, but a different one.
                List<Integer> ring = shuffled(servers);
                int n = ring.size();
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < n; j++) {
                        int d = Math.abs(i - j);
                        if (d > 1 && d < n - 1) {
                            sim.partition(List.of(ring.get(i)), List.of(ring.get(j)), true);
                        }
                    }
                }
                variant = "ring " + names(ring);
                sim.count("fault.partition.ring");
            }
            default -> {
                List<Integer> s = shuffled(servers);
                int k = 1 + random.nextInt(Math.max(1, s.size() - 1));
                List<Integer> from = s.subList(0, k);
                List<Integer> to = s.subList(k, s.size());
                sim.partition(from, to, true);
                variant = "one-way " + names(from) + " -/-> " + names(to);
                sim.count("fault.partition.one-way");
            }
        }
        partitioned = true;
        sim.trace("FAULT partition " + variant);
        sim.schedule(outageNanos(MAX_PARTITION_MS), () -> {
            if (partitioned && active) {
                sim.healPartitions();
                partitioned = false;
                sim.trace("FAULT partition healed");
            }
        });
    }

    private void clog() {
        List<Integer> all = sim.allNodeIds();
        int a = all.get(random.nextInt(all.size()));
        int b = all.get(random.nextInt(all.size()));
        if (a == b) {
            sim.count("fault.clog.skipped");
            return;
        }
        double factor = 10 + random.nextInt(91);
        long duration = outageNanos(MAX_OUTAGE_MS);
        sim.clog(a, b, factor, duration);
        sim.clog(b, a, factor, duration);
        sim.count("fault.clog");
        sim.trace("FAULT clog " + sim.name(a) + " <-> " + sim.name(b) + " x" + (int) factor);
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

    private String names(List<Integer> ids) {
        List<String> n = new ArrayList<>();
        for (int id : ids) {
            n.add(sim.name(id));
        }
        return String.join(",", n);
    }
}
