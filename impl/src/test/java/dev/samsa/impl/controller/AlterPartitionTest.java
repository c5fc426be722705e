package dev.samsa.impl.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.samsa.impl.controller.ControllerMessage.AlterPartitionRequest;
import dev.samsa.impl.controller.ControllerMessage.AlterPartitionResponse;
import dev.samsa.impl.controller.ControllerMessage.BrokerState;
import dev.samsa.impl.metadata.PartitionRegistration;
import dev.samsa.impl.protocol.Errors;
import dev.samsa.impl.protocol.TopicPartition;
import dev.samsa.spec.bugs.Bug;
import java.util.List;
import org.junit.jupiter.api.Test;

/** AlterPartition (KIP-497) with KIP-841 and KIP-903 eligibility, on the active controller. */
class AlterPartitionTest {

    static final TopicPartition TP = new TopicPartition("t", 0);

    final ControllerFixture f = ControllerFixture.singleVoter();
    List<Integer> replicas;
    int leader;

    /** Brokers 1..3, topic t with one partition of three replicas; the last replica is shrunk out of the ISR. */
    void setUp() {
        f.start().registerAll(1, 2, 3);
        f.createTopic("t", 1, 3);
        replicas = f.partition("t", 0).replicas();
        leader = replicas.get(0);
        AlterPartitionResponse r = f.alterIsr(TP, 0, 0, replicas.subList(0, 2));
        assertThat(r.error()).isEqualTo(Errors.NONE);
    }

    int outOfSync() {
        return replicas.get(2);
    }

    @Test
    void aShrinkAndAnExpansionAreAcceptedWithTheLeaderEpochUnchanged() {
        setUp();
        PartitionRegistration shrunk = f.partition("t", 0);
        assertThat(shrunk.isr()).containsExactlyElementsOf(replicas.subList(0, 2));
        assertThat(shrunk.partitionEpoch()).isEqualTo(1);
        assertThat(shrunk.leaderEpoch()).isZero();
        AlterPartitionResponse r = f.alterIsr(TP, 0, 1, replicas);
        assertThat(r.error()).isEqualTo(Errors.NONE);
        assertThat(r.isr()).containsExactlyElementsOf(replicas);
        assertThat(r.partitionEpoch()).isEqualTo(2);
        assertThat(r.leader()).isEqualTo(leader);
        assertThat(r.leaderEpoch()).isZero();
        assertThat(f.partition("t", 0).isr()).containsExactlyElementsOf(replicas);
    }

    @Test
    void aRetryOfAnAppliedChangeIsAnsweredNoneWithoutASecondChange() {
        setUp();
        long end = f.node.raft().logEndOffset();
        AlterPartitionResponse r = f.alterIsr(TP, 0, 0, replicas.subList(0, 2)); // the setUp request again
        assertThat(r.error()).isEqualTo(Errors.NONE);
        assertThat(r.partitionEpoch()).isEqualTo(1);
        assertThat(f.node.raft().logEndOffset()).isEqualTo(end);
        // the same epochs but another ISR is no retry: it is stale
        assertThat(f.alterIsr(TP, 0, 0, replicas).error()).isEqualTo(Errors.INVALID_UPDATE_VERSION);
    }

    @Test
    void aStaleLeaderEpochOrANonLeaderIsFenced() {
        setUp();
        assertThat(f.alterIsr(TP, 1, 1, replicas).error()).isEqualTo(Errors.FENCED_LEADER_EPOCH);
        int follower = replicas.get(1);
        AlterPartitionResponse r = f.alter(new AlterPartitionRequest(follower, f.epochs.get(follower), TP, 0, 1,
                List.of(new BrokerState(follower, f.epochs.get(follower)))));
        assertThat(r.error()).isEqualTo(Errors.FENCED_LEADER_EPOCH);
        // an error is answered with the current state
        assertThat(r.partitionEpoch()).isEqualTo(1);
        assertThat(r.isr()).containsExactlyElementsOf(replicas.subList(0, 2));
        assertThat(f.partition("t", 0).partitionEpoch()).isEqualTo(1);
    }

    @Test
    void aStalePartitionEpochIsAnInvalidUpdateVersion() {
        setUp();
        assertThat(f.alterIsr(TP, 0, 0, replicas).error()).isEqualTo(Errors.INVALID_UPDATE_VERSION);
        assertThat(f.alterIsr(TP, 0, 2, replicas).error()).isEqualTo(Errors.INVALID_UPDATE_VERSION);
        assertThat(f.partition("t", 0).isr()).hasSize(2);
    }

