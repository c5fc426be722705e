package dev.samsa.impl.replication;

import static dev.samsa.impl.replication.ReplicaFixture.TP;
import static dev.samsa.impl.replication.ReplicaFixture.TP1;
import static org.assertj.core.api.Assertions.assertThat;

import dev.samsa.impl.controller.ControllerMessage.AlterPartitionRequest;
import dev.samsa.impl.controller.ControllerMessage.BrokerState;
import dev.samsa.impl.log.EpochEndOffset;
import dev.samsa.impl.protocol.ApiMessage;
import dev.samsa.impl.protocol.ApiMessage.EpochRequestPartition;
import dev.samsa.impl.protocol.ApiMessage.ListOffsetsPartition;
import dev.samsa.impl.protocol.ApiMessage.ListOffsetsRequest;
import dev.samsa.impl.protocol.ApiMessage.ListOffsetsResponse;
import dev.samsa.impl.protocol.ApiMessage.OffsetsForLeaderEpochRequest;
import dev.samsa.impl.protocol.ApiMessage.OffsetsForLeaderEpochResponse;
import dev.samsa.impl.protocol.ApiMessage.PartitionBatch;
import dev.samsa.impl.protocol.ApiMessage.PartitionProduceResponse;
import dev.samsa.impl.protocol.ApiMessage.ProduceResponse;
import dev.samsa.impl.protocol.Errors;
import dev.samsa.impl.protocol.IsolationLevel;
import dev.samsa.spec.bugs.Bug;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The leader side of a partition, driven through its {@link ReplicaManager}: produce, fetch, HW, ISR. */
class PartitionTest {

    static final short ACKS_ALL = -1;

    /** Broker 0 leads {@code t-0} in epoch 0 with the given ISR (min.insync.replicas=2, the default). */
    static ReplicaFixture leader(List<Integer> isr, Bug... bugs) {
        ReplicaFixture f = new ReplicaFixture(0, bugs).start();
        f.create(TP, 0, isr);
        return f;
    }

    static PartitionProduceResponse lastProduce(ReplicaFixture f) {
        return f.last(ProduceResponse.class).responses().get(0);
    }

    @Test
    void leadershipIsTakenOnlyFromRecordsNewerThanTheBrokersRegistration() {
        ReplicaFixture f = new ReplicaFixture(0).start();
        f.brokerEpoch = f.nextOffset + 1; // we re-registered after the records below
        f.create(TP, 0, List.of(0, 1, 2));
        assertThat(f.partition(TP).role()).isEqualTo(Partition.Role.NONE);
        f.change(TP, 0, 1, List.of(0, 1, 2)); // at our registration's offset: still not newer
        assertThat(f.partition(TP).role()).isEqualTo(Partition.Role.NONE);
        f.change(TP, 0, 2, List.of(0, 1, 2));
        assertThat(f.partition(TP).role()).isEqualTo(Partition.Role.LEADER);
        assertThat(f.partition(TP).leaderEpoch()).isEqualTo(2);
    }

    @Test
    void anUnregisteredBrokerTakesNoLeadership() {
        ReplicaFixture f = new ReplicaFixture(0).start();
        f.brokerEpoch = -1;
        f.create(TP, 0, List.of(0, 1, 2));
        assertThat(f.partition(TP).role()).isEqualTo(Partition.Role.NONE);
    }

    @Test
    void acksZeroIsNotAnsweredAndAcksOneAtOnce() {
        ReplicaFixture f = leader(List.of(0, 1, 2));
        f.produce((short) 0, TP, "a");
        assertThat(f.ctx.sent(ProduceResponse.class)).isEmpty();
        assertThat(f.partition(TP).log().logEndOffset()).isEqualTo(1);
        f.produce((short) 1, TP, "b");
        assertThat(lastProduce(f).error()).isEqualTo(Errors.NONE);
        assertThat(lastProduce(f).baseOffset()).isEqualTo(1);
        assertThat(f.partition(TP).log().highWatermark()).isZero();
    }

    @Test
    void acksAllCompletesOnlyWhenEveryInSyncFollowerFetchedPastIt() {
        ReplicaFixture f = leader(List.of(0, 1, 2));
        f.produce(ACKS_ALL, TP, "a");
        assertThat(f.ctx.sent(ProduceResponse.class)).isEmpty();
        f.followerFetch(1, TP, 1, 0);
        assertThat(f.ctx.sent(ProduceResponse.class)).isEmpty();
        assertThat(f.partition(TP).log().highWatermark()).isZero();
        f.followerFetch(2, TP, 1, 0);
        assertThat(f.partition(TP).log().highWatermark()).isEqualTo(1);
        assertThat(lastProduce(f).error()).isEqualTo(Errors.NONE);
        assertThat(lastProduce(f).baseOffset()).isZero();
    }

