package dev.samsa.impl.log;

import java.util.Arrays;

/**
 * The offset index of one segment: base offset of each batch → its entry position in the
 * segment file. Kafka's index is sparse (one entry per {@code index.interval.bytes}) because it
 * lives in a memory-mapped file; samsa keeps it in memory, so it is dense (one slot per batch,
 * a primitive array) and a lookup is one binary search.
 */
final class OffsetIndex {

    private long[] baseOffsets = new long[16];
    private int entries;

    void append(long baseOffset) {
        if (entries > 0 && baseOffsets[entries - 1] >= baseOffset) {
            throw new IllegalStateException("index goes backwards: " + baseOffset + " after " + baseOffsets[entries - 1]);
        }
        if (entries == baseOffsets.length) {
            baseOffsets = Arrays.copyOf(baseOffsets, entries * 2);
        }
        baseOffsets[entries++] = baseOffset;
    }

    /** Position of the last batch whose base offset is ≤ {@code offset}; -1 when there is none. */
    int floor(long offset) {
        int lo = 0;
        int hi = entries - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (baseOffsets[mid] <= offset) {
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return hi;
    }

    /** Keeps the first {@code n} entries. */
    void truncate(int n) {
        if (n < 0 || n > entries) {
            throw new IllegalStateException("truncate index of " + entries + " to " + n);
        }
        entries = n;
    }

    int entries() {
        return entries;
    }
}
