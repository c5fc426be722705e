package dev.samsa.impl.broker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.samsa.impl.metadata.PartitionChangeRecord;
import dev.samsa.impl.metadata.PartitionRecord;
import dev.samsa.impl.metadata.PartitionRegistration;
import dev.samsa.impl.metadata.RegisterBrokerRecord;
import dev.samsa.impl.metadata.TopicRecord;
import dev.samsa.impl.protocol.Errors;
import dev.samsa.impl.protocol.TopicPartition;
import dev.samsa.impl.raft.LeaderChangeRecord;
import dev.samsa.impl.raft.LogEntry;
import dev.samsa.impl.raft.RaftMessage.FetchResponse;
import dev.samsa.impl.testing.TestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class BrokerMetadataListenerTest {

    static final TopicPartition TP = new TopicPartition("t", 0);

    @Test
    void theListenerHearsEachCommittedPartitionStateInLogOrder() {
        TestContext ctx = new TestContext(7);
        BrokerNode broker = new BrokerNode(ctx, List.of(1));
        List<PartitionRegistration> heard = new ArrayList<>();
        broker.setMetadataListener(heard::add);
        broker.onStart();
        List<LogEntry> entries = List.of(
                new LogEntry(0, 1, new LeaderChangeRecord(1, 1)),
                new LogEntry(1, 1, new RegisterBrokerRecord(7, 5)),
                new LogEntry(2, 1, new TopicRecord("t", 1)),
                new LogEntry(3, 1, new PartitionRecord(TP, List.of(7, 8), List.of(7, 8), 7, 0, 0)),
                new LogEntry(4, 1, new PartitionChangeRecord(TP, 7, List.of(7), 0, 1, false)));
        // the leader sends all five entries but has committed only the first four
        broker.onMessage(1, new FetchResponse(Errors.NONE, 1, OptionalInt.of(1), 4, entries, Optional.empty()));
        assertThat(heard).containsExactly(new PartitionRegistration(TP, List.of(7, 8), List.of(7, 8), 7, 0, 0, false));
        broker.onMessage(1, new FetchResponse(Errors.NONE, 1, OptionalInt.of(1), 5, List.of(), Optional.empty()));
        assertThat(heard).hasSize(2);
        assertThat(heard.get(1).isr()).containsExactly(7);
        assertThat(heard.get(1)).isEqualTo(broker.image().partition(TP).orElseThrow());
    }
}
