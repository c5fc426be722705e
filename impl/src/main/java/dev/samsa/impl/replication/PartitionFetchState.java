package dev.samsa.impl.replication;

import dev.samsa.impl.log.EpochEndOffset;
import dev.samsa.impl.log.UnifiedLog;
import dev.samsa.impl.node.Context;
import dev.samsa.impl.protocol.ApiMessage;
import dev.samsa.impl.protocol.ApiMessage.FetchPartitionResponse;
import dev.samsa.impl.protocol.TopicPartition;
import dev.samsa.spec.bugs.Bug;

/**
 * The follower side of one partition (Kafka's {@code PartitionFetchState}, with the per-partition
 * rules of {@code AbstractFetcherThread} and {@code ReplicaFetcherThread} that move it): whether
 * the follower must truncate before it fetches, how it truncates (by leader epoch, KIP-101/279,
 * or by the diverging epoch a Fetch response names, KAFKA-10554), how it applies fetched data,
 * and what it does on OFFSET_OUT_OF_RANGE — including the pre-KIP-101 follower that KAFKA-1211
 * and KAFKA-2143 bring back. {@link Partition} calls it only while it is a follower, except for
 * {@link #reset()} and {@link #applyPendingDivergence(boolean)}.
 */
final class PartitionFetchState {

    /** What the fetcher should do next with this partition after a fetch response. */
    enum FetchOutcome {
        CONTINUE,
        /** Leadership moved: wait for the metadata log to say where. */
        AWAIT_METADATA,
        BACKOFF
    }

    private final Context ctx;
    private final TopicPartition tp;
    private final UnifiedLog log;

    /** True while the follower must truncate (by epoch) before it may fetch. */
    private boolean truncating;
    /** The epoch to ask the leader about next in the truncation phase (KIP-279 iterates). */
    private int epochToAsk = -1;
    /** KAFKA-14704 only: a diverging epoch whose truncation is still to be done. */
    private EpochEndOffset pendingDivergence;
    /** Pre-KIP-101 followers only: the leader offset to ask by ListOffsets after OFFSET_OUT_OF_RANGE, or 0 when none. */
    private long outOfRangeAsk;

    PartitionFetchState(Context ctx, TopicPartition tp, UnifiedLog log) {
        this.ctx = ctx;
        this.tp = tp;
        this.log = log;
    }

    // ================================================================== which release's rules

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

    // ================================================================== transitions

    /** Leader or no role: nothing to truncate, nothing asked. */
    void reset() {
        truncating = false;
        outOfRangeAsk = 0;
    }

    /** A new leader or leader epoch to follow: decides whether the follower truncates before it fetches. */
    void becomeFollower(boolean sameLeader) {
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
    }

    boolean truncating() {
        return truncating;
    }

    /** Pre-KIP-101 followers: the ListOffsets timestamp to ask the leader about after OFFSET_OUT_OF_RANGE, 0 when none. */
    long outOfRangeAsk() {
        return outOfRangeAsk;
    }

    int epochToAsk() {
        return epochToAsk;
    }

    // ================================================================== truncation by leader epoch

    /**
     * KIP-279 truncation from an OffsetsForLeaderEpoch answer. If we have the epoch the leader
     * names, truncate to the smaller end and start fetching; otherwise truncate to the end of
     * our largest smaller epoch and ask again about that one.
     */
    void onEpochEndOffset(EpochEndOffset leaderEnd) {
        if (!truncating) {
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

    // ================================================================== fetch responses

    FetchOutcome onFetchResponse(FetchPartitionResponse r, long fetchOffset) {
        if (truncating || outOfRangeAsk != 0 || fetchOffset != log.logEndOffset()) {
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

    /**
     * KAFKA-14704 only: the truncation a diverging response asked for, done one fetcher round late
     * — and only if this replica is still a {@code follower}; the pending one is dropped either way.
     */
    void applyPendingDivergence(boolean follower) {
        if (pendingDivergence != null) {
            EpochEndOffset d = pendingDivergence;
            pendingDivergence = null;
            if (follower) {
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

    // ================================================================== offset out of range

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
        if (outOfRangeAsk != timestamp) {
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

    private void trace(String line) {
        if (ctx.tracing()) {
            ctx.trace(tp + " " + line);
        }
    }
}