    @Test
    void theLeaderMustSendItsOwnBrokerEpoch() {
        setUp();
        long stale = f.epochs.get(leader) - 1;
        AlterPartitionResponse r = f.alter(new AlterPartitionRequest(leader, stale, TP, 0, 1, states(replicas)));
        assertThat(r.error()).isEqualTo(Errors.STALE_BROKER_EPOCH);
    }

    @Test
    void anIsrWithoutTheLeaderOrWithANonReplicaIsInvalid() {
        setUp();
        assertThat(f.alterIsr(TP, 0, 1, replicas.subList(1, 3)).error()).isEqualTo(Errors.INVALID_REQUEST);
        f.register(9, 109);
        assertThat(f.alterIsr(TP, 0, 1, List.of(leader, 9)).error()).isEqualTo(Errors.INVALID_REQUEST);
        assertThat(f.alterIsr(TP, 0, 1, List.of(leader, leader)).error()).isEqualTo(Errors.INVALID_REQUEST);
    }

    @Test
    void anUnknownPartitionIsUnknown() {
        setUp();
        AlterPartitionResponse r = f.alterIsr(TP, 0, 1, replicas);
        assertThat(r.error()).isEqualTo(Errors.NONE);
        AlterPartitionRequest other = new AlterPartitionRequest(leader, f.epochs.get(leader), new TopicPartition("t", 1), 0, 0, states(replicas));
        assertThat(f.alter(other).error()).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION);
    }

    @Test
    void aFencedBrokerMayNotJoinTheIsr() {
        setUp();
        f.fence(outOfSync());
        int pe = f.partition("t", 0).partitionEpoch();
        assertThat(f.alterIsr(TP, 0, pe, replicas).error()).isEqualTo(Errors.INELIGIBLE_REPLICA);
        f.alive.add(outOfSync());
        f.heartbeat(outOfSync()); // unfenced again: now eligible
        assertThat(f.alterIsr(TP, 0, pe, replicas).error()).isEqualTo(Errors.NONE);
    }

    @Test
    void aNewMemberWithAStaleBrokerEpochIsIneligible() {
        setUp();
        long oldEpoch = f.epochs.get(outOfSync());
        f.register(outOfSync(), 5555); // a new incarnation, unfenced
        AlterPartitionResponse r = f.alter(new AlterPartitionRequest(leader, f.epochs.get(leader), TP, 0, 1, withEpoch(outOfSync(), oldEpoch)));
        assertThat(r.error()).isEqualTo(Errors.INELIGIBLE_REPLICA);
        assertThat(f.partition("t", 0).isr()).doesNotContain(outOfSync());
        // with its current epoch it may join
        assertThat(f.alterIsr(TP, 0, 1, replicas).error()).isEqualTo(Errors.NONE);
    }

    @Test
    void withKafka14139TheBrokerEpochOfANewMemberIsNotChecked() {
        f.ctx.bugs.add(Bug.KAFKA_14139);
        setUp();
        long oldEpoch = f.epochs.get(outOfSync());
        f.register(outOfSync(), 5555);
        AlterPartitionResponse r = f.alter(new AlterPartitionRequest(leader, f.epochs.get(leader), TP, 0, 1, withEpoch(outOfSync(), oldEpoch)));
        assertThat(r.error()).isEqualTo(Errors.NONE);
        assertThat(f.partition("t", 0).isr()).contains(outOfSync());
        // the bug is only about epochs: a fenced broker is still refused
        f.fence(outOfSync());
        PartitionRegistration p = f.partition("t", 0);
        assertThat(f.alterIsr(TP, p.leaderEpoch(), p.partitionEpoch(), replicas).error()).isEqualTo(Errors.INELIGIBLE_REPLICA);
    }

    List<BrokerState> states(List<Integer> isr) {
        return isr.stream().map(b -> new BrokerState(b, f.epochs.get(b))).toList();
    }

    List<BrokerState> withEpoch(int broker, long epoch) {
        return replicas.stream().map(b -> new BrokerState(b, b == broker ? epoch : f.epochs.get(b))).toList();
    }
}
