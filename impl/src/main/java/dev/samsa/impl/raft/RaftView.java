package dev.samsa.impl.raft;

import java.util.OptionalInt;

/**
 * A read-only view of one node's quorum state, cheap enough to read after every simulated
 * event (nothing is copied).
 */
public interface RaftView {
    int nodeId();

    int epoch();

    RaftRole role();

    OptionalInt leaderId();

    OptionalInt votedId();

    long highWatermark();

    long logEndOffset();

    /** Entry at {@code offset} (must be below {@link #logEndOffset()}). */
    LogEntry entryAt(long offset);

    /**
     * For a leader: the latest time at which a majority of voters (the leader included) had
     * fetched from it, in simulated nanos; for others, -1.
     */
    long majorityContactNanos();
}
