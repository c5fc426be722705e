package dev.samsa.bench;

import static dev.samsa.bench.ThroughputBenchmark.BROKERS;
import static dev.samsa.bench.ThroughputBenchmark.MS;

import dev.samsa.harness.sim.Role;
import dev.samsa.harness.sim.Simulation;
import dev.samsa.impl.broker.BrokerNode;
import dev.samsa.impl.group.ClassicGroup;
import dev.samsa.impl.group.ClassicGroupState;
import dev.samsa.impl.protocol.TopicPartition;
import dev.samsa.spec.config.Settings;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * Consumer group rebalances, without faults: 3 controllers, 3 brokers, one topic of
 * {@value #PARTITIONS} partitions (3 replicas), {@value #MEMBERS} consumers ({@link
 * GroupMemberClient}: subscribe, group.id set, a poll loop) in one group, with {@code
 * partition.assignment.strategy} = {@code strategy}. Auto-commit is off (there is nothing to
 * consume); session.timeout.ms, heartbeat.interval.ms and group.initial.rebalance.delay.ms are
 * Kafka's defaults (45 s, 3 s, 3 s).
 *
 * <p>One invocation per iteration (single shot); the JMH score is wall time.
 * <ul>
 *   <li>{@code coldStart}: from a cluster with the topic created and no consumer to a stable group
 *       (below), {@value #MEMBERS} members joining at once; the cluster is built anew, untimed,
 *       before each iteration. Includes creating {@code __consumer_offsets} and the coordinator
 *       loading it.
 *   <li>{@code rebalance}: in a stable group, one member leaves ({@code change=leave}: LeaveGroup
 *       from close()) or one new member joins ({@code change=join}), until the group is stable
 *       again. The cluster and its group are built once per fork; before each iteration the group
 *       is brought back, untimed, to the state the change starts from.
 * </ul>
 * Counter {@code simRebalanceMs} (printed too): the simulated ms from the start of the change to
 * the last member receiving its assignment of the stable generation. Counter {@code events}:
 * simulation events fired. Both are per iteration (read the per-iteration lines: JMH sums
 * "events" counters over iterations in its summary).
 *
 * <p>Stable, checked after every {@value #STEP_MILLIS} simulated ms: the coordinator holds the
 * group in state Stable with exactly the live members, every live member has the coordinator's
 * generation, and their assignments are disjoint and cover all {@value #PARTITIONS} partitions
 * (so a cooperative rebalance counts only once its second round has handed out what the first
 * revoked). A group not stable within {@value #LIMIT_MILLIS} simulated ms fails the benchmark.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar RebalanceBenchmark.rebalance -wi 1 -i 3 -f 1
 * java -jar benchmarks/target/benchmarks.jar RebalanceBenchmark.coldStart -p change=leave -wi 1 -i 3 -f 1</pre>
 * ({@code change} means nothing to {@code coldStart}: pin it to one value.)
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgs = {"-Xmx2g"})
@State(Scope.Thread)
public class RebalanceBenchmark {

    static final String TOPIC = "rebalance";
    static final String GROUP = "bench-group";
    static final int PARTITIONS = 200;
    static final int MEMBERS = 50;
    static final long STEP_MILLIS = 10;
    static final long LIMIT_MILLIS = 120_000;
    private static final int FIRST_MEMBER_ID = 20_000;

    @Param({"range", "cooperative-sticky"})
    public String strategy;

    /** For {@code rebalance}: what changes in the stable group. */
    @Param({"leave", "join"})
    public String change;

    /** Per iteration: simulated ms of the measured rebalance, and events fired. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Counters {
        public long simRebalanceMs;
        public long events;

        @Setup(Level.Iteration)
        public void reset() {
            simRebalanceMs = 0;
            events = 0;
        }
    }

    private Simulation sim;
    private Settings consumerSettings;
    private final List<GroupMemberClient> members = new ArrayList<>();
    private int nextMemberId;
    private long seed;

    @Setup(Level.Trial)
    public void setUpTrial(BenchmarkParams params) {
        if (params.getBenchmark().endsWith(".rebalance")) {
            startClusterAndTopic();
            addMembers(MEMBERS);
            awaitStable("initial group");
        }
    }

    @Setup(Level.Iteration)
    public void setUpIteration(BenchmarkParams params) {
        if (params.getBenchmark().endsWith(".coldStart")) {
            startClusterAndTopic();
            return;
        }
        // Bring the group to the starting point of the change: MEMBERS live members for a leave, one fewer for a join.
        int target = change.equals("leave") ? MEMBERS : MEMBERS - 1;
        if (live().size() < target) {
            addMembers(target - live().size());
            awaitStable("group before the iteration");
        } else if (live().size() > target) {
            live().get(live().size() - 1).close();
            awaitStable("group before the iteration");
        }
    }

    private void startClusterAndTopic() {
        Settings settings = Settings.defaults()
                .with("min.insync.replicas", "2")
                .with("default.replication.factor", "3");
        consumerSettings = settings
                .with("group.id", GROUP)
                .with("partition.assignment.strategy", strategy)
                .with("enable.auto.commit", "false");
        sim = ThroughputBenchmark.startCluster(settings, ++seed, TOPIC, PARTITIONS);
        members.clear();
        nextMemberId = FIRST_MEMBER_ID;
    }

    private void addMembers(int n) {
        for (int i = 0; i < n; i++) {
            int id = nextMemberId++;
            GroupMemberClient[] m = new GroupMemberClient[1];
            sim.addNode(id, "member-" + id, Role.CLIENT, ctx -> m[0] = new GroupMemberClient(ctx, BROKERS, TOPIC, consumerSettings));
            members.add(m[0]);
        }
    }

    private List<GroupMemberClient> live() {
        List<GroupMemberClient> out = new ArrayList<>();
        for (GroupMemberClient m : members) {
            if (!m.closing()) {
                out.add(m);
            }
        }
        return out;
    }

    /** Runs until the group is stable; returns the simulated ns at which its last member got its assignment. */
    private long awaitStable(String what) {
        long start = sim.nowNanos();
        while (!stable()) {
            if (sim.nowNanos() - start > LIMIT_MILLIS * MS) {
                throw new IllegalStateException(what + " (" + strategy + ") not stable after " + LIMIT_MILLIS + " simulated ms: "
                        + describe());
            }
            sim.runUntil(sim.nowNanos() + STEP_MILLIS * MS);
        }
        long last = 0;
        for (GroupMemberClient m : live()) {
            last = Math.max(last, m.lastJoinedNanos());
        }
        return last;
    }

    private Optional<ClassicGroup> coordinatorGroup() {
        for (int b : BROKERS) {
            if (sim.node(b).orElse(null) instanceof BrokerNode broker) {
                Optional<ClassicGroup> g = broker.groupCoordinator().group(GROUP);
                if (g.isPresent() && !g.get().is(ClassicGroupState.DEAD)) {
                    return g;
                }
            }
        }
        return Optional.empty();
    }

    private boolean stable() {
        Optional<ClassicGroup> g = coordinatorGroup();
        List<GroupMemberClient> live = live();
        if (g.isEmpty() || !g.get().is(ClassicGroupState.STABLE) || g.get().members().size() != live.size()) {
            return false;
        }
        int generation = g.get().generationId();
        TreeSet<TopicPartition> covered = new TreeSet<>();
        int assigned = 0;
        for (GroupMemberClient m : live) {
            if (m.groupMetadata().generationId() != generation || !g.get().has(m.groupMetadata().memberId())) {
                return false;
            }
            covered.addAll(m.assignment());
            assigned += m.assignment().size();
        }
        return assigned == PARTITIONS && covered.size() == PARTITIONS;
    }

    private String describe() {
        Optional<ClassicGroup> g = coordinatorGroup();
        int assigned = 0;
        TreeSet<Integer> generations = new TreeSet<>();
        List<Integer> sizes = new ArrayList<>();
        for (GroupMemberClient m : live()) {
            assigned += m.assignment().size();
            sizes.add(m.assignment().size());
            generations.add(m.groupMetadata().generationId());
        }
        return "coordinator " + g.map(ClassicGroup::toString).orElse("has no group") + "; " + live().size()
                + " live members at generations " + generations + " holding " + assigned + " partitions " + sizes;
    }

    /** From no consumer to a stable group of MEMBERS covering all partitions. */
    @Benchmark
    public long coldStart(Counters counters) {
        long events = sim.eventsFired();
        long start = sim.nowNanos();
        addMembers(MEMBERS);
        long done = awaitStable("cold start");
        counters.simRebalanceMs = (done - start) / MS;
        counters.events = sim.eventsFired() - events;
        System.out.printf("%n  %s cold start: stable after %d simulated ms, %d events%n", strategy, counters.simRebalanceMs, counters.events);
        return sim.traceHash();
    }

    /** One member leaves (or joins) a stable group, until it is stable again. */
    @Benchmark
    public long rebalance(Counters counters) {
        long events = sim.eventsFired();
        long start = sim.nowNanos();
        if (change.equals("leave")) {
            live().get(live().size() - 1).close();
        } else {
            addMembers(1);
        }
        long done = awaitStable("rebalance after a " + change);
        counters.simRebalanceMs = (done - start) / MS;
        counters.events = sim.eventsFired() - events;
        System.out.printf("%n  %s %s: stable after %d simulated ms, %d events%n", strategy, change, counters.simRebalanceMs, counters.events);
        return sim.traceHash();
    }
}
