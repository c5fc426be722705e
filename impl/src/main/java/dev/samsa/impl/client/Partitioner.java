package dev.samsa.impl.client;

import java.util.Optional;

/**
 * Chooses a record's partition, like Kafka's {@code org.apache.kafka.clients.producer.Partitioner}.
 * A custom one (the seed article's region partitioner, say) plugs in here.
 */
public interface Partitioner {

    /**
     * @param keyBytes the serialized key, empty for a record without a key
     * @param numPartitions the topic's partition count, at least 1
     */
    int partition(String topic, Optional<byte[]> keyBytes, int numPartitions);

    /** The producer closed a batch for {@code topic}: a sticky partitioner may move on (KIP-480). */
    default void onNewBatch(String topic, int previousPartition) {}
}
