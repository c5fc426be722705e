package dev.samsa.impl.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.samsa.impl.protocol.TopicPartition;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterImagePartitionsTest {

    static final TopicPartition A0 = new TopicPartition("a", 0);
    static final TopicPartition A1 = new TopicPartition("a", 1);

    ClusterImage withTopicA() {
        ClusterImage img = new ClusterImage();
        img.apply(0, new TopicRecord("a", 2, 42));
        img.apply(1, new PartitionRecord(A0, List.of(1, 2, 3), List.of(1, 2, 3), 1, 0, 0));
        img.apply(2, new PartitionRecord(A1, List.of(2, 3, 1), List.of(2, 3, 1), 2, 0, 0));
        return img;
    }

    @Test
    void topicsAndPartitionsAreBuiltFromTheirRecords() {
        ClusterImage img = withTopicA();
        img.apply(3, new TopicRecord("b", 1));
        img.apply(4, new PartitionRecord(new TopicPartition("b", 0), List.of(3), List.of(3), 3, 0, 0));
        assertThat(img.topic("a")).hasValue(2);
        assertThat(img.topic("c")).isEmpty();
        assertThat(img.topicCreatedBy("a")).hasValue(42);
        assertThat(img.topicCreatedBy("b")).hasValue(-1);
        assertThat(img.topics()).containsExactly(java.util.Map.entry("a", 2), java.util.Map.entry("b", 1));
        assertThat(img.partition(A1)).contains(new PartitionRegistration(A1, List.of(2, 3, 1), List.of(2, 3, 1), 2, 0, 0, false));
        assertThat(img.partitionsOf("a")).extracting(PartitionRegistration::tp).containsExactly(A0, A1);
        assertThat(img.partitionsOf("b")).hasSize(1);
        assertThat(img.partitionsOf("c")).isEmpty();
        assertThat(img.partitions()).hasSize(3);
    }

    @Test
    void aPartitionChangeReplacesLeaderIsrAndEpochsButKeepsTheReplicas() {
        ClusterImage img = withTopicA();
        img.apply(3, new PartitionChangeRecord(A0, 2, List.of(2, 3), 1, 1, false));
        assertThat(img.partition(A0)).contains(new PartitionRegistration(A0, List.of(1, 2, 3), List.of(2, 3), 2, 1, 1, false));
        img.apply(4, new PartitionChangeRecord(A0, 3, List.of(3), 2, 2, true));
        assertThat(img.partition(A0).orElseThrow().recovering()).isTrue();
        assertThat(img.partition(A0).orElseThrow().hasLeader()).isTrue();
        img.apply(5, new PartitionChangeRecord(A0, -1, List.of(3), 3, 3, true));
        assertThat(img.partition(A0).orElseThrow().hasLeader()).isFalse();
    }

    @Test
    void recordsThatDoNotFitTheImageAreProgrammerErrors() {
        ClusterImage img = withTopicA();
        assertThatThrownBy(() -> img.apply(3, new TopicRecord("a", 1))).hasMessageContaining("created twice");
        assertThatThrownBy(() -> img.apply(4, new PartitionRecord(new TopicPartition("a", 2), List.of(1), List.of(1), 1, 0, 0)))
                .hasMessageContaining("does not fit");
        assertThatThrownBy(() -> img.apply(5, new PartitionRecord(A0, List.of(1), List.of(1), 1, 0, 0))).hasMessageContaining("does not fit");
        assertThatThrownBy(() -> img.apply(6, new PartitionRecord(new TopicPartition("z", 0), List.of(1), List.of(1), 1, 0, 0)))
                .hasMessageContaining("does not fit");
        assertThatThrownBy(() -> img.apply(7, new PartitionChangeRecord(new TopicPartition("z", 0), 1, List.of(1), 1, 1, false)))
                .hasMessageContaining("unknown partition");
        assertThatThrownBy(() -> img.apply(8, new PartitionChangeRecord(A0, 1, List.of(1), 0, 0, false))).hasMessageContaining("does not follow");
        assertThatThrownBy(() -> img.apply(9, new PartitionChangeRecord(A0, 1, List.of(1), -1, 1, false))).hasMessageContaining("does not follow");
        img.apply(10, new PartitionChangeRecord(A0, 1, List.of(1), 0, 1, false)); // an ISR-only change keeps the leader epoch
        assertThat(img.partition(A0).orElseThrow().isr()).containsExactly(1);
    }

    @Test
    void aCopyIsIndependentOfItsOriginal() {
        ClusterImage img = withTopicA();
        img.apply(3, new RegisterBrokerRecord(1, 7));
        ClusterImage copy = img.copy();
        assertThat(copy.appliedOffset()).isEqualTo(3);
        copy.apply(4, new PartitionChangeRecord(A0, 2, List.of(2, 3), 1, 1, false));
        copy.apply(5, new UnfenceBrokerRecord(1, 3));
        copy.apply(6, new TopicRecord("b", 1));
        assertThat(img.partition(A0).orElseThrow().partitionEpoch()).isZero();
        assertThat(img.broker(1).orElseThrow().fenced()).isTrue();
        assertThat(img.topic("b")).isEmpty();
        assertThat(img.appliedOffset()).isEqualTo(3);
        img.apply(4, new FenceBrokerRecord(1, 3));
        assertThat(copy.partition(A0).orElseThrow().partitionEpoch()).isEqualTo(1);
        assertThat(copy.broker(1).orElseThrow().fenced()).isFalse();
        assertThatThrownBy(() -> copy.apply(6, new TopicRecord("c", 1))).hasMessageContaining("applied after");
    }
}
