package dev.samsa.impl.log;

import dev.samsa.impl.node.Context;
import dev.samsa.impl.protocol.TopicPartition;
import java.util.List;

/**
 * One replica's log of one partition (Kafka's {@code UnifiedLog}): segments with base offsets
 * on the node's {@link dev.samsa.impl.node.Disk}, an offset index per segment, the leader-epoch
 * cache, the log start offset, the high watermark, and the producer state that makes appends
 * idempotent. Single-threaded; owned by the broker's replica manager.
 *
 * <p>CONTRACT (written before the implementation; the log helper fills it in):
 * <ul>
 *   <li>Files live under {@code dir()} = {@code "<topic>-<partition>/"} on the disk; one file per
 *       segment named by its 20-digit base offset + ".log", one disk entry per {@link RecordBatch}.
 *   <li>The constructor recovers from what the disk kept: a {@code Disk.TORN} entry, a gap in
 *       offsets or a batch that does not continue the previous one ends the log there (the rest is
 *       truncated away, later segments deleted). The epoch cache, producer state and offset
 *       indexes are rebuilt from the recovered batches (plus the epoch checkpoint, for an epoch a
 *       leader started without appending yet — KAFKA-7415). HW and log start offset come from
 *       their checkpoint files, clamped to [logStart, LEO].
 *   <li>Appends go to the page cache; {@link #flush()} fsyncs; {@code flush.messages} and
 *       {@code flush.ms} are honored by {@link #maybeFlush}.
 * </ul>
 */
public final class UnifiedLog {

    /**
     * Opens (recovering) the log of {@code tp} on {@code ctx.disk()}. Bugs it honors:
     * KAFKA-5634 (retention ignores the HW).
     */
    public UnifiedLog(Context ctx, TopicPartition tp, LogConfig config) {
        throw new UnsupportedOperationException("not built yet");
    }

    public TopicPartition topicPartition() {
        throw new UnsupportedOperationException();
    }

    /** The disk folder of this log: {@code "<topic>-<partition>/"}. */
    public String dir() {
        throw new UnsupportedOperationException();
    }

    public long logStartOffset() {
        throw new UnsupportedOperationException();
    }

    /** The log end offset (LEO): the offset the next appended record gets. */
    public long logEndOffset() {
        throw new UnsupportedOperationException();
    }

    public long highWatermark() {
        throw new UnsupportedOperationException();
    }

    /** Offsets below this are fsynced. */
    public long flushedOffset() {
        throw new UnsupportedOperationException();
    }

    /**
     * Sets the high watermark, clamped to [logStartOffset, LEO]. Callers keep it monotonic
     * outside truncation; the log does not refuse a decrease (a follower may learn a lower one
     * after an unclean election) but never lets it exceed LEO.
     */
    public void updateHighWatermark(long hw) {
        throw new UnsupportedOperationException();
    }

    /** Writes the HW to its checkpoint file (replace + fsync), as replica.high.watermark.checkpoint.interval.ms does. */
    public void checkpointHighWatermark() {
        throw new UnsupportedOperationException();
    }

    /**
     * Leader append: validates the batch's producer state (see ProducerStateManager rules in
     * kafka-semantics §1.6: duplicate of one of the last 5 batches → original offsets with
     * {@code duplicate}; older epoch → INVALID_PRODUCER_EPOCH; sequence gap →
     * OUT_OF_ORDER_SEQUENCE_NUMBER; unknown producer → any sequence accepted), assigns offsets
     * from LEO, stamps {@code leaderEpoch}, appends, rolls segments by segment.bytes/segment.ms,
     * records the epoch in the cache if new, updates producer state.
     */
    public AppendResult appendAsLeader(RecordBatch batch, int leaderEpoch, long nowMs) {
        throw new UnsupportedOperationException();
    }

    /**
     * Follower append of batches fetched from the leader: offsets already assigned, must start
     * at LEO (batches entirely below LEO are skipped). No sequence validation; producer state and
     * epoch cache are updated from the batches.
     */
    public void appendAsFollower(List<RecordBatch> batches, long nowMs) {
        throw new UnsupportedOperationException();
    }

