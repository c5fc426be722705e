package dev.samsa.impl.log;

import dev.samsa.impl.node.Context;
import dev.samsa.impl.node.Disk;
import dev.samsa.impl.protocol.Errors;
import dev.samsa.impl.protocol.TopicPartition;
import dev.samsa.spec.bugs.Bug;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One replica's log of one partition (Kafka's {@code UnifiedLog}): segments with base offsets
 * on the node's {@link dev.samsa.impl.node.Disk}, an offset index per segment, the leader-epoch
 * cache, the log start offset, the high watermark, and the producer state that makes appends
 * idempotent. Single-threaded; owned by the broker's replica manager.
 *
 * <p>CONTRACT:
 * <ul>
 *   <li>Files live under {@code dir()} = {@code "<topic>-<partition>/"} on the disk; one file per
 *       segment named by its 20-digit base offset + ".log", one disk entry per {@link RecordBatch};
 *       checkpoint files {@code leader-epoch-checkpoint}, {@code high-watermark},
 *       {@code log-start-offset}, {@code cleaner-offset-checkpoint} (see {@link Checkpoints}).
 *   <li>The constructor recovers from what the disk kept ({@link LogLoader}). The epoch cache,
 *       producer state, offset indexes and transaction indexes are rebuilt from the recovered batches (plus the epoch
 *       checkpoint, for an epoch a leader started without appending yet — KAFKA-7415). HW and log
 *       start offset come from their checkpoint files, clamped to [logStart, LEO].
 *   <li>Appends go to the page cache; {@link #flush()} fsyncs; {@code flush.messages} is checked
 *       after every append (as Kafka's append does) and, with {@code flush.ms}, by {@link #maybeFlush}.
 *   <li>Transactions: the last stable offset (LSO) is the first offset of the earliest open (or
 *       completed but not yet replicated) transaction, or the HW; aborted transactions are kept
 *       in the transaction index of the segment holding their marker.
 * </ul>
 *
 * <p>Simplifications: a segment is fsynced when it is rolled (Kafka schedules that flush at once,
 * asynchronously), so only the active segment ever holds unflushed data; recovery fsyncs what it
 * recovered; {@link #truncateTo} removes a batch that straddles the target offset whole, so the
 * log end may land below the target; producer state has no snapshots (see
 * {@link ProducerStateManager}).
 */
public final class UnifiedLog {

    private final Context ctx;
    private final Disk disk;
    private final TopicPartition tp;
    private final LogConfig config;
    private final String dir;
    private final TreeMap<Long, LogSegment> segments;
    private LogSegment active;
    private long logStartOffset;
    private long logEndOffset;
    private long highWatermark;
    private long flushedOffset;
    private long unflushedMessages;
    /** Wall-clock ms of the oldest append not yet fsynced; -1 when everything is flushed. */
    private long oldestUnflushedMs = -1;
    private final LeaderEpochFileCache epochCache;
    private final ProducerStateManager producerState = new ProducerStateManager();
    private final LogCleaner cleaner;

    /**
     * Opens (recovering) the log of {@code tp} on {@code ctx.disk()}. Bugs it honors:
     * KAFKA-5634 (retention ignores the HW).
     */
    public UnifiedLog(Context ctx, TopicPartition tp, LogConfig config) {
        this.ctx = ctx;
        this.disk = ctx.disk();
        this.tp = tp;
        this.config = config;
        this.dir = tp.toString() + "/";
        this.epochCache = new LeaderEpochFileCache(disk, dir + Checkpoints.LEADER_EPOCH);
        this.cleaner = new LogCleaner(ctx, dir);
        cleaner.completeInterruptedSwaps();
        this.segments = LogLoader.load(disk, dir, cleaner.cleanerCheckpoint());
        long checkpointedStart = Checkpoints.readOffset(disk, dir + Checkpoints.LOG_START, 0);
        if (segments.isEmpty()) {
            segments.put(checkpointedStart, new LogSegment(LogSegment.fileName(dir, checkpointedStart), checkpointedStart));
        }
        this.active = segments.lastEntry().getValue();
        this.logEndOffset = active.nextOffset();
        this.logStartOffset = Math.min(Math.max(checkpointedStart, segments.firstKey()), logEndOffset);
        long checkpointedHw = Checkpoints.readOffset(disk, dir + Checkpoints.HIGH_WATERMARK, logStartOffset);
        this.highWatermark = clamp(checkpointedHw);
        this.flushedOffset = logEndOffset;
        rebuildEpochCache();
        rebuildProducerState();
    }

    /** The cache from the batches' epochs, then the checkpoint's later epochs that start at or below LEO. */
    private void rebuildEpochCache() {
        List<EpochEntry> checkpointed = Checkpoints.readEpochs(disk, dir + Checkpoints.LEADER_EPOCH);
        for (LogSegment s : segments.values()) {
            for (RecordBatch b : s.batches()) {
                if (b.partitionLeaderEpoch() > epochCache.latestEpoch()) {
                    epochCache.assignInMemory(b.partitionLeaderEpoch(), b.baseOffset());
                }
            }
        }
        for (EpochEntry e : checkpointed) {
            EpochEntry latest = epochCache.latest();
            boolean after = latest == null || (e.epoch() > latest.epoch() && e.startOffset() >= latest.startOffset());
            if (after && e.startOffset() <= logEndOffset && e.startOffset() >= logStartOffset) {
                epochCache.assignInMemory(e.epoch(), e.startOffset());
            }
        }
        epochCache.truncateFromStartInMemory(logStartOffset);
        epochCache.flush();
    }

    /** Replays the log into the producer state and the transaction indexes: the same path as live appends. */
    private void rebuildProducerState() {
        producerState.clear();
        // producers whose records retention deleted keep their state (KAFKA-7190)
        producerState.load(Checkpoints.readProducers(disk, dir + Checkpoints.PRODUCER_SNAPSHOT));
        for (LogSegment s : segments.values()) {
            s.txnIndex.clear();
            for (RecordBatch b : s.batches()) {
                updateProducerState(s, b);
            }
        }
        producerState.onHighWatermarkUpdated(highWatermark);
    }

    /** Producer state after an append; an aborted transaction a marker completed goes to {@code s}'s transaction index. */
    private void updateProducerState(LogSegment s, RecordBatch b) {
        CompletedTxn done = producerState.update(b);
        if (done != null && done.aborted()) {
            s.txnIndex.append(new AbortedTxn(done.producerId(), done.firstOffset(), done.lastOffset(), producerState.lastStableOffset(done)));
        }
    }

    private long clamp(long offset) {
        return Math.max(logStartOffset, Math.min(offset, logEndOffset));
    }

    public TopicPartition topicPartition() {
        return tp;
    }

    /** The disk folder of this log: {@code "<topic>-<partition>/"}. */
    public String dir() {
        return dir;
    }

    public long logStartOffset() {
        return logStartOffset;
    }

    /** The log end offset (LEO): the offset the next appended record gets. */
    public long logEndOffset() {
        return logEndOffset;
    }

    public long highWatermark() {
        return highWatermark;
    }

    /** Offsets below this are fsynced. */
    public long flushedOffset() {
        return flushedOffset;
    }

    /**
     * Sets the high watermark, clamped to [logStartOffset, LEO]. Callers keep it monotonic
     * outside truncation; the log does not refuse a decrease (a follower may learn a lower one
     * after an unclean election) but never lets it exceed LEO.
     */
    public void updateHighWatermark(long hw) {
        highWatermark = clamp(hw);
        producerState.onHighWatermarkUpdated(highWatermark);
    }

    /**
     * The last stable offset: below it every transaction is decided (kafka-semantics §1.7), so
     * read_committed consumers read up to it. The HW when no transaction is open or unreplicated.
     */
    /** Whether {@code producerId} has a transaction open on this partition (KIP-890 part 1: its first write was verified). */
    public boolean hasOngoingTransaction(long producerId) {
        var e = producerState.get(producerId);
        return e != null && e.currentTxnFirstOffset() >= 0;
    }

    public long lastStableOffset() {
        return Math.max(logStartOffset, Math.min(producerState.firstUnstableOffset(highWatermark), highWatermark));
    }

    /**
     * The aborted transactions overlapping [{@code fetchOffset}, {@code upperBoundOffset}), for a
     * read_committed fetch (Kafka's {@code collectAbortedTransactions}): searched from the segment
     * holding {@code fetchOffset} on, until an entry's LSO at completion reaches the upper bound.
     */
    public List<AbortedTxn> collectAbortedTransactions(long fetchOffset, long upperBoundOffset) {
        List<AbortedTxn> out = new ArrayList<>();
        Map.Entry<Long, LogSegment> first = segments.floorEntry(fetchOffset);
        for (LogSegment s : segments.tailMap(first == null ? segments.firstKey() : first.getKey(), true).values()) {
            if (s.txnIndex.collect(fetchOffset, upperBoundOffset, out)) {
                break;
            }
        }
        return out;
    }

    /** Every entry of the transaction indexes, oldest first (views and tests). */
    public List<AbortedTxn> abortedTransactions() {
        List<AbortedTxn> out = new ArrayList<>();
        for (LogSegment s : segments.values()) {
            out.addAll(s.txnIndex.entries());
        }
        return out;
    }

    /** Writes the HW to its checkpoint file (replace + fsync), as replica.high.watermark.checkpoint.interval.ms does. */
    public void checkpointHighWatermark() {
        Checkpoints.writeOffset(disk, dir + Checkpoints.HIGH_WATERMARK, highWatermark);
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
        if (leaderEpoch < epochCache.latestEpoch()) {
            throw new IllegalStateException(tp + ": leader append in epoch " + leaderEpoch + " below the cached " + epochCache.latestEpoch());
        }
        if (batch.hasProducerId()) {
            ProducerStateManager.Validation v = producerState.validate(batch);
            if (v.duplicateOf() != null) {
                ctx.reached("log.duplicate-batch");
                return new AppendResult(Errors.NONE, v.duplicateOf().firstOffset(), v.duplicateOf().lastOffset(), true, logStartOffset);
            }
            if (v.error() != Errors.NONE) {
                if (v.error() == Errors.OUT_OF_ORDER_SEQUENCE_NUMBER) {
                    ctx.reached("log.out-of-order-sequence");
                } else if (batch.control()) {
                    ctx.reached("log.marker-fenced"); // a zombie producer epoch or a deposed coordinator
                }
                return AppendResult.error(v.error(), logStartOffset);
            }
        }
        RecordBatch assigned = batch.assign(logEndOffset, leaderEpoch);
        if (leaderEpoch > epochCache.latestEpoch()) {
            epochCache.assign(leaderEpoch, assigned.baseOffset());
        }
        append(assigned, nowMs);
        return new AppendResult(Errors.NONE, assigned.baseOffset(), assigned.lastOffset(), false, logStartOffset);
    }

    /**
     * Follower append of batches fetched from the leader: offsets already assigned, must start
     * at LEO (batches entirely below LEO are skipped). No sequence validation; producer state and
     * epoch cache are updated from the batches.
     */
    public void appendAsFollower(List<RecordBatch> batches, long nowMs) {
        for (RecordBatch b : batches) {
            if (b.nextOffset() <= logEndOffset) {
                continue;
            }
            // A compacted leader log has offset gaps (the cleaner removed records), which its
            // followers copy as they are, as Kafka's do; any other log is dense, so a gap there is a bug.
            if (b.baseOffset() < logEndOffset || (b.baseOffset() > logEndOffset && !config.compact())) {
                throw new IllegalStateException(tp + ": follower batch " + b + " does not start at the log end " + logEndOffset);
            }
            if (b.baseOffset() > logEndOffset) {
                ctx.reached("log.follower-offset-gap");
            }
            if (b.partitionLeaderEpoch() < 0) {
                throw new IllegalStateException(tp + ": follower batch " + b + " carries no leader epoch");
            }
            if (b.partitionLeaderEpoch() != epochCache.latestEpoch()) {
                epochCache.assign(b.partitionLeaderEpoch(), b.baseOffset());
            }
            append(b, nowMs);
        }
    }

    private void append(RecordBatch b, long nowMs) {
        maybeRoll(b.sizeBytes(), nowMs);
        active.append(disk, b, nowMs);
        logEndOffset = b.nextOffset();
        updateProducerState(active, b);
        unflushedMessages += b.recordCount();
        if (oldestUnflushedMs < 0) {
            oldestUnflushedMs = nowMs;
        }
        if (unflushedMessages >= config.flushMessages()) {
            flush();
        }
    }

    private void maybeRoll(int batchBytes, long nowMs) {
        if (active.isEmpty()) {
            return;
        }
        boolean full = active.sizeBytes() + batchBytes > config.segmentBytes();
        boolean old = nowMs - active.firstAppendMs() > config.segmentMs();
        if (full || old) {
            flush(); // Kafka flushes the rolled segment asynchronously right away; samsa does it here
            active = new LogSegment(LogSegment.fileName(dir, logEndOffset), logEndOffset);
            segments.put(logEndOffset, active);
        }
    }

    /**
     * Batches from the one containing {@code fromOffset} on, up to {@code maxBytes} (at least one
     * batch when there is one), none starting at or beyond {@code maxOffsetExclusive}. A batch
     * that starts before {@code fromOffset} (it contains it) is included whole. Throws
     * {@link OffsetOutOfRangeException} when {@code fromOffset < logStartOffset} or {@code > LEO}.
     */
    public List<RecordBatch> read(long fromOffset, int maxBytes, long maxOffsetExclusive) {
        checkInRange(fromOffset);
        if (fromOffset == logEndOffset) {
            return List.of();
        }
        List<RecordBatch> out = new ArrayList<>(4);
        long bytes = 0;
        LogSegment s = segments.floorEntry(fromOffset).getValue();
        int pos = s.positionOf(fromOffset);
        while (s != null) {
            for (; pos < s.batchCount(); pos++) {
                RecordBatch b = s.batch(pos);
                if (b.baseOffset() >= maxOffsetExclusive || (!out.isEmpty() && bytes + b.sizeBytes() > maxBytes)) {
                    return out;
                }
                out.add(b);
                bytes += b.sizeBytes();
            }
            Map.Entry<Long, LogSegment> next = segments.higherEntry(s.baseOffset);
            s = next == null ? null : next.getValue();
            pos = 0;
        }
        return out;
    }

    private void checkInRange(long offset) {
        if (offset < logStartOffset || offset > logEndOffset) {
            throw new OffsetOutOfRangeException(tp + ": offset " + offset + " outside [" + logStartOffset + ", " + logEndOffset + "]");
        }
    }

    /** The batch that contains {@code offset}; null when compaction removed it. For checkers and tests. */
    public RecordBatch batchContaining(long offset) {
        if (offset < logStartOffset || offset >= logEndOffset) {
            throw new OffsetOutOfRangeException(tp + ": no batch at " + offset + " in [" + logStartOffset + ", " + logEndOffset + ")");
        }
        LogSegment s = segments.floorEntry(offset).getValue();
        int pos = s.positionOf(offset);
        if (pos == s.batchCount() || s.batch(pos).baseOffset() > offset) {
            return null;
        }
        return s.batch(pos);
    }

    /** Every batch currently in the log, in offset order (for end-of-run checks; not a hot path). */
    public List<RecordBatch> allBatches() {
        List<RecordBatch> out = new ArrayList<>();
        for (LogSegment s : segments.values()) {
            out.addAll(s.batches());
        }
        return out;
    }

    /**
     * Removes every record at or after {@code offset} (whole batches: a batch containing
     * {@code offset} is removed from its base offset, so the log end may land below
     * {@code offset}) and the epoch cache entries starting at or after the new log end; HW is
     * clamped to the new LEO; producer state rebuilt. The truncation is fsynced.
     */
    public void truncateTo(long offset) {
        if (offset >= logEndOffset) {
            return;
        }
        if (offset < logStartOffset) {
            truncateFullyAndStartAt(offset);
            return;
        }
        LogSegment s = segments.floorEntry(offset).getValue();
        int pos = s.positionOf(offset);
        long newEnd = pos < s.batchCount() ? s.batch(pos).baseOffset() : s.nextOffset();
        if (pos < s.batchCount() && newEnd < logStartOffset) {
            truncateFullyAndStartAt(logStartOffset); // the batch holding the log start goes: nothing readable is left
            return;
        }
        while (segments.lastKey() > s.baseOffset) {
            disk.delete(segments.pollLastEntry().getValue().file);
        }
        s.truncateTo(disk, pos);
        active = s;
        logEndOffset = active.nextOffset();
        afterTruncation();
        ctx.reached("log.truncated");
    }

    private void afterTruncation() {
        // the active segment's file was fsynced by the truncation and older ones at roll
        flushedOffset = logEndOffset;
        unflushedMessages = 0;
        oldestUnflushedMs = -1;
        epochCache.truncateFromEnd(logEndOffset);
        highWatermark = Math.min(highWatermark, logEndOffset);
        cleaner.onTruncation(logEndOffset);
        rebuildProducerState();
    }

    /** Deletes everything and restarts the log empty at {@code offset} (log start = LEO = HW = offset). */
    public void truncateFullyAndStartAt(long offset) {
        boolean removed = false;
        for (LogSegment s : segments.values()) {
            removed |= !s.isEmpty();
            disk.delete(s.file);
        }
        segments.clear();
        active = new LogSegment(LogSegment.fileName(dir, offset), offset);
        segments.put(offset, active);
        logStartOffset = offset;
        logEndOffset = offset;
        highWatermark = offset;
        Checkpoints.writeOffset(disk, dir + Checkpoints.LOG_START, offset);
        checkpointHighWatermark();
        epochCache.clear();
        afterTruncation();
        if (removed) {
            ctx.reached("log.truncated");
        }
    }

    /** The epoch of the last entry of the epoch cache, -1 when empty. */
    public int latestEpoch() {
        return epochCache.latestEpoch();
    }

    /** The epoch of the batch ending right before {@code offset} (for a Fetch's lastFetchedEpoch), -1 if none. */
    public int epochOfBatchBefore(long offset) {
        for (LogSegment s : segments.headMap(offset, false).descendingMap().values()) {
            int pos = s.positionOf(offset - 1);
            if (pos < s.batchCount() && s.batch(pos).baseOffset() < offset) {
                return s.batch(pos).partitionLeaderEpoch();
            }
            if (pos > 0) {
                return s.batch(pos - 1).partitionLeaderEpoch();
            }
        }
        return -1;
    }

    /**
     * KIP-279: the largest epoch ≤ {@code epoch} in the cache and its end offset (start of the
     * next epoch, or LEO for the latest); for an epoch older than the first cached one,
     * (requested epoch, start offset of the first entry) as KAFKA-7415; UNDEFINED for an empty
     * cache, and (as Kafka) for an epoch above the latest cached one.
     */
    public EpochEndOffset endOffsetForEpoch(int epoch) {
        return epochCache.endOffsetFor(epoch, logEndOffset);
    }

    /** Records {@code (epoch, startOffset)} in the epoch cache (a new leader does this at once, KAFKA-7415); checkpointed. */
    public void assignEpochStartOffset(int epoch, long startOffset) {
        epochCache.assign(epoch, startOffset);
    }

    /** The epoch cache as (epoch, start offset) pairs, oldest first (views and tests). */
    public List<long[]> epochEntries() {
        List<long[]> out = new ArrayList<>();
        for (EpochEntry e : epochCache.entries()) {
            out.add(new long[] {e.epoch(), e.startOffset()});
        }
        return out;
    }

    /** fsyncs every segment with unflushed data (only the active one can have any: see the class comment). */
    public void flush() {
        if (unflushedMessages > 0) {
            disk.fsync(active.file);
        }
        flushedOffset = logEndOffset;
        unflushedMessages = 0;
        oldestUnflushedMs = -1;
    }

    /** Flushes if flush.messages unflushed records or flush.ms since the oldest unflushed append. */
    public void maybeFlush(long nowMs) {
        if (unflushedMessages == 0) {
            return;
        }
        // Long.MAX_VALUE means never; the age is a difference of two times, so it cannot overflow
        boolean tooOld = config.flushMs() != Long.MAX_VALUE && nowMs - oldestUnflushedMs >= config.flushMs();
        if (unflushedMessages >= config.flushMessages() || tooOld) {
            flush();
        }
    }

    /**
     * Moves the log start forward (a follower following its leader's, DeleteRecords); never past
     * HW (OffsetOutOfRangeException, as Kafka); checkpointed. Segments wholly below it go at the
     * next {@link #deleteOldSegments}.
     */
    public void maybeIncrementLogStartOffset(long offset) {
        if (offset <= logStartOffset) {
            return;
        }
        if (offset > highWatermark) {
            throw new OffsetOutOfRangeException(tp + ": log start " + offset + " would pass the high watermark " + highWatermark);
        }
        advanceLogStart(offset);
    }

    private void advanceLogStart(long offset) {
        logStartOffset = offset;
        epochCache.truncateFromStart(offset);
        Checkpoints.writeProducers(disk, dir + Checkpoints.PRODUCER_SNAPSHOT, producerState.retiredBelow(offset));
        Checkpoints.writeOffset(disk, dir + Checkpoints.LOG_START, offset);
    }

    /**
     * Retention (cleanup.policy contains delete): deletes whole non-active segments, oldest first,
     * while retention.ms or retention.bytes say so, or the next segment starts at or below the
     * log start (whatever the policy, as Kafka) — never a segment whose end is above the HW
     * (unless KAFKA-5634). Advances the log start to the next segment's base. Also expires idle
     * producers (producer.id.expiration.ms; Kafka checks that on its own timer). Returns segments deleted.
     */
    public int deleteOldSegments(long nowMs) {
        producerState.removeExpired(nowMs, config.producerIdExpirationMs());
        long totalBytes = sizeBytes();
        int deleted = 0;
        while (segments.size() > 1) {
            LogSegment oldest = segments.firstEntry().getValue();
            long nextBase = segments.higherKey(oldest.baseOffset);
            if (!deletable(oldest, nextBase, totalBytes, nowMs)) {
                break;
            }
            // KAFKA-5634's fix: a segment whose upper bound is above the HW may hold unreplicated data
            if (nextBase > highWatermark && !ctx.bug(Bug.KAFKA_5634)) {
                break;
            }
            segments.pollFirstEntry();
            disk.delete(oldest.file);
            totalBytes -= oldest.sizeBytes();
            deleted++;
            if (nextBase > logStartOffset) {
                advanceLogStart(nextBase); // with KAFKA-5634 this may pass the HW, which stays put
            }
            ctx.reached("log.segment-deleted");
        }
        return deleted;
    }

    private boolean deletable(LogSegment s, long nextBase, long totalBytes, long nowMs) {
        if (nextBase <= logStartOffset) {
            return true;
        }
        if (!config.delete()) {
            return false;
        }
        boolean byTime = config.retentionMs() >= 0 && nowMs - s.largestTimestampMs() > config.retentionMs();
        boolean bySize = config.retentionBytes() >= 0 && totalBytes - s.sizeBytes() >= config.retentionBytes();
        return byTime || bySize;
    }

    /**
     * Compaction (cleanup.policy contains compact): over the cleanable range (below the LSO and
     * the active segment) keeps only the latest record per key; tombstones are removed once
     * delete.retention.ms has passed since the cleaner first saw them; control batches and each
     * producer's last batch are kept. Rewrites the affected segments. Returns records removed.
     */
    public int compact(long nowMs) {
        if (!config.compact()) {
            return 0;
        }
        // Kafka cleans no further than the first unstable offset: an open transaction may still abort
        long end = Math.min(lastStableOffset(), active.baseOffset);
        if (end <= logStartOffset) {
            return 0;
        }
        int removed = cleaner.clean(segments, end, config.deleteRetentionMs(), nowMs);
        if (removed > 0) {
            ctx.reached("log.compacted");
        }
        return removed;
    }

    /** The first offset of the producer's open transaction on this partition; -1 when none (views and tests). */
    public long openTransactionFirstOffset(long producerId) {
        ProducerStateEntry e = producerState.get(producerId);
        return e == null ? -1 : e.currentTxnFirstOffset();
    }

    /** The last sequence state of a producer on this partition, for views and tests: (epoch, lastSeq, lastOffset) or null. */
    public long[] producerState(long producerId) {
        ProducerStateEntry e = producerState.get(producerId);
        return e == null ? null : new long[] {e.producerEpoch(), e.lastSeq(), e.lastOffset()};
    }

    public int segmentCount() {
        return segments.size();
    }

    /** Total bytes of all segments. */
    public long sizeBytes() {
        long total = 0;
        for (LogSegment s : segments.values()) {
            total += s.sizeBytes();
        }
        return total;
    }
}
