package dev.samsa.impl.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.samsa.impl.controller.ControllerMessage.AlterPartitionRequest;
import dev.samsa.impl.controller.ControllerMessage.AlterPartitionResponse;
import dev.samsa.impl.controller.ControllerMessage.BrokerHeartbeatRequest;
import dev.samsa.impl.controller.ControllerMessage.BrokerHeartbeatResponse;
import dev.samsa.impl.controller.ControllerMessage.BrokerState;
import dev.samsa.impl.metadata.PartitionChangeRecord;
import dev.samsa.impl.protocol.Errors;
import dev.samsa.impl.protocol.TopicPartition;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * With three voters the controller's appends wait for node 2's fetch to commit, so decisions
 * made in between must read the speculative image, not the committed one.
 */
class SpeculativeImageTest {

    static final TopicPartition TP = new TopicPartition("t", 0);

    final ControllerFixture f = new ControllerFixture(List.of(1, 2, 3));

    List<BrokerState> states(List<Integer> isr) {
        return isr.stream().map(b -> new BrokerState(b, f.epochs.get(b))).toList();
    }

    @Test
    void twoAlterPartitionsBackToBackCannotBothStartFromTheSamePartitionEpoch() {
        f.start().registerAll(11, 12, 13);
        f.createTopic("t", 1, 3);
        f.commitAll();
        List<Integer> replicas = f.partition("t", 0).replicas();
        int leader = replicas.get(0);
        long leaderEpoch = f.epochs.get(leader);
        f.node.onMessage(leader, new AlterPartitionRequest(leader, leaderEpoch, TP, 0, 0, states(replicas.subList(0, 2))));
        assertThat(f.drain(AlterPartitionResponse.class)).isEmpty(); // accepted: answered when committed
        assertThat(f.partition("t", 0).partitionEpoch()).isZero(); // the committed image has not moved yet
        f.node.onMessage(leader, new AlterPartitionRequest(leader, leaderEpoch, TP, 0, 0, states(List.of(leader))));
        AlterPartitionResponse second = f.last(AlterPartitionResponse.class);
        assertThat(second.error()).isEqualTo(Errors.INVALID_UPDATE_VERSION);
        assertThat(second.partitionEpoch()).isEqualTo(1);
        f.commitAll();
        AlterPartitionResponse first = f.last(AlterPartitionResponse.class);
        assertThat(first.error()).isEqualTo(Errors.NONE);
        assertThat(first.isr()).containsExactlyElementsOf(replicas.subList(0, 2));
        assertThat(f.partition("t", 0).isr()).containsExactlyElementsOf(replicas.subList(0, 2));
        long changes = 0;
        for (long o = 0; o < f.node.raft().logEndOffset(); o++) {
            if (f.node.raft().entryAt(o).record() instanceof PartitionChangeRecord) {
                changes++;
            }
        }
        assertThat(changes).isEqualTo(1);
    }

    @Test
    void anUnfenceIsAnsweredOnlyOnceCommittedAndNotAppendedTwice() {
        f.start().registerAll(11);
        f.register(12, 112);
        // register() unfenced 12 and committed it; fence it by hand with a fresh incarnation instead
        long epoch = f.node.raft().logEndOffset();
        f.node.onMessage(13, new ControllerMessage.BrokerRegistrationRequest(13, 113));
        f.commitAll();
        f.drain(ControllerMessage.BrokerRegistrationResponse.class);
        f.drain(BrokerHeartbeatResponse.class);
        f.node.onMessage(13, new BrokerHeartbeatRequest(13, epoch, 0)); // not caught up: stays fenced
        assertThat(f.last(BrokerHeartbeatResponse.class).fenced()).isTrue();
        long end = f.node.raft().logEndOffset();
        f.node.onMessage(13, new BrokerHeartbeatRequest(13, epoch, epoch));
        f.node.onMessage(13, new BrokerHeartbeatRequest(13, epoch, epoch)); // a second one before the commit
        assertThat(f.node.raft().logEndOffset()).isEqualTo(end + 1);
        assertThat(f.drain(BrokerHeartbeatResponse.class)).isEmpty();
        f.commitAll();
        assertThat(f.drain(BrokerHeartbeatResponse.class)).extracting(BrokerHeartbeatResponse::fenced).containsExactly(false, false);
    }
}
