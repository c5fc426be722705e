package dev.samsa.impl.txn;

import static dev.samsa.impl.txn.TxnFixture.T0;
import static dev.samsa.impl.txn.TxnFixture.T1;
import static org.assertj.core.api.Assertions.assertThat;

import dev.samsa.impl.protocol.ApiMessage.InitProducerIdResponse;
import dev.samsa.impl.protocol.Errors;
import dev.samsa.impl.protocol.TxnMessage.EndTxnResponse;
import dev.samsa.impl.protocol.TxnMessage.PartitionResult;
import dev.samsa.impl.protocol.TxnMessage.WritableTxnMarker;
import dev.samsa.impl.protocol.TxnMessage.WriteTxnMarkersRequest;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The transaction coordinator's requests, markers and fencing, on one broker that leads __transaction_state alone. */
class TransactionCoordinatorTest {

    @Test
    void initProducerIdAllocatesOnceAndBumpsTheEpochEachTime() {
        TxnFixture f = TxnFixture.coordinator();
        InitProducerIdResponse first = f.init();
        assertThat(first.error()).isEqualTo(Errors.NONE);
        assertThat(first.producerEpoch()).isEqualTo((short) 0);
        assertThat(first.producerId() >>> 62).isEqualTo(1L); // the transactional range, apart from idempotent ids
        InitProducerIdResponse second = f.init();
        assertThat(second.error()).isEqualTo(Errors.NONE);
        assertThat(second.producerId()).isEqualTo(first.producerId());
        assertThat(second.producerEpoch()).isEqualTo((short) 1);
        assertThat(f.md().state()).isEqualTo(TransactionState.EMPTY);
        assertThat(f.rm.partitions().get(TxnFixture.STATE_TP).log().logEndOffset()).isEqualTo(2); // persisted before answering
    }

    @Test
    void answersWaitForTheTransactionLogToBeReplicatedAndConcurrentRequestsAreRefused() {
        TxnFixture f = new TxnFixture(0).start();
        f.create(TxnFixture.STATE_TP, 0, List.of(0, 1)).create(T0, 1, List.of(1));
        assertThat(f.init()).isNull(); // waiting for follower 1
        assertThat(f.md().hasPendingTransition()).isTrue();
        assertThat(f.init().error()).isEqualTo(Errors.CONCURRENT_TRANSACTIONS);
        f.followerFetch(1, 1);
        InitProducerIdResponse r = f.ctx.sent(InitProducerIdResponse.class).get(1);
        assertThat(r.error()).isEqualTo(Errors.NONE);
        assertThat(r.producerEpoch()).isEqualTo((short) 0);
        assertThat(f.md().hasPendingTransition()).isFalse();
    }

    @Test
    void markersInFlightToABrokerThatDisconnectedAreSentAgain() {
        TxnFixture f = TxnFixture.coordinator();
        long pid = f.init().producerId();
        f.add(pid, (short) 0, T0);
        f.end(pid, (short) 0, true);
        f.tc.onDisconnect(1);
        f.advanceByMs(100);
        assertThat(f.markersTo(1)).hasSize(2);
        f.answerMarkers(1, f.lastMarkersTo(1), Errors.NONE);
        assertThat(f.md().state()).isEqualTo(TransactionState.COMPLETE_COMMIT);
    }

    @Test
    void anOlderEpochIsFencedAndTheCurrentOneStartsATransaction() {
        TxnFixture f = TxnFixture.coordinator();
        long pid = f.init().producerId();
        f.init();
        assertThat(f.add(pid, (short) 0, T0)).isEqualTo(Errors.PRODUCER_FENCED);
        assertThat(f.add(pid + 1, (short) 1, T0)).isEqualTo(Errors.INVALID_PRODUCER_ID_MAPPING);
        assertThat(f.add(pid, (short) 1, T0)).isEqualTo(Errors.NONE);
        assertThat(f.md().state()).isEqualTo(TransactionState.ONGOING);
        assertThat(f.md().topicPartitions()).containsExactly(T0);
    }

    @Test
    void commitWritesMarkersToEveryLeaderThenCompletesWithABumpedEpoch() {
        TxnFixture f = TxnFixture.coordinator();
        long pid = f.init().producerId();
        f.add(pid, (short) 0, T0, T1);
        EndTxnResponse r = f.end(pid, (short) 0, true);
        assertThat(r.error()).isEqualTo(Errors.NONE);
        assertThat(r.producerId()).isEqualTo(pid);
        assertThat(r.producerEpoch()).isEqualTo((short) 1); // KIP-890 part 2
        assertThat(f.md().state()).isEqualTo(TransactionState.PREPARE_COMMIT);
        WriteTxnMarkersRequest to1 = f.lastMarkersTo(1);
        WriteTxnMarkersRequest to2 = f.lastMarkersTo(2);
        assertThat(to1.markers()).containsExactly(new WritableTxnMarker(pid, (short) 1, true, List.of(T0), 0));
        assertThat(to2.markers()).containsExactly(new WritableTxnMarker(pid, (short) 1, true, List.of(T1), 0));
        // the next transaction waits for these markers
        assertThat(f.add(pid, (short) 1, T0)).isEqualTo(Errors.CONCURRENT_TRANSACTIONS);
        f.answerMarkers(1, to1, Errors.NONE);
        assertThat(f.md().state()).isEqualTo(TransactionState.PREPARE_COMMIT);
        f.answerMarkers(2, to2, Errors.NONE);
        assertThat(f.md().state()).isEqualTo(TransactionState.COMPLETE_COMMIT);
        assertThat(f.md().topicPartitions()).isEmpty();
        assertThat(f.add(pid, (short) 0, T0)).isEqualTo(Errors.PRODUCER_FENCED); // the old epoch is gone for good
        assertThat(f.add(pid, (short) 1, T0)).isEqualTo(Errors.NONE);
    }

