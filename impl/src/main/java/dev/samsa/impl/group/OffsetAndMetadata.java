package dev.samsa.impl.group;

/**
 * A committed offset as the coordinator keeps it (Kafka's OffsetAndMetadata).
 *
 * @param leaderEpoch the epoch of the last consumed record (KIP-320), -1 if unknown
 * @param commitTimestampMs when the coordinator accepted the commit (wall-clock ms)
 * @param expireTimestampMs an explicit expiry (old record formats), -1 for none: then retention follows KIP-211
 */
public record OffsetAndMetadata(long offset, int leaderEpoch, String metadata, long commitTimestampMs, long expireTimestampMs) {

    public boolean hasExplicitExpiry() {
        return expireTimestampMs >= 0;
    }
}
