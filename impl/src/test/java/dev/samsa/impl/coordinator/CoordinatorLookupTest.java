package dev.samsa.impl.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.samsa.impl.controller.ControllerMessage.CreateTopicsRequest;
import dev.samsa.impl.controller.ControllerMessage.CreateTopicsResponse;
import dev.samsa.impl.metadata.ClusterImage;
import dev.samsa.impl.metadata.PartitionChangeRecord;
import dev.samsa.impl.metadata.PartitionRecord;
import dev.samsa.impl.metadata.RegisterBrokerRecord;
import dev.samsa.impl.metadata.TopicRecord;
import dev.samsa.impl.protocol.Errors;
import dev.samsa.impl.protocol.GroupMessage.CoordinatorType;
import dev.samsa.impl.protocol.GroupMessage.FindCoordinatorRequest;
import dev.samsa.impl.protocol.GroupMessage.FindCoordinatorResponse;
import dev.samsa.impl.protocol.TopicPartition;
import dev.samsa.impl.testing.TestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class CoordinatorLookupTest {

    @Test
    void partitionIsKafkasAbsHashModuloPartitions() {
        assertThat(CoordinatorLookup.partitionFor("my-group", 50)).isEqualTo(Math.abs("my-group".hashCode()) % 50);
        assertThat("polygenelubricants".hashCode()).isEqualTo(Integer.MIN_VALUE);
        assertThat(CoordinatorLookup.partitionFor("polygenelubricants", 50)).as("Utils.abs(MIN_VALUE) is 0").isZero();
        assertThat(CoordinatorLookup.partitionFor("x", 1)).isZero();
    }

    @Test
    void missingTopicIsCreatedOnceAndAnsweredNotAvailableUntilItHasALeader() {
        TestContext ctx = new TestContext(0);
        ctx.settings = ctx.settings.with("offsets.topic.num.partitions", "3").with("offsets.topic.replication.factor", "2");
        List<CreateTopicsRequest> sent = new ArrayList<>();
        CoordinatorLookup lookup = new CoordinatorLookup(ctx, sent::add);
        ClusterImage image = new ClusterImage();
        image.apply(0, new RegisterBrokerRecord(0, 1000));

        FindCoordinatorRequest find = new FindCoordinatorRequest(1, CoordinatorType.GROUP, "g");
        assertThat(lookup.find(image, find).error()).isEqualTo(Errors.COORDINATOR_NOT_AVAILABLE);
        assertThat(lookup.find(image, find).error()).isEqualTo(Errors.COORDINATOR_NOT_AVAILABLE);
        assertThat(sent).hasSize(1);
        assertThat(sent.get(0).topic()).isEqualTo("__consumer_offsets");
        assertThat(sent.get(0).numPartitions()).isEqualTo(3);
        assertThat(sent.get(0).replicationFactor()).isEqualTo(2);
        lookup.onCreateTopicsResponse(new CreateTopicsResponse(sent.get(0).requestId(), Errors.NOT_CONTROLLER, OptionalInt.empty()));
        lookup.find(image, find);
        assertThat(sent).as("asked again after a failed creation").hasSize(2);

        image.apply(1, new TopicRecord("__consumer_offsets", 3));
        TopicPartition tp = new TopicPartition("__consumer_offsets", CoordinatorLookup.partitionFor("g", 3));
        image.apply(2, new PartitionRecord(tp, List.of(0), List.of(0), 0, 0, 0));
        FindCoordinatorResponse r = lookup.find(image, find);
        assertThat(r.error()).isEqualTo(Errors.NONE);
        assertThat(r.nodeId()).isZero();
        image.apply(3, new PartitionChangeRecord(tp, -1, List.of(0), 1, 1, false));
        assertThat(lookup.find(image, find).error()).isEqualTo(Errors.COORDINATOR_NOT_AVAILABLE);

        FindCoordinatorRequest txn = new FindCoordinatorRequest(2, CoordinatorType.TRANSACTION, "tx");
        assertThat(lookup.find(image, txn).error()).isEqualTo(Errors.COORDINATOR_NOT_AVAILABLE);
        assertThat(sent.get(sent.size() - 1).topic()).isEqualTo("__transaction_state");
    }

    @Test
    void recordFieldsRoundTrip() {
        List<String> fields = new ArrayList<>(List.of("a|b", "c\\d", "", "\\0"));
        fields.add(null);
        String joined = RecordFields.join(fields);
        assertThat(RecordFields.split(joined)).isEqualTo(fields);
        assertThat(RecordFields.unlist(RecordFields.list(List.of()))).isEmpty();
        assertThat(RecordFields.unlist(RecordFields.list(List.of("")))).containsExactly("");
        String nested = RecordFields.list(List.of(RecordFields.join("x|y", "z"), "w"));
        assertThat(RecordFields.split(RecordFields.unlist(nested).get(0))).containsExactly("x|y", "z");
    }
}