    @Test
    void acksAllTimesOutWhenFollowersDoNotFetch() {
        ReplicaFixture f = leader(List.of(0, 1, 2));
        f.produce(ACKS_ALL, TP, "a");
        f.advanceToMs(29_999);
        assertThat(f.ctx.sent(ProduceResponse.class)).isEmpty();
        f.advanceToMs(30_000);
        assertThat(lastProduce(f).error()).isEqualTo(Errors.REQUEST_TIMED_OUT);
    }

    @Test
    void acksAllIsRefusedBeforeTheAppendWhenTheIsrIsBelowMinIsr() {
        ReplicaFixture f = leader(List.of(0));
        f.produce(ACKS_ALL, TP, "a");
        assertThat(lastProduce(f).error()).isEqualTo(Errors.NOT_ENOUGH_REPLICAS);
        assertThat(f.partition(TP).log().logEndOffset()).isZero();
        f.produce((short) 1, TP, "b"); // acks=1 does not look at min.insync.replicas
        assertThat(lastProduce(f).error()).isEqualTo(Errors.NONE);
    }

    @Test
    void withKafka1555AcksAllSucceedsWithTheLeaderAlone() {
        ReplicaFixture f = leader(List.of(0), Bug.KAFKA_1555);
        f.produce(ACKS_ALL, TP, "a");
        assertThat(lastProduce(f).error()).isEqualTo(Errors.NONE);
        assertThat(f.partition(TP).log().highWatermark()).isEqualTo(1);
    }

    @Test
    void theHighWatermarkHoldsWhileTheIsrIsBelowMinIsrAndMovesWhenItGrows() {
        ReplicaFixture f = leader(List.of(0));
        f.produce((short) 1, TP, "a");
        f.followerFetch(1, TP, 1, 0);
        assertThat(f.partition(TP).log().highWatermark()).isZero(); // KAFKA-15583
        AlterPartitionRequest ap = (AlterPartitionRequest) f.toController.get(f.toController.size() - 1);
        assertThat(ap.newIsr()).extracting(BrokerState::brokerId).containsExactly(0, 1);
        f.change(TP, 0, 0, List.of(0, 1));
        assertThat(f.partition(TP).log().highWatermark()).isEqualTo(1);
    }

    @Test
    void aWriteWhoseHighWatermarkPassedKeepsItsSuccessWhenTheIsrShrinksBeforeTheOtherPartitionCompletes() {
        ReplicaFixture f = new ReplicaFixture(0).start();
        f.create(TP, 0, List.of(0, 1, 2));
        f.create(TP1, 0, List.of(0, 1, 2));
        f.produce(ACKS_ALL, List.of(new PartitionBatch(TP, ReplicaFixture.batch("a")), new PartitionBatch(TP1, ReplicaFixture.batch("b"))));
        f.followerFetch(1, TP1, 1, 0);
        f.followerFetch(2, TP1, 1, 0);
        assertThat(f.partition(TP1).log().highWatermark()).isEqualTo(1);
        f.change(TP1, 0, 0, List.of(0)); // after t-1's write was committed
        f.followerFetch(1, TP, 1, 0);
        f.followerFetch(2, TP, 1, 0);
        assertThat(f.last(ProduceResponse.class).responses()).extracting(PartitionProduceResponse::error).containsExactly(Errors.NONE, Errors.NONE);
    }

    // ------------------------------------------------------------------ fetch

    @Test
    void fetchesWithAStaleOrAFutureLeaderEpochAreFenced() {
        ReplicaFixture f = leader(List.of(0, 1, 2));
        f.change(TP, 0, 2, List.of(0, 1, 2));
        f.followerFetch(1, 1, TP, 1, 0, -1);
        assertThat(f.lastFetch().error()).isEqualTo(Errors.FENCED_LEADER_EPOCH);
        f.followerFetch(1, 1, TP, 3, 0, -1);
        assertThat(f.lastFetch().error()).isEqualTo(Errors.UNKNOWN_LEADER_EPOCH);
        f.followerFetch(1, 1, TP, 2, 0, -1);
        assertThat(f.lastFetch().error()).isEqualTo(Errors.NONE);
    }

    @Test
    void withKafka7395AFollowersStaleEpochIsNotFenced() {
        ReplicaFixture f = leader(List.of(0, 1, 2), Bug.KAFKA_7395);
        f.change(TP, 0, 2, List.of(0, 1, 2));
        f.followerFetch(1, 1, TP, 1, 0, -1);
        assertThat(f.lastFetch().error()).isEqualTo(Errors.NONE);
    }

    /** Leader log: [a b] in epoch 0, then [c] in epoch 2 (the leader's epoch starts at 2). */
    static ReplicaFixture leaderWithTwoEpochs(Bug... bugs) {
        ReplicaFixture f = leader(List.of(0, 1, 2), bugs);
        f.produce((short) 1, TP, "a");
        f.produce((short) 1, TP, "b");
        f.change(TP, 0, 2, List.of(0, 1, 2));
        f.produce((short) 1, TP, "c");
        return f;
    }

