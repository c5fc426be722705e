package dev.samsa.impl.txn;

import static dev.samsa.impl.txn.TxnFixture.STATE_TP;
import static dev.samsa.impl.txn.TxnFixture.T0;
import static dev.samsa.impl.txn.TxnFixture.T1;
import static org.assertj.core.api.Assertions.assertThat;

import dev.samsa.impl.protocol.Errors;
import dev.samsa.impl.protocol.TxnMessage.EndTxnResponse;
import dev.samsa.impl.protocol.TxnMessage.WritableTxnMarker;
import dev.samsa.impl.protocol.TxnMessage.WriteTxnMarkersRequest;
import dev.samsa.spec.bugs.Bug;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Coordinator fail-over (load by replay resumes markers) and the transaction coordinator's flags T1, T3, T7, each with and without. */
class TransactionFailoverAndFlagsTest {

    @Test
    void aNewCoordinatorLoadsThePreparedTransactionAndWritesItsMarkers() {
        TxnFixture old = TxnFixture.coordinator();
        long pid = old.init().producerId();
        old.add(pid, (short) 0, T0, T1);
        old.end(pid, (short) 0, true);
        assertThat(old.md().state()).isEqualTo(TransactionState.PREPARE_COMMIT);

        // broker 1 followed the transaction log and takes over in leader epoch 1, before any marker was answered
        TxnFixture next = new TxnFixture(1).start();
        next.create(STATE_TP, 0, List.of(0)).create(T0, 1, List.of(1)).create(T1, 2, List.of(2));
        next.replicateFrom(old);
        next.changeLeader(STATE_TP, 1, 1, List.of(1));
        TransactionMetadata md = next.md();
        assertThat(md.state()).isEqualTo(TransactionState.PREPARE_COMMIT);
        assertThat(md.producerEpoch()).isEqualTo((short) 1);
        assertThat(md.topicPartitions()).containsExactly(T0, T1);
        WriteTxnMarkersRequest toSelf = next.lastMarkersTo(1);
        WriteTxnMarkersRequest to2 = next.lastMarkersTo(2);
        assertThat(to2.markers()).containsExactly(new WritableTxnMarker(pid, (short) 1, true, List.of(T1), 1)); // coordinator epoch 1
        next.answerMarkers(1, toSelf, Errors.NONE);
        next.answerMarkers(2, to2, Errors.NONE);
        assertThat(next.md().state()).isEqualTo(TransactionState.COMPLETE_COMMIT);
        // the producer's retried EndTxn reaches the new coordinator: a retry, answered with the current epoch
        EndTxnResponse retry = next.end(pid, (short) 0, true);
        assertThat(retry.error()).isEqualTo(Errors.NONE);
        assertThat(retry.producerEpoch()).isEqualTo((short) 1);
        // the old coordinator is no longer one
        old.changeLeader(STATE_TP, 1, 1, List.of(1));
        assertThat(old.end(pid, (short) 1, true).error()).isEqualTo(Errors.NOT_COORDINATOR);
    }

    @Test
    void newProducerIdsOfTheNextCoordinatorNeverRepeatTheOldOnes() {
        TxnFixture old = TxnFixture.coordinator();
        long pid = old.init().producerId();
        TxnFixture next = new TxnFixture(1).start();
        next.create(STATE_TP, 0, List.of(0));
        next.replicateFrom(old);
        next.changeLeader(STATE_TP, 1, 1, List.of(1));
        assertThat(next.md().producerId()).isEqualTo(pid);
        long other = next.tc.shards().get(STATE_TP).nextProducerId();
        assertThat(other).isNotEqualTo(pid);
    }

    // ------------------------------------------------------------------ T1 KAFKA-6119

    /** The producer stalls past its timeout, the coordinator aborts; then the producer adds another partition and commits. */
    private static Errors zombieContinuesAfterTimeout(Bug... bugs) {
        TxnFixture f = TxnFixture.coordinator(new TxnFixture(0, bugs).set("transaction.timeout.ms", "1000")
                .set("transaction.abort.timed.out.transaction.cleanup.interval.ms", "500"));
        long pid = f.init().producerId();
        f.add(pid, (short) 0, T0);
        f.advanceToMs(1600);
        f.answerMarkers(1, f.lastMarkersTo(1), Errors.NONE);
        assertThat(f.md().state()).isEqualTo(TransactionState.COMPLETE_ABORT);
        return f.add(pid, (short) 0, T1);
    }

