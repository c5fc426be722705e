package dev.samsa.impl.client;

/** A committed position: the next offset to consume, the leader epoch of the last consumed record (-1 unknown), free text. */
public record OffsetAndMetadata(long offset, int leaderEpoch, String metadata) {

    public OffsetAndMetadata(long offset) {
        this(offset, -1, "");
    }
}