    @Test
    void aFollowerWhoseLastFetchedEpochEndedEarlierIsToldWhereToTruncate() {
        ReplicaFixture f = leaderWithTwoEpochs();
        f.followerFetch(1, TP, 3, 1); // it has an epoch 1 at offset 2 that this leader never had
        assertThat(f.lastFetch().divergingEpoch()).isEqualTo(new EpochEndOffset(0, 2));
        assertThat(f.lastFetch().batches()).isEmpty();
        f.followerFetch(1, TP, 2, 0); // in agreement: data
        assertThat(f.lastFetch().divergingEpoch().isUndefined()).isTrue();
        assertThat(f.lastFetch().batches()).hasSize(1);
    }

    @Test
    void consumersReadOnlyBelowTheHighWatermark() {
        ReplicaFixture f = leader(List.of(0, 1, 2));
        f.produce((short) 1, TP, "a");
        f.consumerFetch(TP, 0);
        assertThat(f.lastFetch().batches()).isEmpty();
        f.followerFetch(1, TP, 0, -1);
        assertThat(f.lastFetch().batches()).hasSize(1); // a follower reads up to the log end
        f.followerFetch(1, TP, 1, 0);
        f.followerFetch(2, TP, 1, 0);
        f.consumerFetch(TP, 0);
        assertThat(f.lastFetch().batches()).hasSize(1);
        assertThat(f.lastFetch().highWatermark()).isEqualTo(1);
    }

    @Test
    void listOffsetsGivesConsumersTheHighWatermarkAndReplicasTheLogEnd() {
        ReplicaFixture f = leader(List.of(0, 1, 2));
        f.produce((short) 1, TP, "a");
        f.rm.handle(100, new ListOffsetsRequest(9, -1, IsolationLevel.READ_UNCOMMITTED, List.of(new ListOffsetsPartition(TP, 0, ApiMessage.LATEST_TIMESTAMP))));
        assertThat(f.last(ListOffsetsResponse.class).responses().get(0).offset()).isZero();
        f.rm.handle(1, new ListOffsetsRequest(10, 1, IsolationLevel.READ_UNCOMMITTED, List.of(new ListOffsetsPartition(TP, 0, ApiMessage.LATEST_TIMESTAMP))));
        assertThat(f.last(ListOffsetsResponse.class).responses().get(0).offset()).isEqualTo(1);
        f.rm.handle(100, new ListOffsetsRequest(11, -1, IsolationLevel.READ_UNCOMMITTED, List.of(new ListOffsetsPartition(TP, 5, ApiMessage.LATEST_TIMESTAMP))));
        assertThat(f.last(ListOffsetsResponse.class).responses().get(0).error()).isEqualTo(Errors.UNKNOWN_LEADER_EPOCH);
    }

    // ------------------------------------------------------------------ OffsetsForLeaderEpoch

    static EpochEndOffset askEpoch(ReplicaFixture f, int epoch) {
        f.rm.handle(1, new OffsetsForLeaderEpochRequest(77, 1, List.of(new EpochRequestPartition(TP, 2, epoch))));
        var r = f.last(OffsetsForLeaderEpochResponse.class).responses().get(0);
        assertThat(r.error()).isEqualTo(Errors.NONE);
        return r.endOffset();
    }

    @Test
    void anEpochTheLeaderNeverHadIsAnsweredWithItsLargestSmallerEpoch() {
        assertThat(askEpoch(leaderWithTwoEpochs(), 1)).isEqualTo(new EpochEndOffset(0, 2));
        assertThat(askEpoch(leaderWithTwoEpochs(), 2)).isEqualTo(new EpochEndOffset(2, 3));
    }

    @Test
    void withKafka6361TheLeaderClaimsAnEpochItNeverHad() {
        assertThat(askEpoch(leaderWithTwoEpochs(Bug.KAFKA_6361), 1)).isEqualTo(new EpochEndOffset(1, 2));
    }

    @Test
    void offsetsForLeaderEpochWithAStaleCurrentEpochIsFencedUnlessKafka7395() {
        ReplicaFixture f = leaderWithTwoEpochs();
        f.rm.handle(1, new OffsetsForLeaderEpochRequest(78, 1, List.of(new EpochRequestPartition(TP, 1, 0))));
        assertThat(f.last(OffsetsForLeaderEpochResponse.class).responses().get(0).error()).isEqualTo(Errors.FENCED_LEADER_EPOCH);
        ReplicaFixture g = leaderWithTwoEpochs(Bug.KAFKA_7395);
        g.rm.handle(1, new OffsetsForLeaderEpochRequest(78, 1, List.of(new EpochRequestPartition(TP, 1, 0))));
        assertThat(g.last(OffsetsForLeaderEpochResponse.class).responses().get(0).error()).isEqualTo(Errors.NONE);
    }
}
