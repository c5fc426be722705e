package dev.samsa.impl.replication;

import dev.samsa.impl.node.Timer;

/**
 * The replica manager's timers. {@code id} names what a one-off timer is about (a parked
 * request's id, a fetch's correlation id, a leader's broker id); periodic ones ignore it.
 */
public record ReplicationTimer(Kind kind, long id) implements Timer {
    public enum Kind {
        /** Leader: drop followers that fell behind from ISRs. */
        ISR_SHRINK,
        /** Write every partition's high watermark to its checkpoint. */
        HW_CHECKPOINT,
        /** Retention and compaction. */
        LOG_CLEANUP,
        /** flush.ms. */
        LOG_FLUSH,
        /** Resend AlterPartition requests that got no answer. */
        ALTER_PARTITION_RETRY,
        /** A parked acks=all produce reached its timeout. */
        PRODUCE_TIMEOUT,
        /** A parked fetch reached its max wait. */
        FETCH_EXPIRY,
        /** Follower: a fetch or OffsetsForLeaderEpoch to leader {@code id} got no answer. */
        FETCHER_REQUEST_TIMEOUT,
        /** Follower: the backoff before fetching again from leader {@code id} is over. */
        FETCHER_BACKOFF,
        /** A parked WriteTxnMarkers reached its timeout. */
        TXN_MARKERS_TIMEOUT
    }
}
