package dev.samsa.impl.txn;

import static dev.samsa.impl.txn.TxnFixture.STATE_TP;
import static dev.samsa.impl.txn.TxnFixture.T0;
import static dev.samsa.impl.txn.TxnFixture.T1;
import static org.assertj.core.api.Assertions.assertThat;

import dev.samsa.impl.log.UnifiedLog;
import dev.samsa.impl.protocol.Errors;
import dev.samsa.impl.protocol.TopicPartition;
import dev.samsa.impl.protocol.TxnMessage.AddPartitionsToTxnRequest;
import dev.samsa.impl.protocol.TxnMessage.WritableTxnMarker;
import dev.samsa.impl.protocol.TxnMessage.WriteTxnMarkersRequest;
import dev.samsa.spec.bugs.Bug;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * KIP-890 part 1 on a partition leader: broker 0 coordinates and leads t-0 and t-1 alone, so its
 * verifications and markers go to itself (delivered by {@link TxnFixture#pumpSelf()}); T2
 * KAFKA-12671 with and without the flag.
 */
class TxnVerificationTest {

    static TxnFixture leaderAndCoordinator(Bug... bugs) {
        TxnFixture f = new TxnFixture(0, bugs).start();
        f.create(STATE_TP, 0, List.of(0)).create(T0, 0, List.of(0)).create(T1, 0, List.of(0));
        return f;
    }

    static UnifiedLog log(TxnFixture f, TopicPartition tp) {
        return f.rm.partitions().get(tp).log();
    }

    @Test
    void theFirstWriteOfAnAddedPartitionIsVerifiedThenAppended() {
        TxnFixture f = leaderAndCoordinator();
        long pid = f.init().producerId();
        f.add(pid, (short) 0, T0);
        long c = f.produce(T0, pid, (short) 0, 0, "a");
        assertThat(f.produceError(c)).isNull(); // held for the coordinator's answer
        AddPartitionsToTxnRequest v = f.ctx.sent(AddPartitionsToTxnRequest.class).get(0);
        assertThat(v.verifyOnly()).isTrue();
        assertThat(v.partitions()).containsExactly(T0);
        f.pumpSelf();
        assertThat(f.produceError(c)).isEqualTo(Errors.NONE);
        assertThat(log(f, T0).hasOngoingTransaction(pid)).isTrue();
        // the transaction is open here now: the next write needs no verification
        long c2 = f.produce(T0, pid, (short) 0, 1, "b");
        assertThat(f.produceError(c2)).isEqualTo(Errors.NONE);
        assertThat(f.ctx.sent(AddPartitionsToTxnRequest.class)).hasSize(1);
    }

    @Test
    void aWriteToAPartitionNotInTheTransactionIsRejected() {
        TxnFixture f = leaderAndCoordinator();
        long pid = f.init().producerId();
        f.add(pid, (short) 0, T0);
        long c = f.produce(T1, pid, (short) 0, 0, "x");
        f.pumpSelf();
        assertThat(f.produceError(c)).isEqualTo(Errors.INVALID_TXN_STATE);
        assertThat(log(f, T1).logEndOffset()).isZero();
        assertThat(log(f, T1).hasOngoingTransaction(pid)).isFalse();
    }

    @Test
    void aMarkerBetweenTheVerificationAndTheAppendFailsTheAppend() {
        TxnFixture f = leaderAndCoordinator();
        long pid = f.init().producerId();
        f.add(pid, (short) 0, T0);
        long c = f.produce(T0, pid, (short) 0, 0, "a");
        // the transaction is aborted on the partition while the verification is on its way
        f.rm.handleTxn(2, new WriteTxnMarkersRequest(77, List.of(new WritableTxnMarker(pid, (short) 0, false, List.of(T0), 0))));
        f.pumpSelf();
        assertThat(f.produceError(c)).isEqualTo(Errors.INVALID_TXN_STATE);
        assertThat(log(f, T0).hasOngoingTransaction(pid)).isFalse();
    }

    /**
     * T2's schedule: transaction 1 adds t-0, its produce is delayed; the client aborts (markers
     * written, CompleteAbort); the delayed produce arrives. Under transaction.version 1 (T3's flag)
     * the epoch is still current, so only verification stands between it and a hanging transaction.
     */
    private static TxnFixture lateProduceAfterAbort(Bug... bugs) {
        TxnFixture f = leaderAndCoordinator(bugs);
        long pid = f.init().producerId();
        f.add(pid, (short) 0, T0);
        f.end(pid, (short) 0, false);
        f.pumpSelf();
        assertThat(f.md().state()).isEqualTo(TransactionState.COMPLETE_ABORT);
        f.produce(T0, pid, (short) 0, 0, "late");
        f.pumpSelf();
        return f;
    }

    @Test
    void t2WithoutTheFlagALateProduceAfterTheAbortIsRejected() {
        TxnFixture f = lateProduceAfterAbort(Bug.KAFKA_17754);
        long pid = f.md().producerId();
        assertThat(f.produceError(f.correlation() - 1)).isEqualTo(Errors.INVALID_TXN_STATE);
        assertThat(log(f, T0).hasOngoingTransaction(pid)).isFalse();
        assertThat(log(f, T0).lastStableOffset()).isEqualTo(log(f, T0).highWatermark());
    }

    @Test
    void t2WithTheFlagALateProduceOpensATransactionNoMarkerWillClose() {
        TxnFixture f = lateProduceAfterAbort(Bug.KAFKA_17754, Bug.KAFKA_12671);
        long pid = f.md().producerId();
        assertThat(f.produceError(f.correlation() - 1)).isEqualTo(Errors.NONE);
        assertThat(log(f, T0).hasOngoingTransaction(pid)).isTrue();
        assertThat(log(f, T0).lastStableOffset()).isLessThan(log(f, T0).highWatermark()); // the LSO hangs
        assertThat(f.md().state()).isEqualTo(TransactionState.COMPLETE_ABORT); // the coordinator knows of no transaction
    }

    @Test
    void withoutAnyFlagTransactionVersion2AndVerificationRejectTheLateProduce() {
        TxnFixture f = lateProduceAfterAbort();
        assertThat(log(f, T0).hasOngoingTransaction(f.md().producerId())).isFalse();
        assertThat(log(f, T0).lastStableOffset()).isEqualTo(log(f, T0).highWatermark());
    }

    /**
     * KAFKA-12671's brokers (before KIP-890) ran transaction.version 1: its flag alone keeps the
     * epoch across transactions too (under TV2 the abort's bumped epoch would fence the late
     * produce whatever the leader does), so the late produce opens a transaction.
     */
    @Test
    void t2TheFlagAloneKeepsTransactionVersion1AndTheLateProduceOpensATransaction() {
        TxnFixture f = lateProduceAfterAbort(Bug.KAFKA_12671);
        assertThat(f.produceError(f.correlation() - 1)).isEqualTo(Errors.NONE);
        assertThat(log(f, T0).hasOngoingTransaction(f.md().producerId())).isTrue();
        assertThat(log(f, T0).lastStableOffset()).isLessThan(log(f, T0).highWatermark());
    }
}
