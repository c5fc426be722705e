package dev.samsa.impl.node;

import java.nio.charset.StandardCharsets;

/**
 * A seeded pseudo-random stream: xoshiro256** (Blackman and Vigna) seeded through SplitMix64.
 * Both are fully specified integer algorithms, so a seed gives the same stream on every JVM,
 * unlike {@code java.util.Random} subclasses whose use is banned from the simulated path.
 *
 * <p>Each consumer gets its own named stream ({@link #named}), so a component that draws one
 * more number does not shift the draws of any other.
 */
public final class RandomStream {

    private long s0;
    private long s1;
    private long s2;
    private long s3;

    public RandomStream(long seed) {
        long x = seed;
        x += 0x9E3779B97F4A7C15L;
        s0 = mix64(x);
        x += 0x9E3779B97F4A7C15L;
        s1 = mix64(x);
        x += 0x9E3779B97F4A7C15L;
        s2 = mix64(x);
        x += 0x9E3779B97F4A7C15L;
        s3 = mix64(x);
        if ((s0 | s1 | s2 | s3) == 0) {
            s0 = 1; // the all-zero state is the one xoshiro cannot leave
        }
    }

    /** The stream called {@code name} under {@code masterSeed}. */
    public static RandomStream named(long masterSeed, String name) {
        return new RandomStream(mix64(masterSeed ^ fnv1a64(name)));
    }

    /** A child stream of this one, by name; does not advance this stream. */
    public RandomStream child(String name) {
        return new RandomStream(mix64(s0 ^ Long.rotateLeft(s2, 17) ^ fnv1a64(name)));
    }

    /** SplitMix64's finalizer: a good 64-bit mixing function. */
    public static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** FNV-1a over the UTF-8 bytes: a string hash that is the same everywhere. */
    public static long fnv1a64(String s) {
        long h = 0xCBF29CE484222325L;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= (b & 0xFF);
            h *= 0x100000001B3L;
        }
        return h;
    }

    public long nextLong() {
        long result = Long.rotateLeft(s1 * 5, 7) * 9;
        long t = s1 << 17;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = Long.rotateLeft(s3, 45);
        return result;
    }

    /** Uniform in {@code [0, bound)}, without modulo bias (Lemire's method). */
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive: " + bound);
        }
        long m = (nextLong() >>> 32) * bound;
        long low = m & 0xFFFFFFFFL;
        if (low < bound) {
            long threshold = (0x1_0000_0000L - bound) % bound;
            while (low < threshold) {
                m = (nextLong() >>> 32) * bound;
                low = m & 0xFFFFFFFFL;
            }
        }
        return (int) (m >>> 32);
    }

    /** Uniform in {@code [lo, hi]} inclusive. */
    public long nextLong(long lo, long hi) {
        if (hi < lo) {
            throw new IllegalArgumentException("empty range [" + lo + ", " + hi + "]");
        }
        long span = hi - lo + 1;
        if (span <= 0) { // the range covers more than half of all longs
            long r;
            do {
                r = nextLong();
            } while (r < lo || r > hi);
            return r;
        }
        // rejection sampling on the top bits keeps it unbiased
        long limit = Long.MAX_VALUE - (Long.MAX_VALUE % span);
        long r;
        do {
            r = nextLong() >>> 1;
        } while (r >= limit);
        return lo + r % span;
    }

    /** Uniform in {@code [0, 1)} with 53 bits of precision. */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** True with probability {@code p}. */
    public boolean chance(double p) {
        return nextDouble() < p;
    }

    /** Exponentially distributed with the given mean. */
    public double nextExponential(double mean) {
        return -mean * Math.log1p(-nextDouble());
    }

    /** One element of a non-empty array, uniformly. */
    @SafeVarargs
    public final <T> T pick(T... options) {
        return options[nextInt(options.length)];
    }
}
