package dev.samsa.harness.workload.queue;

import dev.samsa.harness.sim.Simulation;
import dev.samsa.harness.sim.Simulation.NodeState;
import dev.samsa.harness.sim.Violation;
import dev.samsa.impl.broker.BrokerNode;
import dev.samsa.impl.log.Record;
import dev.samsa.impl.log.RecordBatch;
import dev.samsa.impl.log.UnifiedLog;
import dev.samsa.impl.metadata.ClusterImage;
import dev.samsa.impl.metadata.PartitionRegistration;
import dev.samsa.impl.protocol.TopicPartition;
import dev.samsa.impl.replication.Partition;
import dev.samsa.spec.invariant.Invariant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The data plane's invariants on the brokers' live state, after every event: log start ≤ HW ≤
 * LEO on every replica; a replica's HW never goes back within one incarnation of its log; and
 * every offset below any replica's HW holds the same record (epoch and value) wherever it is
 * exposed — Log Matching over what was committed. At the end: every partition has a leader and
 * its in-sync replicas hold the leader's log below the HW.
 */
final class ReplicaChecks {

    /** Per replica (broker, partition): what was last seen. */
    private static final class Seen {
        UnifiedLog log;
        long hw;
        long verifiedUpTo;
        /** The log end offset last seen while the broker was up (its disk keeps it while down). */
        long leo = -1;
    }

    private final Simulation sim;
    private final List<Integer> brokers;
    /** Why durability is not promised in this run, or empty when it is. */
    private final Supplier<String> notDurable;
    /** broker → partition → what was last seen of that replica. */
    private final TreeMap<Integer, TreeMap<TopicPartition, Seen>> seen = new TreeMap<>();
    /** Per partition: the record at each offset as first exposed below some replica's HW ("e<epoch> <value>"). */
    private final TreeMap<TopicPartition, ArrayList<String>> committed = new TreeMap<>();
    /** Per partition: the highest log start offset any replica reached (retention). */
    private final TreeMap<TopicPartition, Long> retentionHorizon = new TreeMap<>();
    private final EnumSet<Invariant> reported = EnumSet.noneOf(Invariant.class);
    /** Per partition: the leader HW last verified to be held by enough replicas. */
    private final TreeMap<TopicPartition, Long> verifiedHw = new TreeMap<>();
    private final int minIsr;

    /** The active controller's committed image, when there is an active controller. */
    private Supplier<Optional<ClusterImage>> activeImage = Optional::empty;
    /** Brokers that lost unflushed data and have not re-registered and caught up (their LEO may legitimately lag). */
    private java.util.function.IntPredicate tainted = b -> false;
    /** Per partition: the highest HW any leader reached. */
    private final TreeMap<TopicPartition, Long> maxLeaderHw = new TreeMap<>();

    ReplicaChecks(Simulation sim, List<Integer> brokers, Supplier<String> notDurable) {
        this.sim = sim;
        this.brokers = brokers;
        this.notDurable = notDurable;
        this.minIsr = sim.settings().getInt("min.insync.replicas");
    }

    private void report(Invariant inv, String evidence, boolean endOfRun) {
        if (!reported.add(inv)) {
            return;
        }
        Violation v = Violation.of(inv, endOfRun ? -1 : sim.nowNanos(), evidence);
        String why = notDurable.get();
        boolean expected = !why.isEmpty() && inv != Invariant.REPLICA_HW_LE_LEO;
        sim.violation(expected ? v.asExpected() : v);
    }

    void afterEvent() {
        for (int b : brokers) {
            if (sim.state(b) == NodeState.DOWN) {
                continue;
            }
            BrokerNode bn = (BrokerNode) sim.node(b).orElseThrow();
            for (Partition p : bn.replicaManager().partitions().values()) {
                check(b, p);
            }
        }
        for (int b : brokers) {
            if (sim.state(b) != NodeState.DOWN) {
                for (Partition p : ((BrokerNode) sim.node(b).orElseThrow()).replicaManager().partitions().values()) {
                    if (p.role() == Partition.Role.LEADER) {
                        checkReplicated(b, p);
                        maxLeaderHw.merge(p.topicPartition(), p.log().highWatermark(), Math::max);
                    }
                }
            }
        }
        checkIsrComplete();
    }