    /**
     * Batches from the one containing {@code fromOffset} on, up to {@code maxBytes} (at least one
     * batch when there is one), none starting at or beyond {@code maxOffsetExclusive}. A batch
     * that starts before {@code fromOffset} (it contains it) is included whole. Throws
     * {@link OffsetOutOfRangeException} when {@code fromOffset < logStartOffset} or {@code > LEO}.
     */
    public List<RecordBatch> read(long fromOffset, int maxBytes, long maxOffsetExclusive) {
        throw new UnsupportedOperationException();
    }

    /** The batch that contains {@code offset}; for checkers and tests. */
    public RecordBatch batchContaining(long offset) {
        throw new UnsupportedOperationException();
    }

    /** Every batch currently in the log, in offset order (for end-of-run checks; not a hot path). */
    public List<RecordBatch> allBatches() {
        throw new UnsupportedOperationException();
    }

    /**
     * Removes every record at or after {@code offset} (whole batches: a batch containing
     * {@code offset} is removed from its base offset) and the epoch cache entries starting at or
     * after it; HW is clamped to the new LEO; producer state rebuilt. The truncation is fsynced.
     */
    public void truncateTo(long offset) {
        throw new UnsupportedOperationException();
    }

    /** Deletes everything and restarts the log empty at {@code offset} (log start = LEO = HW = offset). */
    public void truncateFullyAndStartAt(long offset) {
        throw new UnsupportedOperationException();
    }

    /** The epoch of the last entry of the epoch cache, -1 when empty. */
    public int latestEpoch() {
        throw new UnsupportedOperationException();
    }

    /** The epoch of the batch ending right before {@code offset} (for a Fetch's lastFetchedEpoch), -1 if none. */
    public int epochOfBatchBefore(long offset) {
        throw new UnsupportedOperationException();
    }

    /**
     * KIP-279: the largest epoch ≤ {@code epoch} in the cache and its end offset (start of the
     * next epoch, or LEO for the latest); for an epoch older than the first cached one,
     * (requested epoch, start offset of the first entry) as KAFKA-7415; UNDEFINED for an empty cache.
     */
    public EpochEndOffset endOffsetForEpoch(int epoch) {
        throw new UnsupportedOperationException();
    }

    /** Records {@code (epoch, startOffset)} in the epoch cache (a new leader does this at once, KAFKA-7415); checkpointed. */
    public void assignEpochStartOffset(int epoch, long startOffset) {
        throw new UnsupportedOperationException();
    }

    /** The epoch cache as (epoch, start offset) pairs, oldest first (views and tests). */
    public List<long[]> epochEntries() {
        throw new UnsupportedOperationException();
    }

    /** fsyncs every segment with unflushed data. */
    public void flush() {
        throw new UnsupportedOperationException();
    }

    /** Flushes if flush.messages unflushed records or flush.ms since the oldest unflushed append. */
    public void maybeFlush(long nowMs) {
        throw new UnsupportedOperationException();
    }

    /** Moves the log start forward (a follower following its leader's, DeleteRecords); never past HW; checkpointed. */
    public void maybeIncrementLogStartOffset(long offset) {
        throw new UnsupportedOperationException();
    }

    /**
     * Retention (cleanup.policy contains delete): deletes whole non-active segments, oldest first,
     * while retention.ms or retention.bytes say so — never a segment whose end is above the HW
     * (unless KAFKA-5634). Advances the log start to the next segment's base. Returns segments deleted.
     */
    public int deleteOldSegments(long nowMs) {
        throw new UnsupportedOperationException();
    }

    /**
     * Compaction (cleanup.policy contains compact): over the cleanable range (below the HW and
     * the active segment) keeps only the latest record per key; tombstones are removed once
     * delete.retention.ms has passed since the cleaner first saw them; control batches and each
     * producer's last batch are kept. Rewrites the affected segments. Returns records removed.
     */
    public int compact(long nowMs) {
        throw new UnsupportedOperationException();
    }

    /** The last sequence state of a producer on this partition, for views and tests: (epoch, lastSeq, lastOffset) or null. */
    public long[] producerState(long producerId) {
        throw new UnsupportedOperationException();
    }

    public int segmentCount() {
        throw new UnsupportedOperationException();
    }

    /** Total bytes of all segments. */
    public long sizeBytes() {
        throw new UnsupportedOperationException();
    }
}
