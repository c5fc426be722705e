package dev.samsa.harness.workload.groups;

import dev.samsa.harness.check.groups.GroupCheckResult;
import dev.samsa.harness.check.groups.GroupChecker;
import dev.samsa.harness.check.groups.GroupHistory;
import dev.samsa.harness.check.groups.GroupHistoryJson;
import dev.samsa.harness.check.groups.GroupOp;
import dev.samsa.harness.check.groups.GroupPromise;
import dev.samsa.harness.fault.FaultBudget;
import dev.samsa.harness.fault.TargetOracle;
import dev.samsa.harness.run.Phase;
import dev.samsa.harness.sim.Simulation;
import dev.samsa.harness.workload.ControllerImages;
import dev.samsa.harness.sim.Violation;
import dev.samsa.harness.workload.LeaderTimeline;
import dev.samsa.harness.workload.WorkloadRun;
import dev.samsa.harness.workload.kraft.KraftChecks;
import dev.samsa.impl.metadata.ClusterImage;
import dev.samsa.impl.metadata.PartitionRegistration;
import dev.samsa.impl.protocol.TopicPartition;
import dev.samsa.reports.timeline.Timeline;
import dev.samsa.spec.config.Settings;
import dev.samsa.spec.invariant.Invariant;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;

/** One run of the groups workload: its history, client faults, fault budget and end-of-run checks. */
final class GroupsRun implements WorkloadRun {

    /** After the heal and session.timeout.ms, how long groups get to settle. */
    static final long SETTLE_NANOS = 15_000_000_000L;

    final Simulation sim;
    final List<Integer> voters;
    final List<Integer> brokers;
    final GroupPromise base;
    final GroupHistory history = new GroupHistory();
    final TreeMap<Integer, GroupMember> members = new TreeMap<>();
    /** Per static member: adds the process that takes over its group.instance.id (the zombie fault). */
    final TreeMap<Integer, Runnable> replacements = new TreeMap<>();
    final KraftChecks quorum;
    final LeaderTimeline controllers = new LeaderTimeline();
    final ClientFaults clientFaults;
    /** Where the workload reports moments worth a targeted fault (the Nemesis); none until it is handed over. */
    java.util.function.Consumer<dev.samsa.harness.fault.FaultTrigger> triggers = t -> {};
    DeadLetterReader deadLetterReader;
    boolean issuing = true;
    long healStartNs = -1;
    long quiesceStartNs = -1;
    final dev.samsa.harness.workload.BrokerTaint taint;
    /** The quorum's committed images, as the checks read them. */
    final ControllerImages images;
    int targetRotation;
    /** How long after a broker's pause or cut ends it may still act on stale leadership. */
    static final long STALE_AFTER_NANOS = 1_000_000_000L;
    final List<List<Long>> staleReadWindows = new ArrayList<>();
    long zombieSinceNs = -1;
    GroupPromise promise;
    GroupCheckResult result;

    GroupsRun(Simulation sim, List<Integer> voters, List<Integer> brokers, GroupPromise base) {
        this.sim = sim;
        this.voters = voters;
        this.images = new ControllerImages(sim, voters);
        this.brokers = brokers;
        this.base = base;
        this.quorum = new KraftChecks(sim, voters, brokers);
        this.clientFaults = new ClientFaults(sim, this);
        this.taint = new dev.samsa.harness.workload.BrokerTaint(sim, brokers, this::freshImage);
    }

    void afterEvent() {
        quorum.afterEvent();
        trackZombies();
        controllers.observe(sim, quorum.currentLeader());
        taint.update();
    }

    /** Stale-read windows: while some broker is paused or cut off from a controller, and a second after. */
    private void trackZombies() {
        boolean zombie = false;
        for (int b : brokers) {
            Simulation.NodeState st = sim.state(b);
            if (st == Simulation.NodeState.PAUSED) {
                zombie = true;
            } else if (st == Simulation.NodeState.UP) {
                for (int c : voters) {
                    zombie |= sim.isBlocked(b, c) || sim.isBlocked(c, b);
                }
            }
        }
        long now = sim.nowNanos();
        if (zombie && zombieSinceNs < 0) {
            zombieSinceNs = now;
        } else if (!zombie && zombieSinceNs >= 0) {
            staleReadWindows.add(List.of(zombieSinceNs, now + STALE_AFTER_NANOS));
            zombieSinceNs = -1;
        }
    }

    /** The most advanced committed metadata image among the live controllers. */
    Optional<ClusterImage> activeImage() {
        return images.active();
    }