    /** Wires the leader-completeness check to the workload's view of the controller and of tainted brokers. */
    void watchIsr(Supplier<Optional<ClusterImage>> activeImage, java.util.function.IntPredicate tainted) {
        this.activeImage = activeImage;
        this.tainted = tainted;
    }

    /**
     * Leader completeness: every member of the committed ISR reaches the highest HW any leader of
     * the partition reached (a down member counts with what its disk kept: the LEO last seen).
     */
    private void checkIsrComplete() {
        Optional<ClusterImage> img = activeImage.get();
        if (img.isEmpty()) {
            return;
        }
        for (PartitionRegistration reg : img.get().partitions().values()) {
            long committedHw = maxLeaderHw.getOrDefault(reg.tp(), 0L);
            for (int m : reg.isr()) {
                if (tainted.test(m)) {
                    continue;
                }
                long leo = lastKnownLeo(m, reg.tp());
                if (leo >= 0 && leo < committedHw) {
                    report(Invariant.REPLICA_ISR_COMPLETE, reg.tp() + ": broker " + m + " is in the ISR " + reg.isr() + " (leader " + reg.leader()
                            + " e" + reg.leaderEpoch() + ") but its log ends at " + leo + ", below the high watermark " + committedHw
                            + " a leader already reached: a clean election of it would lose committed records", false);
                    return;
                }
            }
        }
    }

    /**
     * When a leader's HW moved: the replicas whose log reaches it (a down replica counts with the
     * log end it had when last seen up: its disk keeps it) must be at least min.insync.replicas.
     */
    private void checkReplicated(int leader, Partition p) {
        long hw = p.log().highWatermark();
        Long verified = verifiedHw.get(p.topicPartition());
        if ((verified != null && hw <= verified) || hw <= p.log().logStartOffset()) {
            return; // nothing new is exposed
        }
        verifiedHw.put(p.topicPartition(), hw);
        int holders = 0;
        StringBuilder who = new StringBuilder();
        for (int r : p.replicas()) {
            long leo = lastKnownLeo(r, p.topicPartition());
            who.append(' ').append(r).append(':').append(leo);
            if (leo >= hw) {
                holders++;
            }
        }
        int needed = Math.min(minIsr, p.replicas().size());
        if (holders < needed) {
            report(Invariant.REPLICA_HW_REPLICATED, sim.name(leader) + " " + p.topicPartition() + " (leader e" + p.leaderEpoch() + ", isr " + p.isr()
                    + ") moved its high watermark to " + hw + " but only " + holders + " replica(s) reach it (min.insync.replicas=" + minIsr
                    + "; log ends by replica:" + who + ")", false);
        }
    }

    /** The log end offset of {@code broker}'s replica of {@code tp} when last seen up; -1 if never. */
    private long lastKnownLeo(int broker, TopicPartition tp) {
        TreeMap<TopicPartition, Seen> byPartition = seen.get(broker);
        Seen s = byPartition == null ? null : byPartition.get(tp);
        return s == null ? -1 : s.leo;
    }

