package dev.samsa.impl.client;

import static dev.samsa.impl.client.ProducerFixture.T0;
import static dev.samsa.impl.client.ProducerFixture.T1;
import static dev.samsa.impl.client.ProducerFixture.T2;
import static dev.samsa.impl.client.ProducerFixture.pm;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.samsa.impl.client.TransactionManager.State;
import dev.samsa.impl.protocol.ApiMessage.InitProducerIdRequest;
import dev.samsa.impl.protocol.ApiMessage.InitProducerIdResponse;
import dev.samsa.impl.protocol.ApiMessage.ProduceRequest;
import dev.samsa.impl.protocol.Errors;
import dev.samsa.impl.protocol.GroupMessage.CoordinatorType;
import dev.samsa.impl.protocol.GroupMessage.FindCoordinatorRequest;
import dev.samsa.impl.protocol.GroupMessage.FindCoordinatorResponse;
import dev.samsa.impl.protocol.TopicPartition;
import dev.samsa.impl.protocol.TxnMessage.AddOffsetsToTxnRequest;
import dev.samsa.impl.protocol.TxnMessage.AddOffsetsToTxnResponse;
import dev.samsa.impl.protocol.TxnMessage.AddPartitionsToTxnRequest;
import dev.samsa.impl.protocol.TxnMessage.AddPartitionsToTxnResponse;
import dev.samsa.impl.protocol.TxnMessage.EndTxnRequest;
import dev.samsa.impl.protocol.TxnMessage.EndTxnResponse;
import dev.samsa.impl.protocol.TxnMessage.PartitionResult;
import dev.samsa.impl.protocol.TxnMessage.TxnOffsetCommitRequest;
import dev.samsa.impl.protocol.TxnMessage.TxnOffsetCommitResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** The transactional producer against scripted coordinator answers (the coordinator is broker 2). */
class TransactionalProducerTest {

    private static final int COORD = 2;
    private static final int GROUP_COORD = 3;
    private static final TopicPartition OFFSETS_TP = new TopicPartition("in", 0);

    private final ProducerFixture f = new ProducerFixture();
    private final List<Errors> ops = new ArrayList<>();

    /** A transactional producer that went through initTransactions: producer id 7000, epoch 3. */
    private KafkaProducer ready() {
        f.ctx.set("transactional.id", "tx-1").set("transaction.timeout.ms", "10000");
        f.start();
        f.producer.initTransactions(ops::add);
        FindCoordinatorRequest find = f.ctx.last(FindCoordinatorRequest.class);
        assertThat(find.keyType()).isEqualTo(CoordinatorType.TRANSACTION);
        assertThat(find.key()).isEqualTo("tx-1");
        f.producer.onMessage(f.ctx.lastTo(FindCoordinatorRequest.class), new FindCoordinatorResponse(find.correlationId(), Errors.NONE, COORD));
        InitProducerIdRequest init = f.ctx.last(InitProducerIdRequest.class);
        assertThat(f.ctx.lastTo(InitProducerIdRequest.class)).isEqualTo(COORD);
        assertThat(init.transactionalId()).isEqualTo("tx-1");
        assertThat(init.transactionTimeoutMs()).isEqualTo(10000);
        f.producer.onMessage(COORD, new InitProducerIdResponse(init.correlationId(), Errors.NONE, 7000, (short) 3));
        assertThat(ops).containsExactly(Errors.NONE);
        ops.clear();
        assertThat(f.producer.txn.state()).isEqualTo(State.READY);
        return f.producer;
    }

    private void answerAddPartitions(Errors e) {
        AddPartitionsToTxnRequest req = f.ctx.last(AddPartitionsToTxnRequest.class);
        List<PartitionResult> results = new ArrayList<>();
        for (TopicPartition tp : req.partitions()) {
            results.add(new PartitionResult(tp, e));
        }
        f.producer.onMessage(COORD, new AddPartitionsToTxnResponse(req.correlationId(), results));
    }

    private void answerEndTxn(Errors e, long producerId, short epoch) {
        EndTxnRequest req = f.ctx.last(EndTxnRequest.class);
        f.producer.onMessage(COORD, new EndTxnResponse(req.correlationId(), e, producerId, epoch));
    }

