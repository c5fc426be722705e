package dev.samsa.impl.broker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.samsa.impl.controller.ControllerMessage.CreateTopicsRequest;
import dev.samsa.impl.controller.ControllerMessage.CreateTopicsResponse;
import dev.samsa.impl.protocol.Errors;
import dev.samsa.impl.protocol.GroupMessage.CoordinatorType;
import dev.samsa.impl.protocol.GroupMessage.FindCoordinatorRequest;
import dev.samsa.impl.protocol.GroupMessage.FindCoordinatorResponse;
import dev.samsa.impl.protocol.GroupMessage.HeartbeatRequest;
import dev.samsa.impl.protocol.GroupMessage.HeartbeatResponse;
import dev.samsa.impl.testing.TestContext;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** The broker answers FindCoordinator itself and hands the other group requests to its group coordinator. */
class BrokerGroupRoutingTest {

    @Test
    void findCoordinatorAsksForTheOffsetsTopicAndGroupRequestsReachTheCoordinator() {
        TestContext ctx = new TestContext(0);
        BrokerNode broker = new BrokerNode(ctx, List.of(3000));
        broker.onMessage(100, new FindCoordinatorRequest(1, CoordinatorType.GROUP, "g"));
        assertThat(ctx.sent(FindCoordinatorResponse.class)).singleElement()
                .satisfies(r -> assertThat(r.error()).isEqualTo(Errors.COORDINATOR_NOT_AVAILABLE));
        List<CreateTopicsRequest> create = ctx.sent(CreateTopicsRequest.class);
        assertThat(create).singleElement().satisfies(c -> assertThat(c.topic()).isEqualTo("__consumer_offsets"));
        broker.onMessage(3000, new CreateTopicsResponse(create.get(0).requestId(), Errors.INVALID_REPLICATION_FACTOR, OptionalInt.empty()));
        broker.onMessage(100, new FindCoordinatorRequest(2, CoordinatorType.GROUP, "g"));
        assertThat(ctx.sent(CreateTopicsRequest.class)).as("asked again after the failed creation").hasSize(2);

        broker.onMessage(100, new HeartbeatRequest(3, "g", 1, "m", null));
        assertThat(ctx.sent(HeartbeatResponse.class)).singleElement()
                .satisfies(r -> assertThat(r.error()).isEqualTo(Errors.NOT_COORDINATOR));
        assertThat(broker.groupCoordinator().shards()).isEmpty();
    }
}