    @Test
    void t1WithoutTheFlagTheTimedOutProducerIsFenced() {
        assertThat(zombieContinuesAfterTimeout()).isEqualTo(Errors.PRODUCER_FENCED);
    }

    @Test
    void t1WithTheFlagTheTimedOutProducerStartsANewTransactionUnderTheSameEpoch() {
        assertThat(zombieContinuesAfterTimeout(Bug.KAFKA_6119)).isEqualTo(Errors.NONE);
    }

    // ------------------------------------------------------------------ T3 KAFKA-17754

    /** Transaction 1 commits; transaction 2 starts; transaction 1's EndTxn(COMMIT), delayed, arrives again. */
    private static TxnFixture delayedEndTxnLandsInTheNext(Bug... bugs) {
        TxnFixture f = TxnFixture.coordinator(bugs);
        long pid = f.init().producerId();
        f.add(pid, (short) 0, T0);
        EndTxnResponse first = f.end(pid, (short) 0, true);
        f.answerMarkers(1, f.lastMarkersTo(1), Errors.NONE);
        short epoch = first.producerEpoch() >= 0 ? first.producerEpoch() : 0; // the client keeps its epoch under TV1
        assertThat(f.add(pid, epoch, T1)).isEqualTo(Errors.NONE);
        EndTxnResponse delayed = f.end(pid, (short) 0, true);
        assertThat(delayed).isNotNull();
        return f;
    }

    @Test
    void t3WithoutTheFlagADelayedEndTxnOfTheLastTransactionCannotEndTheNext() {
        TxnFixture f = delayedEndTxnLandsInTheNext();
        assertThat(f.md().state()).isEqualTo(TransactionState.ONGOING);
        assertThat(f.md().producerEpoch()).isEqualTo((short) 1);
    }

    @Test
    void t3WithTheFlagTheEpochStaysAndTheDelayedEndTxnCommitsTheNextTransactionEarly() {
        TxnFixture f = delayedEndTxnLandsInTheNext(Bug.KAFKA_17754);
        assertThat(f.md().state()).isEqualTo(TransactionState.PREPARE_COMMIT);
        assertThat(f.md().producerEpoch()).isEqualTo((short) 0);
        assertThat(f.lastMarkersTo(2).markers().get(0).producerEpoch()).isEqualTo((short) 0);
    }

    // ------------------------------------------------------------------ T7 KAFKA-10080

    /**
     * Transaction 1's marker request gets no answer for a request timeout, so it is sent again; the
     * second answer completes it; transaction 2 starts; then the first request's answer arrives late.
     */
    private static TxnFixture lateMarkerAnswerAfterTheNextTransactionStarted(Bug... bugs) {
        TxnFixture f = TxnFixture.coordinator(bugs);
        long pid = f.init().producerId();
        f.add(pid, (short) 0, T0);
        f.end(pid, (short) 0, true);
        WriteTxnMarkersRequest slow = f.lastMarkersTo(1);
        f.advanceByMs(30_000); // request.timeout.ms: sent again
        WriteTxnMarkersRequest again = f.lastMarkersTo(1);
        assertThat(again.correlationId()).isNotEqualTo(slow.correlationId());
        f.answerMarkers(1, again, Errors.NONE);
        assertThat(f.md().state()).isEqualTo(TransactionState.COMPLETE_COMMIT);
        assertThat(f.add(pid, (short) 1, T1)).isEqualTo(Errors.NONE);
        f.answerMarkers(1, slow, Errors.NONE);
        return f;
    }

    @Test
    void t7WithoutTheFlagALateMarkerAnswerCompletesNothing() {
        TxnFixture f = lateMarkerAnswerAfterTheNextTransactionStarted();
        assertThat(f.md().state()).isEqualTo(TransactionState.ONGOING);
        assertThat(f.md().topicPartitions()).containsExactly(T1);
    }

    @Test
    void t7WithTheFlagTheSecondCompletionOverwritesTheNextTransaction() {
        TxnFixture f = lateMarkerAnswerAfterTheNextTransactionStarted(Bug.KAFKA_10080);
        assertThat(f.md().state()).isEqualTo(TransactionState.COMPLETE_COMMIT);
        assertThat(f.md().topicPartitions()).isEmpty(); // transaction 2's partition will never get a marker
        assertThat(f.end(f.md().producerId(), (short) 1, true).error()).isEqualTo(Errors.INVALID_TXN_STATE);
    }
}
