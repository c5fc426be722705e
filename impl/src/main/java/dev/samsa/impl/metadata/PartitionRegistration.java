package dev.samsa.impl.metadata;

import dev.samsa.impl.protocol.TopicPartition;
import java.util.List;

/** A partition as the metadata image holds it. {@code leader} is -1 when the partition is offline. */
public record PartitionRegistration(TopicPartition tp, List<Integer> replicas, List<Integer> isr, int leader, int leaderEpoch,
        int partitionEpoch, boolean recovering) {

    public PartitionRegistration {
        replicas = List.copyOf(replicas);
        isr = List.copyOf(isr);
    }

    public boolean hasLeader() {
        return leader >= 0;
    }
}