    /** The most advanced image, unless every controller restarted and rebuilds an image of the past. */
    Optional<ClusterImage> freshImage() {
        return images.fresh();
    }

    /** The __consumer_offsets partition of {@code group}, as Kafka picks it: abs(hashCode) % offsets.topic.num.partitions. */
    TopicPartition coordinatorPartition(String group) {
        int n = sim.settings().getInt("offsets.topic.num.partitions");
        int h = group.hashCode();
        return new TopicPartition("__consumer_offsets", (h == Integer.MIN_VALUE ? 0 : Math.abs(h)) % n);
    }

    void startReplacement(int member) {
        Runnable add = replacements.remove(member);
        if (add != null) {
            add.run();
        }
    }

    @Override
    public TargetOracle targetOracle() {
        return () -> {
            Optional<ClusterImage> img = activeImage();
            if (img.isEmpty() || (targetRotation++ % 3) == 0) {
                return quorum.currentLeader().map(OptionalInt::of).orElse(OptionalInt.empty());
            }
            // a group coordinator: the leader of its __consumer_offsets partition
            String group = base.groups().get(targetRotation % base.groups().size());
            Optional<PartitionRegistration> p = img.get().partition(coordinatorPartition(group));
            return p.isPresent() && p.get().hasLeader() ? OptionalInt.of(p.get().leader()) : OptionalInt.empty();
        };
    }

    @Override
    public void watchTriggers(java.util.function.Consumer<dev.samsa.harness.fault.FaultTrigger> nemesis) {
        this.triggers = nemesis;
    }

    /** The broker leading {@code group}'s __consumer_offsets partition (its coordinator), as the freshest image says. */
    OptionalInt coordinatorOf(String group) {
        Optional<PartitionRegistration> p = freshImage().flatMap(img -> img.partition(coordinatorPartition(group)));
        return p.isPresent() && p.get().hasLeader() ? OptionalInt.of(p.get().leader()) : OptionalInt.empty();
    }

    @Override
    public FaultBudget faultBudget() {
        return taint.faultBudget();
    }

    @Override
    public boolean outsidePromise() {
        return quorum.anyControllerWiped() || taint.budgetExceeded();
    }

    @Override
    public void onPhase(Phase phase) {
        switch (phase) {
            case FAULTS -> clientFaults.start(sim.settings().getMsAsNanos("sim.faults.ms"));
            case HEAL -> healStartNs = sim.nowNanos();
            case QUIESCE -> {
                issuing = false;
                quiesceStartNs = sim.nowNanos();
                if (deadLetterReader != null && sim.node(GroupsWorkload.DLT_READER_ID).orElse(null) == deadLetterReader) {
                    deadLetterReader.begin();
                }
                long quiesce = sim.settings().getMsAsNanos("sim.quiesce.ms");
                sim.schedule(Math.max(0, quiesce - 3_000_000_000L), this::finalReads);
            }
            default -> {}
        }
    }

    private void finalReads() {
        for (var e : members.entrySet()) {
            if (sim.state(e.getKey()) == Simulation.NodeState.UP && sim.node(e.getKey()).orElse(null) == e.getValue()) {
                e.getValue().finalRead();
            }
        }
    }

    @Override
    public void finish() {
        if (quorum.currentLeader().isEmpty()) {
            sim.violation(Violation.of(Invariant.KRAFT_CONVERGES, -1, "no active controller at the end of the quiesce phase"));
            return;
        }
        promise = promise(sim.nowNanos());
        result = GroupChecker.check(history.ops(), promise);
        for (var a : result.anomalies()) {
            Invariant inv = Invariant.byId(a.invariantId()).orElseThrow();
            Violation v = Violation.of(inv, -1, a.evidence() + (a.expected() ? " [expected: " + a.whyExpected() + "]" : ""));
            sim.violation(a.expected() || outsidePromise() ? v.asExpected() : v);
        }
    }