    private void check(int broker, Partition p) {
        UnifiedLog log = p.log();
        TopicPartition tp = p.topicPartition();
        long start = log.logStartOffset();
        long hw = log.highWatermark();
        long leo = log.logEndOffset();
        if (start > hw || hw > leo) {
            report(Invariant.REPLICA_HW_LE_LEO, sim.name(broker) + " " + tp + ": log start " + start + ", high watermark " + hw + ", log end " + leo, false);
        }
        retentionHorizon.merge(tp, start, Math::max);
        Seen s = seen.computeIfAbsent(broker, k -> new TreeMap<>()).computeIfAbsent(tp, k -> new Seen());
        s.leo = leo;
        if (s.log != log) {
            s.log = log; // a new incarnation recovered its log: its HW starts again from the checkpoint
            s.hw = hw;
            s.verifiedUpTo = 0;
        } else if (hw < s.hw) {
            report(Invariant.REPLICA_HW_MONOTONIC, sim.name(broker) + " " + tp + " (" + p.role() + " e" + p.leaderEpoch() + "): high watermark went from "
                    + s.hw + " back to " + hw, false);
        }
        s.hw = hw;
        if (s.verifiedUpTo > hw) {
            s.verifiedUpTo = hw;
        }
        ArrayList<String> known = committed.computeIfAbsent(tp, k -> new ArrayList<>());
        long from = Math.max(s.verifiedUpTo, start);
        for (long o = from; o < hw && o < leo; ) {
            RecordBatch batch = log.batchContaining(o);
            for (long x = Math.max(o, batch.baseOffset()); x <= batch.lastOffset() && x < hw; x++) {
                String id = "e" + batch.partitionLeaderEpoch() + " " + recordAt(batch, x);
                while (known.size() <= x) {
                    known.add(null);
                }
                String had = known.get((int) x);
                if (had == null) {
                    known.set((int) x, id);
                } else if (!had.equals(id)) {
                    report(Invariant.REPLICA_COMMITTED_CONSISTENT, sim.name(broker) + " " + tp + " has [" + id + "] at offset " + x
                            + " below its high watermark " + hw + ", where [" + had + "] was committed before", false);
                }
            }
            o = batch.nextOffset();
        }
        s.verifiedUpTo = Math.max(s.verifiedUpTo, hw);
    }

    private static String recordAt(RecordBatch batch, long offset) {
        Record r = batch.records().get((int) (offset - batch.baseOffset()));
        return r.value() == null ? "null" : r.value();
    }

    TreeMap<TopicPartition, Long> retentionHorizon() {
        return retentionHorizon;
    }

    /** After quiesce: every partition has a leader, and each in-sync replica holds the leader's log below its HW. */
    void atEnd(ClusterImage image) {
        for (PartitionRegistration reg : image.partitions().values()) {
            if (!reg.hasLeader()) {
                report(Invariant.REPLICA_ISR_CONSISTENT, reg.tp() + " has no leader at the end of the quiesce phase (isr " + reg.isr() + ")", true);
                return;
            }
            Optional<Partition> leader = partitionOn(reg.leader(), reg.tp());
            if (leader.isEmpty() || leader.get().role() != Partition.Role.LEADER) {
                report(Invariant.REPLICA_ISR_CONSISTENT, reg.tp() + ": broker " + reg.leader() + " is its leader in the metadata but does not lead it at the end ("
                        + leader.map(p -> p.role() + " e" + p.leaderEpoch()).orElse("down") + ")", true);
                return;
            }
            UnifiedLog ll = leader.get().log();
            for (int m : reg.isr()) {
                Optional<Partition> f = partitionOn(m, reg.tp());
                if (m == reg.leader() || f.isEmpty()) {
                    continue;
                }
                UnifiedLog fl = f.get().log();
                long from = Math.max(ll.logStartOffset(), fl.logStartOffset());
                long to = ll.highWatermark();
                if (fl.logEndOffset() < to) {
                    report(Invariant.REPLICA_ISR_CONSISTENT, reg.tp() + ": in-sync replica " + m + " ends at " + fl.logEndOffset() + " below the leader's high watermark " + to, true);
                    return;
                }
                for (long o = from; o < to; o++) {
                    RecordBatch a = ll.batchContaining(o);
                    RecordBatch b = fl.batchContaining(o);
                    if (a.partitionLeaderEpoch() != b.partitionLeaderEpoch() || !recordAt(a, o).equals(recordAt(b, o))) {
                        report(Invariant.REPLICA_ISR_CONSISTENT, reg.tp() + " offset " + o + ": leader " + reg.leader() + " has e" + a.partitionLeaderEpoch() + " " + recordAt(a, o)
                                + ", in-sync replica " + m + " has e" + b.partitionLeaderEpoch() + " " + recordAt(b, o), true);
                        return;
                    }
                }
            }
        }
    }

    Optional<Partition> partitionOn(int broker, TopicPartition tp) {
        if (sim.state(broker) == NodeState.DOWN) {
            return Optional.empty();
        }
        return Optional.ofNullable(((BrokerNode) sim.node(broker).orElseThrow()).replicaManager().partitions().get(tp));
    }
}
