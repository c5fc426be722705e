package dev.samsa.harness.check.queue;

import java.util.Arrays;

/** A growable array of longs: histories hold hundreds of thousands of offsets and values. */
final class LongList {
    private long[] items = new long[16];
    private int size;

    void add(long v) {
        if (size == items.length) {
            items = Arrays.copyOf(items, size * 2);
        }
        items[size++] = v;
    }

    long get(int i) {
        return items[i];
    }

    int size() {
        return size;
    }

    /** The distinct values, sorted. */
    long[] sortedDistinct() {
        long[] a = Arrays.copyOf(items, size);
        Arrays.sort(a);
        int n = 0;
        for (int i = 0; i < a.length; i++) {
            if (n == 0 || a[n - 1] != a[i]) {
                a[n++] = a[i];
            }
        }
        return Arrays.copyOf(a, n);
    }

    long[] toArray() {
        return Arrays.copyOf(items, size);
    }
}