    @Test
    void aMarkerIsSentAgainToTheNewLeaderWhenTheOldOneMoved() {
        TxnFixture f = TxnFixture.coordinator();
        long pid = f.init().producerId();
        f.add(pid, (short) 0, T0);
        f.end(pid, (short) 0, false);
        WriteTxnMarkersRequest first = f.lastMarkersTo(1);
        f.changeLeader(T0, 2, 1, List.of(2));
        f.answerMarkers(1, first, Errors.NOT_LEADER_OR_FOLLOWER);
        assertThat(f.markersTo(2)).isEmpty();
        f.advanceByMs(100); // retry.backoff.ms
        WriteTxnMarkersRequest retry = f.lastMarkersTo(2);
        assertThat(retry).isNotNull();
        assertThat(retry.markers().get(0).partitions()).containsExactly(T0);
        assertThat(retry.markers().get(0).committed()).isFalse();
        f.answerMarkers(2, retry, Errors.NONE);
        assertThat(f.md().state()).isEqualTo(TransactionState.COMPLETE_ABORT);
    }

    @Test
    void aRetriedEndTxnAfterCompletionSucceedsAndAStaleOneIsFenced() {
        TxnFixture f = TxnFixture.coordinator();
        long pid = f.init().producerId();
        f.add(pid, (short) 0, T0);
        f.end(pid, (short) 0, true);
        f.answerMarkers(1, f.lastMarkersTo(1), Errors.NONE);
        EndTxnResponse retry = f.end(pid, (short) 0, true);
        assertThat(retry.error()).isEqualTo(Errors.NONE);
        assertThat(retry.producerEpoch()).isEqualTo((short) 1);
        assertThat(f.end(pid, (short) 0, false).error()).isEqualTo(Errors.PRODUCER_FENCED); // not the same result: no retry
        assertThat(f.end(pid, (short) 1, true).error()).isEqualTo(Errors.INVALID_TXN_STATE); // nothing to commit
        // a second transaction: the first's delayed EndTxn carries an older epoch and cannot end it
        assertThat(f.add(pid, (short) 1, T1)).isEqualTo(Errors.NONE);
        assertThat(f.end(pid, (short) 0, true).error()).isEqualTo(Errors.PRODUCER_FENCED);
        assertThat(f.md().state()).isEqualTo(TransactionState.ONGOING);
    }

    @Test
    void initProducerIdWhileOngoingAbortsFirstWithAFencingEpoch() {
        TxnFixture f = TxnFixture.coordinator();
        long pid = f.init().producerId();
        f.add(pid, (short) 0, T0);
        assertThat(f.init().error()).isEqualTo(Errors.CONCURRENT_TRANSACTIONS);
        assertThat(f.md().state()).isEqualTo(TransactionState.PREPARE_ABORT);
        WriteTxnMarkersRequest abort = f.lastMarkersTo(1);
        assertThat(abort.markers()).containsExactly(new WritableTxnMarker(pid, (short) 1, false, List.of(T0), 0));
        assertThat(f.init().error()).isEqualTo(Errors.CONCURRENT_TRANSACTIONS); // markers pending
        f.answerMarkers(1, abort, Errors.NONE);
        InitProducerIdResponse r = f.init();
        assertThat(r.error()).isEqualTo(Errors.NONE);
        assertThat(r.producerEpoch()).isEqualTo((short) 2);
        assertThat(f.end(pid, (short) 0, false).error()).isEqualTo(Errors.PRODUCER_FENCED); // the zombie
    }

    @Test
    void verifyOnlyAnswersWhetherThePartitionIsInTheOngoingTransactionWithoutWriting() {
        TxnFixture f = TxnFixture.coordinator();
        long pid = f.init().producerId();
        f.add(pid, (short) 0, T0);
        long end = f.rm.partitions().get(TxnFixture.STATE_TP).log().logEndOffset();
        assertThat(f.verify(pid, (short) 0, T0, T1)).containsExactly(new PartitionResult(T0, Errors.NONE),
                new PartitionResult(T1, Errors.INVALID_TXN_STATE));
        assertThat(f.verify(pid, (short) 1, T0)).containsExactly(new PartitionResult(T0, Errors.PRODUCER_FENCED));
        assertThat(f.rm.partitions().get(TxnFixture.STATE_TP).log().logEndOffset()).isEqualTo(end);
        assertThat(f.md().topicPartitions()).containsExactly(T0);
    }

    @Test
    void aTransactionOpenPastItsTimeoutIsAbortedAndItsProducerFenced() {
        TxnFixture f = TxnFixture.coordinator(new TxnFixture(0).set("transaction.timeout.ms", "1000")
                .set("transaction.abort.timed.out.transaction.cleanup.interval.ms", "500"));
        long pid = f.init().producerId();
        f.add(pid, (short) 0, T0);
        f.advanceToMs(1600);
        WriteTxnMarkersRequest abort = f.lastMarkersTo(1);
        assertThat(abort).isNotNull();
        assertThat(abort.markers().get(0).producerEpoch()).isEqualTo((short) 1);
        assertThat(abort.markers().get(0).committed()).isFalse();
        f.answerMarkers(1, abort, Errors.NONE);
        assertThat(f.md().state()).isEqualTo(TransactionState.COMPLETE_ABORT);
        // the producer, still alive, goes on: fenced
        assertThat(f.add(pid, (short) 0, T1)).isEqualTo(Errors.PRODUCER_FENCED);
        assertThat(f.end(pid, (short) 0, true).error()).isEqualTo(Errors.PRODUCER_FENCED);
    }
}
