package dev.samsa.impl.metadata;

import dev.samsa.impl.protocol.TopicPartition;
import java.util.List;

/**
 * A partition was created: its replicas (in preference order), initial ISR and leader, leader
 * epoch 0 and partition epoch 0.
 */
public record PartitionRecord(TopicPartition tp, List<Integer> replicas, List<Integer> isr, int leader, int leaderEpoch, int partitionEpoch)
        implements MetadataRecord {

    public PartitionRecord {
        replicas = List.copyOf(replicas);
        isr = List.copyOf(isr);
    }
}
