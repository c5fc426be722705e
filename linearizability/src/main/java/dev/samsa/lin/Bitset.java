package dev.samsa.lin;

import java.util.Arrays;

/**
 * The set of linearized operations, with a hash kept up to date on every change (Zobrist
 * hashing: each bit owns a fixed random 64-bit key), so caching a search state costs no scan.
 */
final class Bitset {

    private final long[] words;
    private final long[] keys;
    private long hash;

    Bitset(int bits, long[] keys) {
        this.words = new long[(bits + 63) >>> 6];
        this.keys = keys;
    }

    private Bitset(long[] words, long[] keys, long hash) {
        this.words = words;
        this.keys = keys;
        this.hash = hash;
    }

    private static volatile long[] sharedKeys = compute(1024);

    /** The first {@code bits} Zobrist keys (a fixed, cached sequence). */
    static long[] keys(int bits) {
        long[] k = sharedKeys;
        if (k.length < bits) {
            k = compute(Math.max(bits, 2 * k.length));
            sharedKeys = k;
        }
        return k;
    }

    private static long[] compute(int bits) {
        long[] k = new long[bits];
        long x = 0x9E3779B97F4A7C15L;
        for (int i = 0; i < bits; i++) {
            x += 0x9E3779B97F4A7C15L;
            long z = x;
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            k[i] = z ^ (z >>> 31);
        }
        return k;
    }

    void set(int i) {
        words[i >>> 6] |= 1L << i;
        hash ^= keys[i];
    }

    void clear(int i) {
        words[i >>> 6] &= ~(1L << i);
        hash ^= keys[i];
    }

    /** The hash this set would have with bit {@code i} also set (it must be clear). */
    long hashWith(int i) {
        return hash ^ keys[i];
    }

    long hash() {
        return hash;
    }

    /** Whether {@code other} equals this set with bit {@code i} set. */
    boolean equalsWith(Bitset other, int i) {
        int w = i >>> 6;
        for (int k = 0; k < words.length; k++) {
            long mine = k == w ? words[k] | (1L << i) : words[k];
            if (mine != other.words[k]) {
                return false;
            }
        }
        return true;
    }

    Bitset copyWith(int i) {
        long[] c = Arrays.copyOf(words, words.length);
        c[i >>> 6] |= 1L << i;
        return new Bitset(c, keys, hash ^ keys[i]);
    }

    int cardinality() {
        int n = 0;
        for (long w : words) {
            n += Long.bitCount(w);
        }
        return n;
    }
}
