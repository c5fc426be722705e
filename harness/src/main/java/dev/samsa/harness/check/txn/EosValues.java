package dev.samsa.harness.check.txn;

/**
 * How the eos workload's values carry their meaning, so a history alone can be re-checked. An
 * order is a value v of the input topic: its region and amount are functions of v (a fixed
 * hash), the seed article's "orders (region, amount)". An output value carries the region, the
 * number of orders of amount > {@link #THRESHOLD} the transaction counted for it, and a part that
 * makes it unique per output key.
 */
public final class EosValues {

    /** Regions orders come from. */
    public static final int REGIONS = 5;
    /** Only orders above this amount are counted (the article's filter). */
    public static final long THRESHOLD = 100;
    /** Key of output partition p is this + p; keys below it are input partitions. */
    public static final int OUTPUT_KEY_BASE = 1000;

    private static final long COUNT_LIMIT = 10_000;
    private static final long REGION_LIMIT = 16;

    private EosValues() {}

    public static int region(long order) {
        return (int) Math.floorMod(mix(order) >>> 8, REGIONS);
    }

    /** 0..199: about half the orders pass the filter. */
    public static long amount(long order) {
        return Math.floorMod(mix(order) >>> 20, 200L);
    }

    public static boolean counted(long order) {
        return amount(order) > THRESHOLD;
    }

    /** An output value: {@code unique} distinguishes the transactions that write one key. */
    public static long output(long unique, int region, int count) {
        if (count < 0 || count >= COUNT_LIMIT || region < 0 || region >= REGION_LIMIT || unique < 0) {
            throw new IllegalArgumentException("cannot encode region " + region + " count " + count + " unique " + unique);
        }
        return (unique * REGION_LIMIT + region) * COUNT_LIMIT + count;
    }

    public static int outputRegion(long value) {
        return (int) ((value / COUNT_LIMIT) % REGION_LIMIT);
    }

    public static int outputCount(long value) {
        return (int) (value % COUNT_LIMIT);
    }

    public static boolean isOutput(int key) {
        return key >= OUTPUT_KEY_BASE;
    }

    private static long mix(long v) {
        long z = v * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        return z ^ (z >>> 31);
    }
}
