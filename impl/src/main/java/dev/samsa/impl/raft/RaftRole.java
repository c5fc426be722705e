package dev.samsa.impl.raft;

/** The role of a node in the quorum, as the harness and traces show it. */
public enum RaftRole {
    LEADER,
    CANDIDATE,
    FOLLOWER,
    UNATTACHED,
    RESIGNED,
    /** A non-voter (a broker) replicating the log. */
    OBSERVER
}