    /** begin, one record to t-0, metadata, partition added, batch sent. */
    private ProduceRequest oneRecordSent() {
        f.producer.beginTransaction();
        f.send(0, "a");
        f.answerMetadata(pm(T0, 1, 5), pm(T1, 2, 5), pm(T2, 1, 5));
        f.advance(10);
        assertThat(f.produceRequests()).as("no batch before the partition is in the transaction").isEmpty();
        AddPartitionsToTxnRequest add = f.ctx.last(AddPartitionsToTxnRequest.class);
        assertThat(add.partitions()).containsExactly(T0);
        assertThat(add.verifyOnly()).isFalse();
        assertThat(add.producerId()).isEqualTo(7000);
        answerAddPartitions(Errors.NONE);
        ProduceRequest p = f.lastProduce();
        return p;
    }

    @Test
    void commitSendsTransactionalBatchesThenEndTxnAndAdoptsTheBumpedEpoch() {
        ready();
        ProduceRequest p = oneRecordSent();
        assertThat(p.transactionalId()).as("the leader verifies with it (KIP-890)").isEqualTo("tx-1");
        var batch = p.batches().get(0).batch();
        assertThat(batch.transactional()).isTrue();
        assertThat(batch.producerId()).isEqualTo(7000);
        assertThat(batch.producerEpoch()).isEqualTo((short) 3);
        assertThat(batch.baseSequence()).isZero();

        f.producer.commitTransaction(ops::add);
        assertThat(f.ctx.sent(EndTxnRequest.class)).as("EndTxn waits for the batch").isEmpty();
        f.answer(p, Errors.NONE, 40);
        EndTxnRequest end = f.ctx.last(EndTxnRequest.class);
        assertThat(end.committed()).isTrue();
        assertThat(end.producerEpoch()).isEqualTo((short) 3);
        answerEndTxn(Errors.NONE, 7000, (short) 4);
        assertThat(ops).containsExactly(Errors.NONE);
        assertThat(f.producer.txn.state()).isEqualTo(State.READY);
        assertThat(f.results).extracting(SendResult::error).containsExactly(Errors.NONE);

        // the next transaction: the partition is added again, the batch uses the new epoch from sequence 0
        f.producer.beginTransaction();
        f.send(0, "b");
        f.advance(10);
        answerAddPartitions(Errors.NONE);
        var next = f.lastProduce().batches().get(0).batch();
        assertThat(next.producerEpoch()).isEqualTo((short) 4);
        assertThat(next.baseSequence()).isZero();
    }

    @Test
    void commitFlushesLingeringBatches() {
        f.ctx.set("linger.ms", "50");
        ready();
        f.producer.beginTransaction();
        f.send(0, "a");
        f.answerMetadata(pm(T0, 1, 5), pm(T1, 2, 5), pm(T2, 1, 5));
        answerAddPartitions(Errors.NONE);
        assertThat(f.produceRequests()).as("lingering").isEmpty();
        f.producer.commitTransaction(ops::add);
        assertThat(f.produceRequests()).as("the commit flushes at once").hasSize(1);
    }

    @Test
    void commitOfAnEmptyTransactionNeedsNoEndTxn() {
        ready();
        f.producer.beginTransaction();
        f.producer.commitTransaction(ops::add);
        assertThat(ops).containsExactly(Errors.NONE);
        assertThat(f.ctx.sent(EndTxnRequest.class)).isEmpty();
    }

    @Test
    void aFailedBatchMakesTheTransactionAbortableAndTheAbortEndsIt() {
        ready();
        ProduceRequest p = oneRecordSent();
        f.send(0, "queued"); // a batch not drained yet when the abort starts
        f.answer(p, Errors.INVALID_RECORD, -1);
        assertThat(f.producer.txn.state()).isEqualTo(State.ABORTABLE_ERROR);
        assertThat(TransactionManager.isFatal(Errors.INVALID_RECORD)).isFalse();
        f.producer.commitTransaction(ops::add);
        assertThat(ops).containsExactly(Errors.INVALID_RECORD);
        assertThat(f.ctx.sent(EndTxnRequest.class)).isEmpty();

        f.producer.abortTransaction(ops::add);
        assertThat(f.results).extracting(SendResult::error).containsExactly(Errors.INVALID_RECORD, Errors.INVALID_RECORD);
        EndTxnRequest end = f.ctx.last(EndTxnRequest.class);
        assertThat(end.committed()).isFalse();
        answerEndTxn(Errors.NONE, 7000, (short) 4);
        assertThat(ops).containsExactly(Errors.INVALID_RECORD, Errors.NONE);
        assertThat(f.producer.txn.state()).isEqualTo(State.READY);
        assertThat(f.producer.txn.unresolvedPartitions()).as("the bumped epoch resets sequences").isEmpty();
    }

