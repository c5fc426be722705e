package dev.samsa.impl.log;

/**
 * An answer to OffsetsForLeaderEpoch (KIP-279): the largest epoch at most the one asked for, and
 * the offset where it ends (the start of the next epoch, or the log end for the latest).
 * {@link #UNDEFINED} when the log knows no such epoch.
 */
public record EpochEndOffset(int leaderEpoch, long endOffset) {

    public static final EpochEndOffset UNDEFINED = new EpochEndOffset(-1, -1);

    public boolean isUndefined() {
        return leaderEpoch < 0;
    }
}
