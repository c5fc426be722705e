package dev.samsa.impl.raft;

import dev.samsa.impl.node.Timer;

/**
 * A Raft timer. {@code generation} ties it to the state it was set in: a transition bumps the
 * generation, so every timer of the old state is recognised as stale and ignored.
 */
public record RaftTimer(Kind kind, long generation, int peer) implements Timer {
    public enum Kind {
        /** Unattached/candidate/resigned voter: start an election. */
        ELECTION,
        /** Follower: no successful fetch from the leader for controller.quorum.fetch.timeout.ms. */
        FETCH_TIMEOUT,
        /** The outstanding Fetch got no response. */
        FETCH_REQUEST_TIMEOUT,
        /** Send the next Fetch (after a backoff). */
        FETCH_RETRY,
        /** Leader: has a majority fetched recently enough? */
        CHECK_QUORUM,
        /** Leader: resend BeginQuorumEpoch to voters that have not fetched yet. */
        BEGIN_EPOCH_RESEND,
        /** Leader: a parked Fetch waited its maximum; answer it empty. */
        PARKED_FETCH_EXPIRY
    }
}
