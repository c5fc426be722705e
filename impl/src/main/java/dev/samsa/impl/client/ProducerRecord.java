package dev.samsa.impl.client;

import java.util.OptionalInt;

/**
 * A record the application hands to {@link KafkaProducer#send}, like Kafka's {@code ProducerRecord}.
 *
 * @param partition empty: the producer's {@link Partitioner} chooses
 * @param key null for a keyless record
 * @param timestampMs negative: the producer stamps its (simulated) wall clock at send time
 * @param headers the record's headers as one string (e.g. a dead-letter record's error header), empty when none
 */
public record ProducerRecord(String topic, OptionalInt partition, String key, String value, long timestampMs, String headers) {

    public ProducerRecord {
        if (topic == null || topic.isEmpty()) {
            throw new IllegalArgumentException("empty topic name");
        }
        if (headers == null) {
            throw new IllegalArgumentException("null headers (use \"\")");
        }
    }

    /** A record without headers. */
    public ProducerRecord(String topic, OptionalInt partition, String key, String value, long timestampMs) {
        this(topic, partition, key, value, timestampMs, "");
    }

    /** A record for the partitioner to place, stamped at send time. */
    public static ProducerRecord of(String topic, String key, String value) {
        return new ProducerRecord(topic, OptionalInt.empty(), key, value, -1);
    }
}
