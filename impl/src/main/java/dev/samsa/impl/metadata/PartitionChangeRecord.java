package dev.samsa.impl.metadata;

import dev.samsa.impl.protocol.TopicPartition;
import java.util.List;

/**
 * A partition's state changed (Kafka's PartitionChangeRecord, which replaced LeaderAndIsr): the
 * new leader (-1: none), ISR, leader epoch (bumped on every leader change), partition epoch
 * (bumped on every change) and whether the leader is recovering after an unclean election
 * (KIP-704). samsa writes the whole state rather than only the changed fields.
 */
public record PartitionChangeRecord(TopicPartition tp, int leader, List<Integer> isr, int leaderEpoch, int partitionEpoch, boolean recovering)
        implements MetadataRecord {

    public PartitionChangeRecord {
        isr = List.copyOf(isr);
    }
}
