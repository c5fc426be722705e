package dev.samsa.impl.log;

import dev.samsa.impl.node.Disk;
import java.util.ArrayList;
import java.util.List;

/**
 * One segment of a partition log: the batches of one disk file, named by the segment's base
 * offset, with an {@link OffsetIndex}, its size, its largest record timestamp (for retention.ms)
 * and the time of its first append (for segment.ms), and the {@link TransactionIndex} of the
 * aborted transactions whose marker it holds. The batches are also kept in memory: the disk
 * entries are immutable objects, so this mirrors the page cache without copying.
 */
final class LogSegment {

    final long baseOffset;
    final String file;
    private final ArrayList<RecordBatch> batches = new ArrayList<>();
    private final OffsetIndex index = new OffsetIndex();
    final TransactionIndex txnIndex = new TransactionIndex();
    private long sizeBytes;
    private long largestTimestampMs = Long.MIN_VALUE;
    /** When the first batch was appended (or, after recovery, the first batch's timestamp, as Kafka does); -1 when empty. */
    private long firstAppendMs = -1;

    LogSegment(String file, long baseOffset) {
        this.file = file;
        this.baseOffset = baseOffset;
    }

    static String fileName(String dir, long baseOffset) {
        return dir + String.format("%020d", baseOffset) + ".log";
    }

    /** Appends to the page cache (disk) and the in-memory view. */
    void append(Disk disk, RecordBatch batch, long nowMs) {
        disk.append(file, batch, batch.sizeBytes());
        add(batch, nowMs);
    }

    /** Adds a batch already on disk (recovery). */
    void load(RecordBatch batch) {
        add(batch, batch.maxTimestampMs());
    }

    private void add(RecordBatch batch, long appendMs) {
        if (batch.baseOffset() < nextOffset()) {
            throw new IllegalStateException("batch " + batch + " overlaps segment " + baseOffset + " ending at " + nextOffset());
        }
        index.append(batch.baseOffset());
        batches.add(batch);
        sizeBytes += batch.sizeBytes();
        largestTimestampMs = Math.max(largestTimestampMs, batch.maxTimestampMs());
        if (firstAppendMs < 0) {
            firstAppendMs = appendMs;
        }
    }

    /** Keeps the first {@code n} batches, durably (truncation is fsynced, as Kafka's is). */
    void truncateTo(Disk disk, int n) {
        if (n == batches.size()) {
            return;
        }
        if (disk.exists(file)) {
            disk.truncate(file, n);
            disk.fsync(file);
        }
        batches.subList(n, batches.size()).clear();
        index.truncate(n);
        sizeBytes = 0;
        largestTimestampMs = Long.MIN_VALUE;
        for (RecordBatch b : batches) {
            sizeBytes += b.sizeBytes();
            largestTimestampMs = Math.max(largestTimestampMs, b.maxTimestampMs());
        }
        if (batches.isEmpty()) {
            firstAppendMs = -1;
        }
    }

    /**
     * Position of the batch holding {@code offset}, or of the first batch after it when it falls
     * in a gap left by compaction; {@link #batchCount()} when no batch is at or after it.
     */
    int positionOf(long offset) {
        int i = index.floor(offset);
        if (i < 0) {
            return 0;
        }
        return batches.get(i).lastOffset() < offset ? i + 1 : i;
    }

    RecordBatch batch(int position) {
        return batches.get(position);
    }

    int batchCount() {
        return batches.size();
    }

    boolean isEmpty() {
        return batches.isEmpty();
    }

    List<RecordBatch> batches() {
        return batches;
    }

    /** The offset after the last batch, or the base offset when empty. */
    long nextOffset() {
        return batches.isEmpty() ? baseOffset : batches.get(batches.size() - 1).nextOffset();
    }

    long sizeBytes() {
        return sizeBytes;
    }

    /** Largest record timestamp; the first append time when empty. */
    long largestTimestampMs() {
        return batches.isEmpty() ? firstAppendMs : largestTimestampMs;
    }

    long firstAppendMs() {
        return firstAppendMs;
    }

    @Override
    public String toString() {
        return "Segment[" + baseOffset + ".." + nextOffset() + ", " + batches.size() + " batches]";
    }
}
