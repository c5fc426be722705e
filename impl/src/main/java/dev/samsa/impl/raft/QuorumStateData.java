package dev.samsa.impl.raft;

/**
 * The quorum-state file's content: persisted (and fsynced) before the node acts on it, so a
 * voter never votes twice in one epoch nor forgets an epoch it has seen. -1 means none.
 */
public record QuorumStateData(int epoch, int votedId, int leaderId) {
    public static final QuorumStateData EMPTY = new QuorumStateData(0, -1, -1);
}
