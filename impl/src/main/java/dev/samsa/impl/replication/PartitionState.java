package dev.samsa.impl.replication;

import dev.samsa.impl.node.Context;
import dev.samsa.spec.bugs.Bug;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The ISR of one partition (Kafka's {@code PartitionState}: {@code CommittedPartitionState},
 * {@code PendingExpandIsr}, {@code PendingShrinkIsr}): the ISR the metadata log or an
 * AlterPartition response last committed, and the one its leader proposed in the AlterPartition
 * in flight, if any — KIP-497 allows one at a time. It also holds the leader's rules for who may
 * join or must leave the ISR; {@link Partition} proposes what they decide.
 */
final class PartitionState {

    private final Context ctx;
    private final long lagTimeMaxMs;

    private List<Integer> isr = List.of();
    /** The ISR proposed in the AlterPartition in flight; empty when none. */
    private List<Integer> pendingIsr = List.of();
    private boolean alterPending;

    PartitionState(Context ctx) {
        this.ctx = ctx;
        this.lagTimeMaxMs = ctx.settings().getLong("replica.lag.time.max.ms");
    }

    /** The committed ISR. */
    List<Integer> isr() {
        return isr;
    }

    /** A committed ISR, from the metadata log or an accepted AlterPartition; a proposal in flight stays. */
    void commit(List<Integer> committed) {
        isr = committed;
    }

    /** Whether an AlterPartition is in flight (Kafka's {@code isInflight}). */
    boolean alterPending() {
        return alterPending;
    }

    /** The ISR proposed in the AlterPartition in flight; empty when none. */
    List<Integer> pendingIsr() {
        return pendingIsr;
    }

    void propose(List<Integer> next) {
        pendingIsr = List.copyOf(next);
        alterPending = true;
    }

    /** The AlterPartition in flight is done with: accepted, rejected, or overtaken by the metadata log. */
    void clearPending() {
        pendingIsr = List.of();
        alterPending = false;
    }

    /** The ISR for the HW and acks=all: the committed one, plus the proposed one while an AlterPartition is in flight (KIP-497). */
    List<Integer> maximalIsr() {
        if (!alterPending) {
            return isr;
        }
        TreeSet<Integer> m = new TreeSet<>(isr);
        m.addAll(pendingIsr);
        return new ArrayList<>(m);
    }

    // ================================================================== the leader's ISR rules

    /**
     * The ISR with follower {@code r} added, if it may join now: it reached the HW and the start of
     * the leader's epoch (unless KAFKA-7128), and its broker is active under the broker epoch it
     * fetched with (KIP-841; KIP-903 unless KAFKA-14139). Empty while a change is in flight.
     */
    Optional<List<Integer>> expandedIsr(ReplicaState r, long highWatermark, long leaderEpochStartOffset, BrokerServices broker) {
        if (alterPending || isr.contains(r.brokerId)) {
            return Optional.empty();
        }
        boolean caughtUp = r.logEndOffset >= highWatermark
                && (ctx.bug(Bug.KAFKA_7128) || r.logEndOffset >= leaderEpochStartOffset);
        boolean eligible = broker.isActive(r.brokerId) && (ctx.bug(Bug.KAFKA_14139) || r.brokerEpoch == broker.registeredEpoch(r.brokerId));
        if (!caughtUp || !eligible) {
            return Optional.empty();
        }
        TreeSet<Integer> next = new TreeSet<>(isr);
        next.add(r.brokerId);
        ctx.reached("partition.isr-expand");
        if (r.brokerEpoch < broker.registeredEpoch(r.brokerId)) {
            ctx.reached("partition.isr-expand-previous-incarnation"); // only with KAFKA-14139
        }
        return Optional.of(new ArrayList<>(next));
    }

    /**
     * The ISR without the followers not caught up within replica.lag.time.max.ms, if any must
     * leave; the leader {@code self} always stays. Empty while a change is in flight.
     */
    Optional<List<Integer>> shrunkIsr(int self, TreeMap<Integer, ReplicaState> remoteReplicas, long leaderLogEndOffset, long nowMs) {
        if (alterPending) {
            return Optional.empty();
        }
        List<Integer> next = new ArrayList<>();
        for (int r : isr) {
            ReplicaState s = remoteReplicas.get(r);
            if (r == self || (s != null && s.isCaughtUp(leaderLogEndOffset, nowMs, lagTimeMaxMs))) {
                next.add(r);
            }
        }
        if (next.size() < isr.size()) {
            ctx.reached("partition.isr-shrink");
            return Optional.of(next);
        }
        return Optional.empty();
    }
}