    @Test
    void anAbortWithoutANewEpochBumpsItWithInitProducerIdWhenASequenceGapIsLeft() {
        ready();
        ProduceRequest p = oneRecordSent();
        f.answer(p, Errors.INVALID_RECORD, -1);
        f.producer.abortTransaction(ops::add);
        answerEndTxn(Errors.NONE, -1, (short) -1); // transaction.version 1: no bumped epoch in the answer
        assertThat(ops).as("the abort waits for the bump").isEmpty();
        InitProducerIdRequest bump = f.ctx.last(InitProducerIdRequest.class);
        assertThat(f.ctx.sent(InitProducerIdRequest.class)).hasSize(2);
        assertThat(bump.producerId()).isEqualTo(7000);
        assertThat(bump.producerEpoch()).isEqualTo((short) 3);
        f.producer.onMessage(COORD, new InitProducerIdResponse(bump.correlationId(), Errors.NONE, 7000, (short) 4));
        assertThat(ops).containsExactly(Errors.NONE);
        assertThat(f.producer.txn.state()).isEqualTo(State.READY);
        f.producer.beginTransaction();
        f.send(0, "b");
        f.advance(10);
        answerAddPartitions(Errors.NONE);
        assertThat(f.lastProduce().batches().get(0).batch().producerEpoch()).isEqualTo((short) 4);
        assertThat(f.lastProduce().batches().get(0).batch().baseSequence()).isZero();
    }

    @Test
    void anAbortWithoutAGapNeedsNoBump() {
        ready();
        ProduceRequest p = oneRecordSent();
        f.answer(p, Errors.NONE, 0);
        f.producer.abortTransaction(ops::add);
        answerEndTxn(Errors.NONE, -1, (short) -1);
        assertThat(ops).containsExactly(Errors.NONE);
        assertThat(f.ctx.sent(InitProducerIdRequest.class)).hasSize(1);
    }

    @Test
    void aBatchFailingDuringTheCommitFailsTheCommit() {
        ready();
        ProduceRequest p = oneRecordSent();
        f.producer.commitTransaction(ops::add);
        f.answer(p, Errors.MESSAGE_TOO_LARGE, -1);
        assertThat(ops).containsExactly(Errors.MESSAGE_TOO_LARGE);
        assertThat(f.ctx.sent(EndTxnRequest.class)).isEmpty();
        assertThat(f.producer.txn.state()).isEqualTo(State.ABORTABLE_ERROR);
        f.producer.abortTransaction(ops::add);
        assertThat(f.ctx.last(EndTxnRequest.class).committed()).isFalse();
    }

    @Test
    void offsetsNotYetAddedFailWhenTheTransactionAborts() {
        ready();
        ProduceRequest p = oneRecordSent();
        f.producer.sendOffsetsToTransaction(Map.of(OFFSETS_TP, new OffsetAndMetadata(42)), new ConsumerGroupMetadata("g", 5, "m", null),
                ops::add);
        assertThat(f.ctx.sent(AddOffsetsToTxnRequest.class)).hasSize(1);
        f.producer.abortTransaction(ops::add);
        AddOffsetsToTxnRequest add = f.ctx.last(AddOffsetsToTxnRequest.class);
        f.producer.onMessage(COORD, new AddOffsetsToTxnResponse(add.correlationId(), Errors.NONE));
        assertThat(ops).as("the offsets are not committed in an aborting transaction").containsExactly(Errors.TRANSACTION_ABORTABLE);
        assertThat(f.ctx.sent(TxnOffsetCommitRequest.class)).isEmpty();
        f.answer(p, Errors.NONE, 0);
        assertThat(f.ctx.last(EndTxnRequest.class).committed()).isFalse();
    }