    /** What this run promised, now that it is over. */
    GroupPromise promise(long endNs) {
        Settings s = sim.settings();
        String acks = s.get("acks");
        String lossy = !acks.equals("all") && !acks.equals("-1") ? "acks=" + acks
                : s.getBoolean("unclean.leader.election.enable") ? "unclean.leader.election.enable=true"
                : taint.lastReplicaStanding() ? "last replica standing: a broker that lost unflushed data was elected as the only in-sync replica (KIP-966 ELR not modelled)"
                : outsidePromise() ? "faults beyond the durability budget (--faults unrestricted)" : "";
        String expire = lossy.isEmpty() ? offsetsMayExpire() : lossy;
        // A coordinator that loads a group after a fail-over, or a member that died, leaves members in the group that
        // will never heartbeat again: a rebalance waits up to session.timeout.ms for them, and one that died after it sent
        // JoinGroup is even taken into the next generation (as its leader, maybe), whose sync then waits a second session.
        long sessionNs = s.getMsAsNanos("session.timeout.ms");
        long deadline = Math.max(healStartNs, clientFaults.lastFaultEndNs()) + 2 * sessionNs + SETTLE_NANOS;
        String whyNot = "";
        if (healStartNs < 0 || deadline > endNs - 1_000_000_000L) {
            whyNot = "the run ends before the groups must be stable again (heal + 2 x session.timeout.ms=" + s.get("session.timeout.ms") + " + "
                    + SETTLE_NANOS / 1_000_000_000L + " s); a longer sim.quiesce.ms judges it";
            deadline = -1;
        }
        boolean finalReads = quiesceStartNs >= 0;
        for (String g : base.groups()) {
            boolean read = false;
            for (GroupOp op : history.ops()) {
                read |= op.type() == GroupOp.Type.FETCH && op.group().equals(g) && op.outcome() == GroupOp.Outcome.OK && op.invokeNs() >= quiesceStartNs;
            }
            finalReads &= read;
        }
        if (deadLetterReader != null) {
            finalReads &= deadLetterReader.lastPollNs() >= endNs - 2_000_000_000L;
        }
        List<List<Long>> windows = new ArrayList<>(staleReadWindows);
        if (zombieSinceNs >= 0) {
            windows.add(List.of(zombieSinceNs, endNs));
        }
        return new GroupPromise(base.topic(), base.partitions(), base.groups(), base.processing(), base.strategy(), base.staticMembership(),
                base.poisonEvery(), lossy, expire, finalReads, deadline, whyNot, windows);
    }

    /**
     * Offsets may expire only offsets.retention.minutes after their group became empty (KIP-211):
     * judged here from the history, generously (a crashed member counts as gone at once, though
     * the coordinator keeps it until its session times out).
     */
    private String offsetsMayExpire() {
        long retentionNs = sim.settings().getLong("offsets.retention.minutes") * 60_000_000_000L;
        for (String g : base.groups()) {
            TreeMap<Integer, Boolean> in = new TreeMap<>();
            long emptySince = -1;
            for (GroupOp op : history.ops()) {
                if (!op.group().equals(g)) {
                    continue;
                }
                switch (op.type()) {
                    case JOIN_STARTED, JOINED -> in.put(op.process(), true);
                    case CRASH, LEAVE -> in.put(op.process(), false);
                    default -> {
                        continue;
                    }
                }
                boolean empty = !in.containsValue(true);
                if (empty && emptySince < 0) {
                    emptySince = op.completeNs();
                } else if (!empty && emptySince >= 0) {
                    if (op.completeNs() - emptySince >= retentionNs) {
                        return "group " + g + " was empty for offsets.retention.minutes=" + sim.settings().get("offsets.retention.minutes");
                    }
                    emptySince = -1;
                }
            }
            if (emptySince >= 0 && sim.nowNanos() - emptySince >= retentionNs) {
                return "group " + g + " was empty for offsets.retention.minutes=" + sim.settings().get("offsets.retention.minutes");
            }
        }
        return "";
    }

    @Override
    public void writeArtifacts(java.nio.file.Path dir, long seed, String cliOptions) {
        GroupPromise p = promise != null ? promise : promise(sim.nowNanos());
        GroupHistoryJson.write(dir.resolve("history.jsonl"), new GroupHistoryJson.Header(seed, cliOptions, sim.settings().nonDefaults(), p), history.ops());
    }

    @Override
    public List<Timeline.Row> timelineClients() {
        return GroupTimelineRows.rows(sim, history.ops());
    }

    @Override
    public List<Timeline.Lane> timelineLanes(long endNanos) {
        return List.of(controllers.lane(sim, endNanos));
    }

    @Override
    public List<Long> rebalanceNanos() {
        List<Long> out = new ArrayList<>();
        if (result != null) {
            result.rebalances().forEach(r -> out.add(r.durationNs()));
        }
        return out;
    }

    @Override
    public NavigableMap<String, Long> stats() {
        TreeMap<String, Long> m = new TreeMap<>();
        if (result != null) {
            m.putAll(result.counts());
            m.put("rebalances", (long) result.rebalances().size());
        } else {
            for (GroupOp op : history.ops()) {
                m.merge(op.type().name().toLowerCase().replace('_', '-') + "." + op.outcome().name().toLowerCase(), 1L, Long::sum);
            }
        }
        return m;
    }
}
