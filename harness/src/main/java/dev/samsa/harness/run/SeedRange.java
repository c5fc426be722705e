package dev.samsa.harness.run;

/** An inclusive range of seeds: {@code N} means {@code 0..N-1}, {@code A..B} means A to B. */
public record SeedRange(long first, long last) {

    public SeedRange {
        if (last < first) {
            throw new IllegalArgumentException("empty seed range " + first + ".." + last);
        }
    }

    public static SeedRange parse(String s) {
        String t = s.trim();
        try {
            int dots = t.indexOf("..");
            if (dots >= 0) {
                return new SeedRange(Long.parseLong(t.substring(0, dots).trim()), Long.parseLong(t.substring(dots + 2).trim()));
            }
            long n = Long.parseLong(t);
            if (n <= 0) {
                throw new IllegalArgumentException("--seeds needs a positive count or a range A..B, got '" + s + "'");
            }
            return new SeedRange(0, n - 1);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--seeds needs a count N or a range A..B, got '" + s + "'");
        }
    }

    public long count() {
        return last - first + 1;
    }

    /** The I-th of N slices (0-based), for {@code --shard I/N}. */
    public SeedRange shard(int index, int of) {
        if (of <= 0 || index < 0 || index >= of) {
            throw new IllegalArgumentException("--shard needs I/N with 0 <= I < N, got " + index + "/" + of);
        }
        long n = count();
        long from = first + n * index / of;
        long to = first + n * (index + 1) / of - 1;
        if (to < from) {
            throw new IllegalArgumentException("shard " + index + "/" + of + " of " + n + " seeds is empty");
        }
        return new SeedRange(from, to);
    }

    @Override
    public String toString() {
        return first + ".." + last;
    }
}
