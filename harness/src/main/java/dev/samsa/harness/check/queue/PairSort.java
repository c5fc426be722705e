package dev.samsa.harness.check.queue;

/**
 * Sorts positions 0..n-1 of two parallel long arrays by (first, second), stably, without boxing:
 * the version order sorts every (offset, value) observation of a key once.
 */
final class PairSort {

    private PairSort() {}

    /** The permutation that lists positions in ascending (first[i], second[i]) order. */
    static int[] order(long[] first, long[] second, int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        int[] b = new int[n];
        // Bottom-up merge sort: O(n log n) in the worst case, stable.
        for (int width = 1; width < n; width *= 2) {
            for (int lo = 0; lo < n; lo += 2 * width) {
                int mid = Math.min(lo + width, n);
                int hi = Math.min(lo + 2 * width, n);
                merge(first, second, a, b, lo, mid, hi);
            }
            int[] t = a;
            a = b;
            b = t;
        }
        return a;
    }

    private static void merge(long[] first, long[] second, int[] src, int[] dst, int lo, int mid, int hi) {
        int i = lo;
        int j = mid;
        for (int k = lo; k < hi; k++) {
            if (i < mid && (j >= hi || compare(first, second, src[i], src[j]) <= 0)) {
                dst[k] = src[i++];
            } else {
                dst[k] = src[j++];
            }
        }
    }

    private static int compare(long[] first, long[] second, int x, int y) {
        int c = Long.compare(first[x], first[y]);
        return c != 0 ? c : Long.compare(second[x], second[y]);
    }
}
