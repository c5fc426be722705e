package dev.samsa.impl.txn;

import dev.samsa.impl.protocol.TopicPartition;
import java.util.List;

/**
 * One persisted version of a transactional id's metadata (Kafka's TxnTransitMetadata and the
 * value of its __transaction_state record): a transition is prepared as one of these, written,
 * and becomes the metadata when the write commits — by replay, the same path a load takes.
 * {@code prevProducerId} is the id before an epoch exhaustion gave a new one (-1 if none);
 * {@code lastProducerEpoch} is the epoch before the last bump (-1 if none), so a retried request
 * of the previous epoch can be recognised.
 */
public record TxnTransitMetadata(long producerId, long prevProducerId, short producerEpoch, short lastProducerEpoch,
        long txnTimeoutMs, TransactionState state, List<TopicPartition> topicPartitions, long txnStartTimestampMs,
        long txnLastUpdateTimestampMs) {
    public TxnTransitMetadata {
        topicPartitions = List.copyOf(topicPartitions);
    }
}
