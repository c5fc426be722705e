package dev.samsa.impl.raft;

/** An (epoch, end offset) pair, as OffsetsForLeaderEpoch and Fetch's diverging epoch carry it. */
public record OffsetAndEpoch(long offset, int epoch) {
    /** Lexicographic (epoch, offset) order: which of two logs is more up to date. */
    public int compareTo(OffsetAndEpoch o) {
        int c = Integer.compare(epoch, o.epoch);
        return c != 0 ? c : Long.compare(offset, o.offset);
    }
}
