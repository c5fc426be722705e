package dev.samsa.impl.client;

import dev.samsa.impl.protocol.TopicPartition;

/**
 * A record returned by {@link KafkaConsumer#poll}, like Kafka's {@code ConsumerRecord}.
 *
 * @param leaderEpoch the epoch of the leader that appended the record's batch
 */
public record ConsumerRecord(TopicPartition tp, long offset, int leaderEpoch, String key, String value, long timestampMs, String headers) {}
