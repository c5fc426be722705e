package dev.samsa.impl.raft;

/** One entry of the metadata log: its offset, the epoch of the leader that appended it, and the record. */
public record LogEntry(long offset, int epoch, RaftRecord record) {
    public int sizeBytes() {
        return 16 + record.sizeBytes();
    }
}
