package dev.samsa.impl.raft;

/** What a KRaft log entry carries: a control record of the quorum or a record of the state machine above it. */
public interface RaftRecord {
    default int sizeBytes() {
        return 32;
    }
}
