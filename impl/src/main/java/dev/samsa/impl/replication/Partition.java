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
import dev.samsa.impl.protocol.ApiMessage;
import dev.samsa.impl.protocol.ApiMessage.AbortedTransaction;
import dev.samsa.impl.protocol.ApiMessage.FetchPartition;
import dev.samsa.impl.protocol.ApiMessage.FetchPartitionResponse;
import dev.samsa.impl.protocol.Errors;
import dev.samsa.impl.protocol.IsolationLevel;
import dev.samsa.impl.protocol.TopicPartition;
import dev.samsa.spec.bugs.Bug;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One partition on one broker (Kafka's {@code Partition}): its log and its role — leader,
 * follower or neither — as the metadata log last assigned it. The leader side appends, serves
 * fetches, tracks its followers, moves the high watermark and proposes ISR changes through
 * AlterPartition (KIP-497); the follower side is driven by the {@link ReplicaFetcherManager}.
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
    private final long lagTimeMaxMs;
    private final int minInsyncReplicas;

    private Role role = Role.NONE;
    private List<Integer> replicas = List.of();
    private int leaderId = -1;
    private int leaderEpoch = -1;
    private int partitionEpoch = -1;
    private List<Integer> isr = List.of();

    // ------------------------------------------------------------------ leader state
    /** The ISR proposed in the AlterPartition in flight; empty when none (only one at a time, KIP-497). */
    private List<Integer> pendingIsr = List.of();
    private boolean alterPending;
    private final TreeMap<Integer, ReplicaState> remoteReplicas = new TreeMap<>();
    private long leaderEpochStartOffset = -1;

    // ------------------------------------------------------------------ follower state
    /** True while the follower must truncate (by epoch) before it may fetch. */
    private boolean truncating;
    /** The epoch to ask the leader about next in the truncation phase (KIP-279 iterates). */
    private int epochToAsk = -1;
    /** KAFKA-14704 only: a diverging epoch whose truncation is still to be done. */
    private EpochEndOffset pendingDivergence;
    /** Pre-KIP-101 followers only: the leader offset to ask by ListOffsets after OFFSET_OUT_OF_RANGE, or 0 when none. */
    private long outOfRangeAsk;

    Partition(Context ctx, TopicPartition tp, UnifiedLog log, BrokerServices broker) {
        this.ctx = ctx;
        this.tp = tp;
        this.log = log;
        this.broker = broker;
        this.self = ctx.nodeId();
        this.lagTimeMaxMs = ctx.settings().getLong("replica.lag.time.max.ms");
        this.minInsyncReplicas = ctx.settings().getInt("min.insync.replicas");
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
        isr = reg.isr();
        clearLeaderState();
        truncating = false;
        outOfRangeAsk = 0;
        return was ? Transition.STOPPED : Transition.NONE;
    }

    private void updateIsr(PartitionRegistration reg) {
        if (reg.partitionEpoch() > partitionEpoch) {
            partitionEpoch = reg.partitionEpoch();
            isr = reg.isr();
            if (alterPending && pendingIsr.equals(reg.isr())) {
                alterPending = false; // our change arrived through the metadata log before its response
                pendingIsr = List.of();
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
        isr = reg.isr();
        truncating = false;
        outOfRangeAsk = 0;
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
        trace("leader of epoch " + leaderEpoch + " isr " + isr + " from offset " + leaderEpochStartOffset + " (hw " + log.highWatermark() + ")");
        maybeIncrementLeaderHighWatermark();
    }

    private void makeFollower(PartitionRegistration reg, boolean sameLeader) {
        role = Role.FOLLOWER;
        leaderId = reg.leader();
        leaderEpoch = reg.leaderEpoch();
        partitionEpoch = reg.partitionEpoch();
        isr = reg.isr();
        clearLeaderState();
        outOfRangeAsk = 0;
        if (preKip101Follower()) {
            // the historical rule: no epochs; truncate to our own (lagging) high watermark
            log.truncateTo(log.highWatermark());
            truncating = false;
        } else if (ctx.bug(Bug.KAFKA_7164) && sameLeader) {
            truncating = false; // the historical shortcut: same leader, nothing to truncate
        } else if (truncateOnFetch()) {
            truncating = false; // KAFKA-10554: the first Fetch carries lastFetchedEpoch; the leader names any divergence
        } else {
            truncating = true; // KIP-101/279/320: every epoch change goes through OffsetsForLeaderEpoch first
            epochToAsk = log.latestEpoch();
        }
        trace("follower of " + leaderId + " in epoch " + leaderEpoch + (truncating ? ", truncating first" : ""));
    }

    private void clearLeaderState() {
        remoteReplicas.clear();
        pendingIsr = List.of();
        alterPending = false;
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
        if (acks == -1 && isr.size() < effectiveMinIsr()) {
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

    /**
     * Followers truncate on fetch (Fetch v12, KAFKA-10554, inter.broker.protocol.version 2.7+): the
     * Fetch carries the last fetched epoch and the leader answers a diverging epoch. Before, and
     * under the bugs of that era (KAFKA-1211, KAFKA-7164, KAFKA-7395), a follower asked
     * OffsetsForLeaderEpoch on every epoch change instead, and fetches carried no epoch to check.
     */
    boolean truncateOnFetch() {
        return !ctx.settings().get("inter.broker.protocol.version").equals("2.6")
                && !preKip101Follower() && !ctx.bug(Bug.KAFKA_7164) && !ctx.bug(Bug.KAFKA_7395);
    }

    /** The leader-side divergence check answers fetches that carry a last fetched epoch, unless a bug predates it. */
    private boolean divergenceCheckOn() {
        return !preKip101Follower() && !ctx.bug(Bug.KAFKA_7164) && !ctx.bug(Bug.KAFKA_7395);
    }

    /**
     * The follower of the releases before leader epochs (0.8.2 to 0.10.2), which KAFKA-1211 and
     * KAFKA-2143 bring back: it truncates to its own HW on becoming follower, and after
     * OFFSET_OUT_OF_RANGE asks the leader's offsets by ListOffsets (Kafka's ReplicaFetcherThread
     * .handleOffsetOutOfRange). KAFKA-2143 (0.9.0.0) is that release's out-of-range rule; with
     * KAFKA-1211 alone the follower is 0.9.0.1's, whose rule has the fix.
     */
    boolean preKip101Follower() {
        return ctx.bug(Bug.KAFKA_1211) || ctx.bug(Bug.KAFKA_2143);
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
        if (!alterPending) {
            return isr;
        }
        TreeSet<Integer> m = new TreeSet<>(isr);
        m.addAll(pendingIsr);
        return new ArrayList<>(m);
    }

    /**
     * HW = the smallest LEO over the maximal ISR (KIP-497), only forward, and not while the ISR
     * is below min.insync.replicas (KAFKA-15583, Kafka 3.7+).
     *
     * @return true if it moved
     */
    boolean maybeIncrementLeaderHighWatermark() {
        if (role != Role.LEADER || isr.size() < effectiveMinIsr()) {
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

    private void maybeExpandIsr(ReplicaState r) {
        if (alterPending || isr.contains(r.brokerId)) {
            return;
        }
        boolean caughtUp = r.logEndOffset >= log.highWatermark()
                && (ctx.bug(Bug.KAFKA_7128) || r.logEndOffset >= leaderEpochStartOffset);
        boolean eligible = broker.isActive(r.brokerId) && (ctx.bug(Bug.KAFKA_14139) || r.brokerEpoch == broker.registeredEpoch(r.brokerId));
        if (caughtUp && eligible) {
            TreeSet<Integer> next = new TreeSet<>(isr);
            next.add(r.brokerId);
            ctx.reached("partition.isr-expand");
            if (r.brokerEpoch < broker.registeredEpoch(r.brokerId)) {
                ctx.reached("partition.isr-expand-previous-incarnation"); // only with KAFKA-14139
            }
            proposeIsr(new ArrayList<>(next));
        }
    }

    /** Periodic: followers not caught up within replica.lag.time.max.ms leave the ISR. */
    void maybeShrinkIsr() {
        if (role != Role.LEADER || alterPending) {
            return;
        }
        long nowMs = nowMs();
        List<Integer> next = new ArrayList<>();
        for (int r : isr) {
            ReplicaState s = remoteReplicas.get(r);
            if (r == self || (s != null && s.isCaughtUp(log.logEndOffset(), nowMs, lagTimeMaxMs))) {
                next.add(r);
            }
        }
        if (next.size() < isr.size()) {
            ctx.reached("partition.isr-shrink");
            proposeIsr(next);
        }
    }

    private void proposeIsr(List<Integer> next) {
        pendingIsr = List.copyOf(next);
        alterPending = true;
        trace("propose isr " + isr + " -> " + next + " (partition epoch " + partitionEpoch + ")");
        sendAlterPartition();
    }

    /** (Re)sends the AlterPartition in flight, if any. */
    void sendAlterPartition() {
        if (role != Role.LEADER || !alterPending) {
            return;
        }
        List<BrokerState> states = new ArrayList<>();
        for (int r : pendingIsr) {
            ReplicaState s = remoteReplicas.get(r);
            states.add(new BrokerState(r, r == self ? broker.brokerEpoch() : s == null ? -1 : s.brokerEpoch));
        }
        broker.alterPartition(tp, leaderEpoch, partitionEpoch, states);
    }

    /** Whether an AlterPartition of this leader is in flight. */
    public boolean alterPending() {
        return alterPending;
    }

    void onAlterPartitionResponse(AlterPartitionResponse r) {
        if (role != Role.LEADER || !alterPending || r.leaderEpoch() != leaderEpoch && r.error() == Errors.NONE) {
            return;
        }
        switch (r.error()) {
            case NONE -> {
                if (r.partitionEpoch() > partitionEpoch) {
                    isr = r.isr();
                    partitionEpoch = r.partitionEpoch();
                }
                alterPending = false;
                pendingIsr = List.of();
                maybeIncrementLeaderHighWatermark();
            }
            case NOT_CONTROLLER, REQUEST_TIMED_OUT -> {} // the replica manager resends
            default -> {
                // FENCED_LEADER_EPOCH, INVALID_UPDATE_VERSION, INELIGIBLE_REPLICA...: revert and let metadata catch up
                ctx.reached("partition.alter-partition-rejected");
                alterPending = false;
                pendingIsr = List.of();
            }
        }
    }

    // ================================================================== follower

    boolean truncating() {
        return role == Role.FOLLOWER && truncating;
    }

    /** Pre-KIP-101 followers: the ListOffsets timestamp to ask the leader about after OFFSET_OUT_OF_RANGE, 0 when none. */
    long outOfRangeAsk() {
        return role == Role.FOLLOWER ? outOfRangeAsk : 0;
    }

    int epochToAsk() {
        return epochToAsk;
    }

    /**
     * KIP-279 truncation from an OffsetsForLeaderEpoch answer. If we have the epoch the leader
     * names, truncate to the smaller end and start fetching; otherwise truncate to the end of
     * our largest smaller epoch and ask again about that one.
     */
    void onEpochEndOffset(EpochEndOffset leaderEnd) {
        if (!truncating()) {
            return;
        }
        if (leaderEnd.isUndefined()) {
            truncateTo(log.highWatermark(), "leader knows no epoch");
            truncating = false;
            return;
        }
        EpochEndOffset mine = log.endOffsetForEpoch(leaderEnd.leaderEpoch());
        if (mine.isUndefined() || mine.leaderEpoch() == leaderEnd.leaderEpoch()) {
            long to = Math.min(log.logEndOffset(), mine.isUndefined() ? leaderEnd.endOffset() : Math.min(mine.endOffset(), leaderEnd.endOffset()));
            truncateTo(to, "leader epoch " + leaderEnd.leaderEpoch() + " ends at " + leaderEnd.endOffset());
            truncating = false;
        } else {
            truncateTo(Math.min(mine.endOffset(), log.logEndOffset()), "we lack epoch " + leaderEnd.leaderEpoch());
            epochToAsk = mine.leaderEpoch();
        }
    }

    private void truncateTo(long offset, String why) {
        if (offset < log.logEndOffset()) {
            if (offset < log.highWatermark()) {
                ctx.reached("partition.truncated-below-hw");
            }
            ctx.reached("partition.truncated");
            trace("truncate " + log.logEndOffset() + " -> " + offset + " (" + why + ", hw " + log.highWatermark() + ")");
            log.truncateTo(offset);
        }
    }

    /** What the fetcher should do next with this partition after a fetch response. */
    enum FetchOutcome {
        CONTINUE,
        /** Leadership moved: wait for the metadata log to say where. */
        AWAIT_METADATA,
        BACKOFF
    }

    FetchOutcome onFetchResponse(FetchPartitionResponse r, long fetchOffset) {
        if (role != Role.FOLLOWER || truncating || outOfRangeAsk != 0 || fetchOffset != log.logEndOffset()) {
            return FetchOutcome.CONTINUE; // stale: a transition or truncation happened since it was sent
        }
        switch (r.error()) {
            case NONE -> {}
            case OFFSET_OUT_OF_RANGE -> {
                handleOutOfRange(r);
                return FetchOutcome.CONTINUE;
            }
            case FENCED_LEADER_EPOCH -> {
                return FetchOutcome.AWAIT_METADATA; // our epoch is stale: the metadata log will say more
            }
            default -> {
                // NOT_LEADER_OR_FOLLOWER, UNKNOWN_LEADER_EPOCH: the leader has not applied our epoch yet
                return FetchOutcome.BACKOFF;
            }
        }
        if (!r.divergingEpoch().isUndefined()) {
            if (ctx.bug(Bug.KAFKA_14704)) {
                // the historical order: the response's HW is applied at once, and the truncation the
                // same response asks for only happens on the fetcher's next round
                updateFollowerHighWatermark(r.highWatermark());
                pendingDivergence = r.divergingEpoch();
                return FetchOutcome.BACKOFF;
            }
            truncateDiverging(r.divergingEpoch());
            return FetchOutcome.CONTINUE; // KAFKA-14704: nothing else of this response applies
        }
        if (!r.batches().isEmpty()) {
            log.appendAsFollower(r.batches(), ctx.wallClockMs());
        }
        updateFollowerHighWatermark(r.highWatermark());
        if (r.logStartOffset() > log.logStartOffset()) {
            log.maybeIncrementLogStartOffset(Math.min(r.logStartOffset(), log.highWatermark()));
        }
        return FetchOutcome.CONTINUE;
    }

    private void truncateDiverging(EpochEndOffset d) {
        EpochEndOffset mine = log.endOffsetForEpoch(d.leaderEpoch());
        long to = mine.isUndefined() ? d.endOffset()
                : mine.leaderEpoch() == d.leaderEpoch() ? Math.min(mine.endOffset(), d.endOffset()) : mine.endOffset();
        truncateTo(Math.min(to, log.logEndOffset()), "diverging epoch " + d.leaderEpoch() + " ends at " + d.endOffset());
        ctx.reached("partition.truncated-diverging");
    }

    /** KAFKA-14704 only: the truncation a diverging response asked for, done one fetcher round late. */
    void applyPendingDivergence() {
        if (pendingDivergence != null) {
            EpochEndOffset d = pendingDivergence;
            pendingDivergence = null;
            if (role == Role.FOLLOWER) {
                truncateDiverging(d);
            }
        }
    }

    private void updateFollowerHighWatermark(long leaderHw) {
        long hw = Math.min(leaderHw, log.logEndOffset());
        if (hw > log.highWatermark()) {
            log.updateHighWatermark(hw);
        }
    }

    /**
     * OFFSET_OUT_OF_RANGE: the leader's log starts after ours ends (retention): restart ours at its
     * start. Otherwise we are ahead of the leader (an unclean election): truncate by epoch. A
     * pre-KIP-101 follower has no epochs: it asks the leader's log end, then its log start, by
     * ListOffsets ({@link #onLeaderOffset}).
     */
    private void handleOutOfRange(FetchPartitionResponse r) {
        if (preKip101Follower()) {
            ctx.reached("partition.out-of-range-list-offsets");
            outOfRangeAsk = ApiMessage.LATEST_TIMESTAMP;
            return;
        }
        long leaderStart = r.logStartOffset();
        if (leaderStart > log.logEndOffset()) {
            ctx.reached("partition.follower-restarted-at-leader-log-start");
            trace("out of range: restart empty at the leader's log start " + leaderStart);
            log.truncateFullyAndStartAt(leaderStart);
        } else {
            truncating = true;
            epochToAsk = log.latestEpoch();
        }
    }

    /**
     * Pre-KIP-101 followers: the leader's answer to the ListOffsets asked after OFFSET_OUT_OF_RANGE
     * ({@code timestamp} says which). A leader log end below ours means an election of a replica
     * with less (0.9 truncates to it). Otherwise the follower asks the leader's log start: under
     * KAFKA-2143 it then assumes it fell below it and wipes its log — wrong when the leader's log
     * grew past ours between the out-of-range answer and the ListOffsets, the race of the JIRA.
     * The fix (0.9.0.1) wipes only when the leader's log start is past our log end.
     */
    void onLeaderOffset(long timestamp, long offset) {
        if (role != Role.FOLLOWER || outOfRangeAsk != timestamp) {
            return; // stale: a transition happened since it was asked
        }
        long leo = log.logEndOffset();
        if (timestamp == ApiMessage.LATEST_TIMESTAMP) {
            if (offset < leo) {
                // 0.9 halted here unless unclean election was enabled; samsa truncates, as the unclean case did
                truncateTo(offset, "the leader's log ends at " + offset);
                ctx.reached("partition.out-of-range-truncated-to-leader-end");
                outOfRangeAsk = 0;
            } else {
                outOfRangeAsk = ApiMessage.EARLIEST_TIMESTAMP;
            }
            return;
        }
        outOfRangeAsk = 0;
        if (ctx.bug(Bug.KAFKA_2143)) {
            if (offset <= leo) {
                ctx.reached("partition.out-of-range-wiped-not-behind"); // only with KAFKA-2143
            }
            trace("out of range: restart empty at the leader's log start " + offset + " (log end " + leo + ", hw " + log.highWatermark() + "; KAFKA-2143)");
            log.truncateFullyAndStartAt(offset);
        } else if (offset > leo) {
            ctx.reached("partition.follower-restarted-at-leader-log-start");
            trace("out of range: restart empty at the leader's log start " + offset);
            log.truncateFullyAndStartAt(offset);
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
        return isr;
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
