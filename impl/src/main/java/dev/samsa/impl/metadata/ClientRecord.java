package dev.samsa.impl.metadata;

/**
 * A metadata record written by a workload client through the active controller. {@code writeId}
 * is unique per client operation and survives retries: the controller appends a writeId at
 * most once, so every committed writeId appears exactly once in the log.
 */
public record ClientRecord(long writeId, int clientId, String payload) implements MetadataRecord {
    @Override
    public int sizeBytes() {
        return 24 + payload.length();
    }
}
