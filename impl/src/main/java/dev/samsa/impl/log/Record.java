package dev.samsa.impl.log;

/**
 * One record of a batch, as the application sees it. Keys and values are strings here (samsa
 * does not serialize); {@code key} is null for a keyless record and {@code value} is null for a
 * tombstone, as in Kafka's {@code ProducerRecord}. {@code headers} is a single string (e.g. the
 * error header of a dead-letter record), empty when there are none.
 */
public record Record(String key, String value, long timestampMs, String headers) {

    public Record(String key, String value, long timestampMs) {
        this(key, value, timestampMs, "");
    }

    /** Kafka's record overhead (about 20 bytes in the v2 format) plus the key, value and headers. */
    public int sizeBytes() {
        return 20 + (key == null ? 0 : key.length()) + (value == null ? 0 : value.length()) + headers.length();
    }

    public boolean isTombstone() {
        return value == null;
    }
}