    @Test
    void producerFencedOnEndTxnIsFatal() {
        ready();
        ProduceRequest p = oneRecordSent();
        f.answer(p, Errors.NONE, 0);
        f.producer.commitTransaction(ops::add);
        answerEndTxn(Errors.PRODUCER_FENCED, -1, (short) -1);
        assertThat(ops).containsExactly(Errors.PRODUCER_FENCED);
        assertThat(f.producer.txn.state()).isEqualTo(State.FATAL_ERROR);
        assertThat(KafkaProducer.isFatal(Errors.PRODUCER_FENCED)).isTrue();
        f.producer.abortTransaction(ops::add);
        assertThat(ops).containsExactly(Errors.PRODUCER_FENCED, Errors.PRODUCER_FENCED);
        f.send(0, "x");
        assertThat(f.results).last().extracting(SendResult::error).isEqualTo(Errors.PRODUCER_FENCED);
    }

    @Test
    void notCoordinatorRediscoversAndRetriesTheSameRequest() {
        ready();
        f.producer.beginTransaction();
        f.send(0, "a");
        f.answerMetadata(pm(T0, 1, 5), pm(T1, 2, 5), pm(T2, 1, 5));
        int finds = f.ctx.sent(FindCoordinatorRequest.class).size();
        answerAddPartitions(Errors.NOT_COORDINATOR);
        f.advance(100);
        assertThat(f.ctx.sent(FindCoordinatorRequest.class)).hasSize(finds + 1);
        FindCoordinatorRequest find = f.ctx.last(FindCoordinatorRequest.class);
        f.producer.onMessage(1, new FindCoordinatorResponse(find.correlationId(), Errors.NONE, 3));
        assertThat(f.ctx.lastTo(AddPartitionsToTxnRequest.class)).isEqualTo(3);
        assertThat(f.ctx.sent(AddPartitionsToTxnRequest.class)).hasSize(2);
        assertThat(f.ctx.last(AddPartitionsToTxnRequest.class).partitions()).containsExactly(T0);
    }

    @Test
    void concurrentTransactionsIsRetriedAtTheSameCoordinator() {
        ready();
        f.producer.beginTransaction();
        f.send(0, "a");
        f.answerMetadata(pm(T0, 1, 5), pm(T1, 2, 5), pm(T2, 1, 5));
        int finds = f.ctx.sent(FindCoordinatorRequest.class).size();
        answerAddPartitions(Errors.CONCURRENT_TRANSACTIONS);
        f.advance(100);
        assertThat(f.ctx.sent(FindCoordinatorRequest.class)).hasSize(finds);
        assertThat(f.ctx.sent(AddPartitionsToTxnRequest.class)).hasSize(2);
        assertThat(f.ctx.lastTo(AddPartitionsToTxnRequest.class)).isEqualTo(COORD);
    }

    @Test
    void producerFencedOnInitIsFatal() {
        f.ctx.set("transactional.id", "tx-1");
        f.start();
        f.producer.initTransactions(ops::add);
        FindCoordinatorRequest find = f.ctx.last(FindCoordinatorRequest.class);
        f.producer.onMessage(1, new FindCoordinatorResponse(find.correlationId(), Errors.NONE, COORD));
        InitProducerIdRequest init = f.ctx.last(InitProducerIdRequest.class);
        f.producer.onMessage(COORD, new InitProducerIdResponse(init.correlationId(), Errors.COORDINATOR_LOAD_IN_PROGRESS, -1, (short) -1));
        assertThat(ops).isEmpty();
        f.advance(100);
        init = f.ctx.last(InitProducerIdRequest.class);
        assertThat(f.ctx.sent(InitProducerIdRequest.class)).hasSize(2);
        f.producer.onMessage(COORD, new InitProducerIdResponse(init.correlationId(), Errors.PRODUCER_FENCED, -1, (short) -1));
        assertThat(ops).containsExactly(Errors.PRODUCER_FENCED);
        assertThat(f.producer.txn.state()).isEqualTo(State.FATAL_ERROR);
    }

