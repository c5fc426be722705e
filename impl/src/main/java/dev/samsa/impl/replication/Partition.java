package dev.samsa.impl.replication;

import dev.samsa.impl.controller.ControllerMessage.AlterPartitionResponse;
import dev.samsa.impl.controller.ControllerMessage.BrokerState;
import dev.samsa.impl.log.AbortedTxn;
import dev.samsa.impl.log.AppendResult;
import dev.samsa.impl.log.EpochEndOffset;
import dev.samsa.impl.log.OffsetOutOfRangeException;
import dev.samsa.impl.log.RecordBatch;
import dev.samsa.impl.log.UnifiedLog;
import dev.samsa.impl.metadata.PartitionRegistration;
import dev.samsa.impl.node.Context;
import dev.samsa.impl.protocol.ApiMessage.AbortedTransaction;
import dev.samsa.impl.protocol.ApiMessage.FetchPartition;
import dev.samsa.impl.protocol.ApiMessage.FetchPartitionResponse;
import dev.samsa.impl.protocol.Errors;
import dev.samsa.impl.protocol.IsolationLevel;
import dev.samsa.impl.protocol.TopicPartition;
import dev.samsa.impl.replication.PartitionFetchState.FetchOutcome;
import dev.samsa.spec.bugs.Bug;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * One partition on one broker (Kafka's {@code Partition}): its log and its role — leader,
 * follower or neither — as the metadata log last assigned it. The leader side appends, serves
 * fetches, tracks its followers, moves the high watermark and proposes ISR changes through
 * AlterPartition (KIP-497); the follower side is driven by the {@link ReplicaFetcherManager}.
 * The ISR and its change in flight are a {@link PartitionState}; the follower's truncation and
 * fetch handling are a {@link PartitionFetchState}.
 */
public final class Partition {

    /** What this replica currently is for the partition. */
    public enum Role {
        /** No leader known, not a replica, or a leadership this incarnation must not take (older than its registration). */
        NONE,
        LEADER,
        FOLLOWER
    }

    /** What applying a metadata change did, so the replica manager can start or stop fetching. */
    enum Transition {
        NONE,
        BECAME_LEADER,
        BECAME_FOLLOWER,
        STOPPED
    }

    private final Context ctx;
    private final TopicPartition tp;
    private final UnifiedLog log;
    private final BrokerServices broker;
    private final int self;
    private final int minInsyncReplicas;

    private Role role = Role.NONE;
    private List<Integer> replicas = List.of();
    private int leaderId = -1;
    private int leaderEpoch = -1;
    private int partitionEpoch = -1;
    /** The committed ISR and, on the leader, the change proposed by the AlterPartition in flight. */
    private final PartitionState isrState;

    // ------------------------------------------------------------------ leader state
    private final TreeMap<Integer, ReplicaState> remoteReplicas = new TreeMap<>();
    private long leaderEpochStartOffset = -1;

    // ------------------------------------------------------------------ follower state
    private final PartitionFetchState fetchState;

    Partition(Context ctx, TopicPartition tp, UnifiedLog log, BrokerServices broker) {
        this.ctx = ctx;
        this.tp = tp;
        this.log = log;
        this.broker = broker;
        this.self = ctx.nodeId();
        this.minInsyncReplicas = ctx.settings().getInt("min.insync.replicas");
        this.isrState = new PartitionState(ctx);
        this.fetchState = new PartitionFetchState(ctx, tp, log);
    }

    // ================================================================== metadata

    /**
     * Applies the partition's state from the metadata log. A leadership whose record is older
     * than this broker's own registration was given to a previous incarnation: the controller
     * is about to take it away, so this incarnation must not act on it.
     */
    Transition applyMetadata(PartitionRegistration reg, long changeOffset) {
        if (reg.leaderEpoch() < leaderEpoch) {
            throw new IllegalStateException(tp + ": metadata goes back from leader epoch " + leaderEpoch + " to " + reg.leaderEpoch());
        }
        boolean epochChanged = reg.leaderEpoch() != leaderEpoch;
        int previousLeader = leaderId;
        Role previousRole = role;
        replicas = reg.replicas();
        if (!reg.replicas().contains(self)) {
            return stop(reg);
        }
        if (reg.leader() == self && changeOffset > broker.brokerEpoch() && broker.brokerEpoch() >= 0) {
            if (role != Role.LEADER || epochChanged) {
                makeLeader(reg);
                return Transition.BECAME_LEADER;
            }
            updateIsr(reg);
            return Transition.NONE;
        }
        if (reg.leader() >= 0 && reg.leader() != self) {
            if (role != Role.FOLLOWER || epochChanged || previousLeader != reg.leader()) {
                makeFollower(reg, previousRole == Role.FOLLOWER && previousLeader == reg.leader());
                return Transition.BECAME_FOLLOWER;
            }
            updateIsr(reg);
            return Transition.NONE;
        }
        return stop(reg);
    }

    private Transition stop(PartitionRegistration reg) {
        boolean was = role != Role.NONE;
        role = Role.NONE;
        leaderId = reg.leader();
        leaderEpoch = reg.leaderEpoch();
        partitionEpoch = reg.partitionEpoch();
        isrState.commit(reg.isr());
        clearLeaderState();
        fetchState.reset();
        return was ? Transition.STOPPED : Transition.NONE;
    }

    private void updateIsr(PartitionRegistration reg) {
        if (reg.partitionEpoch() > partitionEpoch) {
            partitionEpoch = reg.partitionEpoch();
            isrState.commit(reg.isr());
            if (isrState.alterPending() && isrState.pendingIsr().equals(reg.isr())) {
                isrState.clearPending(); // our change arrived through the metadata log before its response
            }
            if (role == Role.LEADER) {
                maybeIncrementLeaderHighWatermark();
            }
        }
    }

    private void makeLeader(PartitionRegistration reg) {
        role = Role.LEADER;
        leaderId = self;
        leaderEpoch = reg.leaderEpoch();
        partitionEpoch = reg.partitionEpoch();
        isrState.commit(reg.isr());
        fetchState.reset();
        clearLeaderState();
        long nowMs = nowMs();
        for (int r : replicas) {
            if (r != self) {
                remoteReplicas.put(r, new ReplicaState(r, nowMs));
            }
        }
        leaderEpochStartOffset = log.logEndOffset();
        log.assignEpochStartOffset(leaderEpoch, leaderEpochStartOffset); // KAFKA-7415: at once, not on first append
        ctx.reached("partition.became-leader");
        trace("leader of epoch " + leaderEpoch + " isr " + isr() + " from offset " + leaderEpochStartOffset + " (hw " + log.highWatermark() + ")");
        maybeIncrementLeaderHighWatermark();
    }

    private void makeFollower(PartitionRegistration reg, boolean sameLeader) {
        role = Role.FOLLOWER;
        leaderId = reg.leader();
        leaderEpoch = reg.leaderEpoch();
        partitionEpoch = reg.partitionEpoch();
        isrState.commit(reg.isr());
        clearLeaderState();
        fetchState.becomeFollower(sameLeader);
        trace("follower of " + leaderId + " in epoch " + leaderEpoch + (fetchState.truncating() ? ", truncating first" : ""));
    }

    private void clearLeaderState() {
        remoteReplicas.clear();
        isrState.clearPending();
        leaderEpochStartOffset = -1;
    }

    // ================================================================== leader: produce

    /** min(min.insync.replicas, replication factor); 1 under KAFKA-1555 (min.insync.replicas did not exist). */
    int effectiveMinIsr() {
        return ctx.bug(Bug.KAFKA_1555) ? 1 : Math.min(minInsyncReplicas, replicas.size());
    }

    /** Appends a producer's batch as leader; NOT_ENOUGH_REPLICAS refuses it before the append (acks=all only). */
    AppendResult appendRecordsToLeader(RecordBatch batch, short acks) {
        if (role != Role.LEADER) {
            return AppendResult.error(Errors.NOT_LEADER_OR_FOLLOWER, log.logStartOffset());
        }
        if (acks == -1 && isr().size() < effectiveMinIsr()) {
            ctx.reached("partition.not-enough-replicas");
            return AppendResult.error(Errors.NOT_ENOUGH_REPLICAS, log.logStartOffset());
        }
        AppendResult r = log.appendAsLeader(batch, leaderEpoch, ctx.wallClockMs());
        if (r.error() == Errors.NONE) {
            maybeIncrementLeaderHighWatermark();
        }
        return r;
    }

    /**
     * Whether an acks=all append up to {@code requiredOffset} (exclusive) is done: NONE once the
     * HW passed it with enough replicas, NOT_ENOUGH_REPLICAS_AFTER_APPEND when the HW passed it
     * but the ISR is now too small, NOT_LEADER_OR_FOLLOWER when leadership of that epoch is gone;
     * null while still waiting.
     */
    Errors checkEnoughReplicasReachOffset(long requiredOffset, int appendEpoch) {
        if (role != Role.LEADER || leaderEpoch != appendEpoch) {
            return Errors.NOT_LEADER_OR_FOLLOWER;
        }
        if (log.highWatermark() >= requiredOffset) {
            return maximalIsr().size() >= effectiveMinIsr() ? Errors.NONE : Errors.NOT_ENOUGH_REPLICAS_AFTER_APPEND;
        }
        return null;
    }

    // ================================================================== leader: fetch

    /**
     * Serves one partition of a Fetch (from a follower when {@code replicaId} ≥ 0). Order as in
     * Kafka: leader epoch fencing (KIP-320), then divergence by last fetched epoch (KAFKA-10554),
     * then the offset range, then the follower's fetch state (KIP-903 broker epoch), then data —
     * up to the LEO for followers, the HW for read_uncommitted consumers, the last stable offset
     * for read_committed ones, which also get the aborted transactions overlapping the data.
     */
    FetchPartitionResponse fetch(FetchPartition fp, int replicaId, long replicaEpoch, int maxBytes, IsolationLevel isolation) {
        boolean follower = replicaId >= 0;
        boolean epochFencing = !(follower && ctx.bug(Bug.KAFKA_7395));
        if (epochFencing && fp.currentLeaderEpoch() >= 0 && fp.currentLeaderEpoch() < leaderEpoch) {
            return FetchPartitionResponse.error(tp, Errors.FENCED_LEADER_EPOCH, leaderId, leaderEpoch);
        }
        if (epochFencing && fp.currentLeaderEpoch() > leaderEpoch) {
            return FetchPartitionResponse.error(tp, Errors.UNKNOWN_LEADER_EPOCH, leaderId, leaderEpoch);
        }
        if (role != Role.LEADER) {
            return FetchPartitionResponse.error(tp, Errors.NOT_LEADER_OR_FOLLOWER, leaderId, leaderEpoch);
        }
        if (follower && fp.lastFetchedEpoch() >= 0 && divergenceCheckOn()) {
            EpochEndOffset end = endOffsetForEpoch(fp.lastFetchedEpoch());
            if (end.leaderEpoch() < fp.lastFetchedEpoch() || end.endOffset() < fp.fetchOffset()) {
                ctx.reached("partition.diverging-epoch-returned");
                return new FetchPartitionResponse(tp, Errors.NONE, log.highWatermark(), log.highWatermark(), log.logStartOffset(),
                        end.isUndefined() ? new EpochEndOffset(0, 0) : end, leaderId, leaderEpoch, List.of(), List.of());
            }
        }
        if (fp.fetchOffset() < log.logStartOffset() || fp.fetchOffset() > log.logEndOffset()) {
            ctx.reached("partition.offset-out-of-range");
            return new FetchPartitionResponse(tp, Errors.OFFSET_OUT_OF_RANGE, log.highWatermark(), log.highWatermark(), log.logStartOffset(),
                    EpochEndOffset.UNDEFINED, leaderId, leaderEpoch, List.of(), List.of());
        }
        if (follower) {
            updateFollowerFetchState(replicaId, replicaEpoch, fp.fetchOffset());
        }
        boolean readCommitted = !follower && isolation == IsolationLevel.READ_COMMITTED;
        long lso = log.lastStableOffset();
        long maxOffset = follower ? log.logEndOffset() : readCommitted ? lso : log.highWatermark();
        List<RecordBatch> batches;
        try {
            batches = fp.fetchOffset() >= maxOffset ? List.of() : log.read(fp.fetchOffset(), Math.min(maxBytes, fp.partitionMaxBytes()), maxOffset);
        } catch (OffsetOutOfRangeException e) {
            return new FetchPartitionResponse(tp, Errors.OFFSET_OUT_OF_RANGE, log.highWatermark(), log.highWatermark(), log.logStartOffset(),
                    EpochEndOffset.UNDEFINED, leaderId, leaderEpoch, List.of(), List.of());
        }
        List<AbortedTransaction> aborted = readCommitted && !batches.isEmpty()
                ? abortedTransactions(fp.fetchOffset(), batches.get(batches.size() - 1).nextOffset()) : List.of();
        return new FetchPartitionResponse(tp, Errors.NONE, log.highWatermark(), lso, log.logStartOffset(),
                EpochEndOffset.UNDEFINED, leaderId, leaderEpoch, batches, aborted);
    }

    /** The aborted transactions overlapping [fetchOffset, upperBound), as a Fetch response lists them. */
    private List<AbortedTransaction> abortedTransactions(long fetchOffset, long upperBound) {
        List<AbortedTransaction> out = new ArrayList<>();
        for (AbortedTxn t : log.collectAbortedTransactions(fetchOffset, upperBound)) {
            out.add(new AbortedTransaction(t.producerId(), t.firstOffset()));
        }
        if (!out.isEmpty()) {
            ctx.reached("partition.aborted-transactions-returned");
        }
        return out;
    }

    /** Whether followers truncate on fetch (KAFKA-10554) rather than by OffsetsForLeaderEpoch first: see {@link PartitionFetchState#truncateOnFetch}. */
    boolean truncateOnFetch() {
        return fetchState.truncateOnFetch();
    }

    /** The leader-side divergence check answers fetches that carry a last fetched epoch, unless a bug predates it. */
    private boolean divergenceCheckOn() {
        return !fetchState.preKip101Follower() && !ctx.bug(Bug.KAFKA_7164) && !ctx.bug(Bug.KAFKA_7395);
    }

    /**
     * KIP-279's answer. Under KAFKA-6361 the leader answers with the start offset of its first
     * epoch after the one asked for, as if it had that epoch — even when it never did.
     */
    EpochEndOffset endOffsetForEpoch(int epoch) {
        if (ctx.bug(Bug.KAFKA_6361)) {
            long nextStart = log.logEndOffset();
            for (long[] e : log.epochEntries()) {
                if (e[0] > epoch) {
                    nextStart = e[1];
                    break;
                }
            }
            return log.epochEntries().isEmpty() ? EpochEndOffset.UNDEFINED : new EpochEndOffset(epoch, nextStart);
        }
        return log.endOffsetForEpoch(epoch);
    }

    private void updateFollowerFetchState(int replicaId, long replicaEpoch, long fetchOffset) {
        ReplicaState r = remoteReplicas.get(replicaId);
        if (r == null) {
            return; // not a replica of this partition
        }
        if (replicaEpoch != broker.registeredEpoch(replicaId)) {
            if (!ctx.bug(Bug.KAFKA_14139)) {
                ctx.reached("partition.stale-broker-epoch-fetch-ignored"); // KIP-903
                return;
            }
            if (replicaEpoch < broker.registeredEpoch(replicaId)) {
                ctx.reached("partition.previous-incarnation-fetch-credited"); // only with KAFKA-14139
            }
        }
        r.updateFetchState(fetchOffset, log.logEndOffset(), nowMs(), replicaEpoch);
        maybeExpandIsr(r);
        maybeIncrementLeaderHighWatermark();
    }

    // ================================================================== leader: high watermark and ISR

    /** The ISR for the HW and acks=all: the committed one, plus the proposed one while an AlterPartition is in flight (KIP-497). */
    public List<Integer> maximalIsr() {
        return isrState.maximalIsr();
    }

    /**
     * HW = the smallest LEO over the maximal ISR (KIP-497), only forward, and not while the ISR
     * is below min.insync.replicas (KAFKA-15583, Kafka 3.7+).
     *
     * @return true if it moved
     */
    boolean maybeIncrementLeaderHighWatermark() {
        if (role != Role.LEADER || isr().size() < effectiveMinIsr()) {
            return false;
        }
        long hw = log.logEndOffset();
        for (int r : maximalIsr()) {
            if (r != self) {
                ReplicaState s = remoteReplicas.get(r);
                hw = Math.min(hw, s == null ? 0 : Math.max(0, s.logEndOffset));
            }
        }
        if (hw > log.highWatermark()) {
            log.updateHighWatermark(hw);
            return true;
        }
        return false;
    }

    /** A follower's fetch may let it join the ISR ({@link PartitionState#expandedIsr} says when). */
    private void maybeExpandIsr(ReplicaState r) {
        isrState.expandedIsr(r, log.highWatermark(), leaderEpochStartOffset, broker).ifPresent(this::proposeIsr);
    }

    /** Periodic: followers not caught up within replica.lag.time.max.ms leave the ISR. */
    void maybeShrinkIsr() {
        if (role == Role.LEADER) {
            isrState.shrunkIsr(self, remoteReplicas, log.logEndOffset(), nowMs()).ifPresent(this::proposeIsr);
        }
    }

    private void proposeIsr(List<Integer> next) {
        isrState.propose(next);
        trace("propose isr " + isr() + " -> " + next + " (partition epoch " + partitionEpoch + ")");
        sendAlterPartition();
    }

    /** (Re)sends the AlterPartition in flight, if any. */
    void sendAlterPartition() {
        if (role != Role.LEADER || !isrState.alterPending()) {
            return;
        }
        List<BrokerState> states = new ArrayList<>();
        for (int r : isrState.pendingIsr()) {
            ReplicaState s = remoteReplicas.get(r);
            states.add(new BrokerState(r, r == self ? broker.brokerEpoch() : s == null ? -1 : s.brokerEpoch));
        }
        broker.alterPartition(tp, leaderEpoch, partitionEpoch, states);
    }

    /** Whether an AlterPartition of this leader is in flight. */
    public boolean alterPending() {
        return isrState.alterPending();
    }

    void onAlterPartitionResponse(AlterPartitionResponse r) {
        if (role != Role.LEADER || !isrState.alterPending() || r.leaderEpoch() != leaderEpoch && r.error() == Errors.NONE) {
            return;
        }
        switch (r.error()) {
            case NONE -> {
                if (r.partitionEpoch() > partitionEpoch) {
                    isrState.commit(r.isr());
                    partitionEpoch = r.partitionEpoch();
                }
                isrState.clearPending();
                maybeIncrementLeaderHighWatermark();
            }
            case NOT_CONTROLLER, REQUEST_TIMED_OUT -> {} // the replica manager resends
            default -> {
                // FENCED_LEADER_EPOCH, INVALID_UPDATE_VERSION, INELIGIBLE_REPLICA...: revert and let metadata catch up
                ctx.reached("partition.alter-partition-rejected");
                isrState.clearPending();
            }
        }
    }

    // ================================================================== follower: see PartitionFetchState

    boolean truncating() {
        return role == Role.FOLLOWER && fetchState.truncating();
    }

    /** Pre-KIP-101 followers: the ListOffsets timestamp to ask the leader about after OFFSET_OUT_OF_RANGE, 0 when none. */
    long outOfRangeAsk() {
        return role == Role.FOLLOWER ? fetchState.outOfRangeAsk() : 0;
    }

    int epochToAsk() {
        return fetchState.epochToAsk();
    }

    /** An OffsetsForLeaderEpoch answer for the truncation phase (KIP-279). */
    void onEpochEndOffset(EpochEndOffset leaderEnd) {
        if (truncating()) {
            fetchState.onEpochEndOffset(leaderEnd);
        }
    }

    /** Applies a fetch response; what the fetcher should do next with this partition. */
    FetchOutcome onFetchResponse(FetchPartitionResponse r, long fetchOffset) {
        if (role != Role.FOLLOWER) {
            return FetchOutcome.CONTINUE; // stale: a transition happened since it was sent
        }
        return fetchState.onFetchResponse(r, fetchOffset);
    }

    /** KAFKA-14704 only: the truncation a diverging response asked for, done one fetcher round late. */
    void applyPendingDivergence() {
        fetchState.applyPendingDivergence(role == Role.FOLLOWER);
    }

    /** Pre-KIP-101 followers: the leader's answer to the ListOffsets asked after OFFSET_OUT_OF_RANGE. */
    void onLeaderOffset(long timestamp, long offset) {
        if (role == Role.FOLLOWER) {
            fetchState.onLeaderOffset(timestamp, offset);
        }
    }

    // ================================================================== views

    public TopicPartition topicPartition() {
        return tp;
    }

    public UnifiedLog log() {
        return log;
    }

    public Role role() {
        return role;
    }

    public int leaderId() {
        return leaderId;
    }

    public int leaderEpoch() {
        return leaderEpoch;
    }

    public int partitionEpoch() {
        return partitionEpoch;
    }

    public List<Integer> isr() {
        return isrState.isr();
    }

    public List<Integer> replicas() {
        return replicas;
    }

    private long nowMs() {
        return ctx.nowNanos() / 1_000_000L;
    }

    private void trace(String line) {
        if (ctx.tracing()) {
            ctx.trace(tp + " " + line);
        }
    }
}
