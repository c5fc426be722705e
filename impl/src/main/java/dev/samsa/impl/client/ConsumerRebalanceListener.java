package dev.samsa.impl.client;

import dev.samsa.impl.protocol.TopicPartition;
import java.util.Collection;

/**
 * Kafka's {@code ConsumerRebalanceListener}, sans-IO: Kafka calls it synchronously inside
 * poll(); here the consumer calls it while a poll is outstanding and goes no further in the
 * rebalance (no JoinGroup after a revocation, no fetching of new partitions) until {@code done}
 * runs. An application that stalls delays the rebalance, as it would in Kafka.
 */
public interface ConsumerRebalanceListener {

    void onPartitionsRevoked(Collection<TopicPartition> partitions, Runnable done);

    void onPartitionsAssigned(Collection<TopicPartition> partitions, Runnable done);

    /** The partitions were already taken away (generation lost): nothing can be committed for them. */
    default void onPartitionsLost(Collection<TopicPartition> partitions, Runnable done) {
        onPartitionsRevoked(partitions, done);
    }

    /** A listener that does nothing. */
    ConsumerRebalanceListener NOOP = new ConsumerRebalanceListener() {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions, Runnable done) {
            done.run();
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions, Runnable done) {
            done.run();
        }
    };
}
