package dev.samsa.impl.log;

import dev.samsa.impl.node.Context;
import dev.samsa.impl.node.Disk;
import dev.samsa.spec.bugs.Bug;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Log compaction for one partition (Kafka's {@code LogCleaner}, one pass, no dirty-ratio
 * scheduling: the broker decides when to call). The cleanable range is the whole segments below
 * {@code min(HW, active segment base)}; the offset map holds the latest offset of each key in
 * that range (Kafka builds it from the dirty section below the same bound, so a record above the
 * HW, which truncation may still remove, never shadows an older committed one).
 *
 * <p>A record is kept iff its key is null, or it is the latest for its key and not a tombstone
 * older than delete.retention.ms since this cleaner first saw it. Control batches and each
 * producer's last batch are kept whole (KAFKA-14055, KAFKA-8335). The caller bounds the range by
 * the last stable offset, so no open transaction is cleaned. Records of aborted transactions (the
 * transaction indexes say which) never enter the offset map, so they shadow no committed record,
 * and are removed, except in a producer's last batch; markers are always kept (Kafka removes
 * them once their transaction's records are gone and delete.retention.ms passed).
 *
 * <p>Simplifications: Kafka keeps a compacted batch whole with gaps inside it; samsa's batch has
 * contiguous offsets, so a batch that loses records is split into one-record batches at their
 * original offsets (sequence numbers adjusted). A segment whose records all go stays as an empty
 * file, so its base offset (and the log start) do not move. The first time a tombstone was seen is kept in memory only (Kafka stamps a delete horizon into
 * the batch, KIP-534), so a restart gives tombstones a new delete.retention.ms.
 *
 * <p>Crash safety: the cleaner checkpoint (offset gaps are legal at or below it) is fsynced
 * before any segment is rewritten; a segment is rewritten by writing {@code <file>.cleaned}
 * ending with a {@link SwapComplete} marker, fsyncing it, then replacing the segment file with
 * its content. Recovery ({@link #completeInterruptedSwaps}) finishes a swap whose marker is
 * durable and discards one whose marker is not.
 */
final class LogCleaner {

    /** Last entry of a complete {@code .cleaned} file. */
    record SwapComplete() {}

    private static final String CLEANED = ".cleaned";

    private final Context ctx;
    private final Disk disk;
    private final String dir;
    private long cleanerCheckpoint;
    /** Offset of a tombstone → when this cleaner first saw it. */
    private final TreeMap<Long, Long> tombstoneFirstSeenMs = new TreeMap<>();

    LogCleaner(Context ctx, String dir) {
        this.ctx = ctx;
        this.disk = ctx.disk();
        this.dir = dir;
        this.cleanerCheckpoint = Checkpoints.readOffset(disk, dir + Checkpoints.CLEANER, 0);
    }

    long cleanerCheckpoint() {
        return cleanerCheckpoint;
    }

    /** Finishes or discards swaps a crash interrupted (before the segments are loaded). */
    void completeInterruptedSwaps() {
        for (String f : disk.files()) {
            if (!f.startsWith(dir) || !f.endsWith(CLEANED)) {
                continue;
            }
            List<Object> entries = disk.readAll(f);
            if (!entries.isEmpty() && entries.get(entries.size() - 1) instanceof SwapComplete) {
                writeSegmentFile(f.substring(0, f.length() - CLEANED.length()), entries.subList(0, entries.size() - 1));
            }
            disk.delete(f);
        }
    }

    /** The log was truncated to {@code logEndOffset}: gaps may no longer be accepted above it. */
    void onTruncation(long logEndOffset) {
        tombstoneFirstSeenMs.tailMap(logEndOffset, true).clear();
        if (cleanerCheckpoint > logEndOffset) {
            cleanerCheckpoint = logEndOffset;
            Checkpoints.writeOffset(disk, dir + Checkpoints.CLEANER, cleanerCheckpoint);
        }
    }

    /** Cleans the whole segments below {@code end}; returns the number of records removed. */
    int clean(TreeMap<Long, LogSegment> segments, long end, long deleteRetentionMs, long nowMs) {
        List<LogSegment> cleanable = cleanableSegments(segments, end);
        if (cleanable.isEmpty()) {
            return 0;
        }
        long cleanEnd = segments.higherKey(cleanable.get(cleanable.size() - 1).baseOffset);
        TreeSet<Long> aborted = abortedBatches(cleanable, segments);
        TreeMap<String, Long> latestByKey = offsetMap(cleanable, aborted);
        TreeMap<Long, Long> lastBatchOfProducer = lastBatchOfEachProducer(segments);
        if (cleanEnd > cleanerCheckpoint) {
            cleanerCheckpoint = cleanEnd;
            Checkpoints.writeOffset(disk, dir + Checkpoints.CLEANER, cleanerCheckpoint);
        }
        int removed = 0;
        for (LogSegment s : cleanable) {
            List<RecordBatch> kept = new ArrayList<>();
            int gone = 0;
            for (RecordBatch b : s.batches()) {
                gone += keep(b, aborted.contains(b.baseOffset()), latestByKey, lastBatchOfProducer, deleteRetentionMs, nowMs, kept);
            }
            if (gone == 0) {
                continue;
            }
            removed += gone;
            segments.put(s.baseOffset, swap(s, kept));
        }
        tombstoneFirstSeenMs.headMap(cleanEnd).keySet().removeIf(offset -> !stillPresent(segments, offset));
        return removed;
    }

    private static List<LogSegment> cleanableSegments(TreeMap<Long, LogSegment> segments, long end) {
        List<LogSegment> out = new ArrayList<>();
        for (Map.Entry<Long, LogSegment> e : segments.entrySet()) {
            Long next = segments.higherKey(e.getKey());
            if (next == null || next > end) {
                break;
            }
            out.add(e.getValue());
        }
        return out;
    }

    /** Base offsets of the cleanable data batches that belong to an aborted transaction (one open transaction per producer at a time). */
    private static TreeSet<Long> abortedBatches(List<LogSegment> cleanable, TreeMap<Long, LogSegment> segments) {
        TreeMap<Long, TreeMap<Long, Long>> rangesByProducer = new TreeMap<>();
        for (LogSegment s : segments.values()) {
            for (AbortedTxn t : s.txnIndex.entries()) {
                rangesByProducer.computeIfAbsent(t.producerId(), p -> new TreeMap<>()).put(t.firstOffset(), t.lastOffset());
            }
        }
        TreeSet<Long> out = new TreeSet<>();
        if (rangesByProducer.isEmpty()) {
            return out;
        }
        for (LogSegment s : cleanable) {
            for (RecordBatch b : s.batches()) {
                TreeMap<Long, Long> ranges = b.transactional() && !b.control() ? rangesByProducer.get(b.producerId()) : null;
                Map.Entry<Long, Long> r = ranges == null ? null : ranges.floorEntry(b.baseOffset());
                if (r != null && r.getValue() >= b.baseOffset()) {
                    out.add(b.baseOffset());
                }
            }
        }
        return out;
    }

    private static TreeMap<String, Long> offsetMap(List<LogSegment> cleanable, TreeSet<Long> aborted) {
        TreeMap<String, Long> latest = new TreeMap<>();
        for (LogSegment s : cleanable) {
            for (RecordBatch b : s.batches()) {
                if (b.control() || aborted.contains(b.baseOffset())) {
                    continue;
                }
                for (int i = 0; i < b.recordCount(); i++) {
                    String key = b.records().get(i).key();
                    if (key != null) {
                        latest.put(key, b.baseOffset() + i);
                    }
                }
            }
        }
        return latest;
    }

    private static TreeMap<Long, Long> lastBatchOfEachProducer(TreeMap<Long, LogSegment> segments) {
        TreeMap<Long, Long> last = new TreeMap<>();
        for (LogSegment s : segments.values()) {
            for (RecordBatch b : s.batches()) {
                if (b.hasProducerId()) {
                    last.put(b.producerId(), b.baseOffset());
                }
            }
        }
        return last;
    }

    /** Adds what survives of {@code b} to {@code kept}; returns how many records were dropped. */
    private int keep(RecordBatch b, boolean aborted, TreeMap<String, Long> latestByKey, TreeMap<Long, Long> lastBatchOfProducer,
            long deleteRetentionMs, long nowMs, List<RecordBatch> kept) {
        if (b.control()) {
            // KAFKA-14055's fix: a marker is never removed through the offset map. The faulty rule
            // looked the control record's key up like a data record's, so a later record with the
            // same key bytes removed the marker (Kafka kept at most an empty batch, which ends no
            // transaction), whether or not it was the producer's last batch.
            if (ctx.bug(Bug.KAFKA_14055) && !survives(b.records().get(0), b.baseOffset(), latestByKey, deleteRetentionMs, nowMs)) {
                ctx.reached("log.cleaner-removed-marker");
                return b.recordCount();
            }
            kept.add(b);
            return 0;
        }
        boolean producersLast = b.hasProducerId() && lastBatchOfProducer.get(b.producerId()) == b.baseOffset();
        if (producersLast) {
            kept.add(b);
            return 0;
        }
        if (aborted) {
            ctx.reached("log.cleaner-removed-aborted");
            return b.recordCount(); // no read_committed consumer may see them, and they shadow nothing
        }
        List<Integer> survivors = new ArrayList<>();
        for (int i = 0; i < b.recordCount(); i++) {
            if (survives(b.records().get(i), b.baseOffset() + i, latestByKey, deleteRetentionMs, nowMs)) {
                survivors.add(i);
            }
        }
        if (survivors.size() == b.recordCount()) {
            kept.add(b);
            return 0;
        }
        for (int i : survivors) {
            kept.add(single(b, i));
        }
        return b.recordCount() - survivors.size();
    }

    private boolean survives(Record r, long offset, TreeMap<String, Long> latestByKey, long deleteRetentionMs, long nowMs) {
        if (r.key() == null) {
            return true;
        }
        Long latest = latestByKey.get(r.key()); // absent only for a control key (KAFKA-14055): Kafka's map answers -1
        if (latest != null && latest > offset) {
            return false;
        }
        if (!r.isTombstone()) {
            return true;
        }
        long firstSeen = tombstoneFirstSeenMs.computeIfAbsent(offset, o -> nowMs);
        return nowMs - firstSeen < deleteRetentionMs;
    }

    /** Record {@code i} of {@code b} as a batch of its own at its original offset. */
    private static RecordBatch single(RecordBatch b, int i) {
        int seq = b.baseSequence() < 0 ? -1 : (int) ((b.baseSequence() + (long) i) % ((long) Integer.MAX_VALUE + 1));
        List<Record> one = List.of(b.records().get(i));
        return new RecordBatch(b.baseOffset() + i, b.partitionLeaderEpoch(), b.producerId(), b.producerEpoch(), seq,
                b.transactional(), false, b.compression(), one, RecordBatch.uncompressedSize(one));
    }

    /** Replaces the segment's file with {@code kept}, crash-safely (see the class comment). */
    private LogSegment swap(LogSegment s, List<RecordBatch> kept) {
        String cleaned = s.file + CLEANED;
        disk.delete(cleaned);
        for (RecordBatch b : kept) {
            disk.append(cleaned, b, b.sizeBytes());
        }
        disk.append(cleaned, new SwapComplete(), 1);
        disk.fsync(cleaned);
        writeSegmentFile(s.file, new ArrayList<>(kept));
        disk.delete(cleaned);
        LogSegment fresh = new LogSegment(s.file, s.baseOffset);
        for (RecordBatch b : kept) {
            fresh.load(b);
        }
        for (AbortedTxn t : s.txnIndex.entries()) {
            fresh.txnIndex.append(t); // the markers stay, so their aborted transactions stay indexed
        }
        return fresh;
    }

    /** (Re)writes a segment file durably; a segment the cleaner emptied stays as an empty file. */
    private void writeSegmentFile(String file, List<? extends Object> batches) {
        disk.delete(file);
        if (batches.isEmpty()) {
            disk.append(file, new SwapComplete(), 1); // the Disk API creates files by appending
            disk.truncate(file, 0);
        }
        for (Object o : batches) {
            RecordBatch b = (RecordBatch) o;
            disk.append(file, b, b.sizeBytes());
        }
        disk.fsync(file);
    }

    private static boolean stillPresent(TreeMap<Long, LogSegment> segments, long offset) {
        Map.Entry<Long, LogSegment> e = segments.floorEntry(offset);
        if (e == null) {
            return false;
        }
        LogSegment s = e.getValue();
        int pos = s.positionOf(offset);
        return pos < s.batchCount() && s.batch(pos).baseOffset() <= offset;
    }
}