    private void sendOffsets() {
        f.producer.sendOffsetsToTransaction(Map.of(OFFSETS_TP, new OffsetAndMetadata(42, 1, "m")),
                new ConsumerGroupMetadata("g", 5, "member-1", "inst-1"), ops::add);
        AddOffsetsToTxnRequest add = f.ctx.last(AddOffsetsToTxnRequest.class);
        assertThat(add.groupId()).isEqualTo("g");
        f.producer.onMessage(COORD, new AddOffsetsToTxnResponse(add.correlationId(), Errors.NONE));
        FindCoordinatorRequest find = f.ctx.last(FindCoordinatorRequest.class);
        assertThat(find.keyType()).isEqualTo(CoordinatorType.GROUP);
        assertThat(find.key()).isEqualTo("g");
        f.producer.onMessage(1, new FindCoordinatorResponse(find.correlationId(), Errors.NONE, GROUP_COORD));
    }

    private void answerTxnOffsetCommit(Errors e) {
        TxnOffsetCommitRequest req = f.ctx.last(TxnOffsetCommitRequest.class);
        f.producer.onMessage(GROUP_COORD, new TxnOffsetCommitResponse(req.correlationId(), List.of(new PartitionResult(OFFSETS_TP, e))));
    }

    @Test
    void sendOffsetsAddsOffsetsThenCommitsThemAtTheGroupCoordinatorWithTheMemberIdentity() {
        ready();
        f.producer.beginTransaction();
        sendOffsets();
        TxnOffsetCommitRequest commit = f.ctx.last(TxnOffsetCommitRequest.class);
        assertThat(f.ctx.lastTo(TxnOffsetCommitRequest.class)).isEqualTo(GROUP_COORD);
        assertThat(commit.generationId()).isEqualTo(5);
        assertThat(commit.memberId()).isEqualTo("member-1");
        assertThat(commit.groupInstanceId()).isEqualTo("inst-1");
        assertThat(commit.producerId()).isEqualTo(7000);
        assertThat(commit.partitions()).singleElement().satisfies(p -> assertThat(p.offset()).isEqualTo(42));
        f.producer.commitTransaction(ops::add);
        assertThat(f.ctx.sent(EndTxnRequest.class)).as("EndTxn waits for TxnOffsetCommit").isEmpty();
        answerTxnOffsetCommit(Errors.NONE);
        assertThat(ops).containsExactly(Errors.NONE);
        assertThat(f.ctx.last(EndTxnRequest.class).committed()).isTrue();
    }

    @Test
    void aFencedGenerationMakesTheTransactionAbortable() {
        ready();
        f.producer.beginTransaction();
        sendOffsets();
        answerTxnOffsetCommit(Errors.ILLEGAL_GENERATION);
        assertThat(ops).containsExactly(Errors.ILLEGAL_GENERATION);
        assertThat(f.producer.txn.state()).isEqualTo(State.ABORTABLE_ERROR);
        assertThat(KafkaProducer.isFatal(Errors.ILLEGAL_GENERATION)).isFalse();
    }

    @Test
    void aMovedGroupCoordinatorIsLookedUpAgain() {
        ready();
        f.producer.beginTransaction();
        sendOffsets();
        int finds = f.ctx.sent(FindCoordinatorRequest.class).size();
        answerTxnOffsetCommit(Errors.NOT_COORDINATOR);
        f.advance(100);
        assertThat(f.ctx.sent(FindCoordinatorRequest.class)).hasSize(finds + 1);
        assertThat(f.ctx.last(FindCoordinatorRequest.class).keyType()).isEqualTo(CoordinatorType.GROUP);
        assertThat(ops).isEmpty();
    }

    @Test
    void sendOutsideATransactionIsAProgrammingError() {
        ready();
        assertThatThrownBy(() -> f.producer.send(new ProducerRecord("t", OptionalInt.of(0), null, "v", -1), f.results::add))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void anIdempotentProducerSendsNoTransactionalRequests() {
        f.startReady(0, "a");
        f.advance(10);
        assertThat(f.produceRequests()).hasSize(1);
        assertThat(f.lastProduce().batches().get(0).batch().transactional()).isFalse();
        assertThat(f.lastProduce().transactionalId()).isEmpty();
        assertThat(f.ctx.sent(FindCoordinatorRequest.class)).isEmpty();
        assertThat(f.ctx.sent(InitProducerIdRequest.class).get(0).transactionalId()).isEmpty();
    }
}
