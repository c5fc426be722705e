package dev.samsa.impl.log;

import static dev.samsa.impl.log.LogFixtures.TP;
import static dev.samsa.impl.log.LogFixtures.batch;
import static dev.samsa.impl.log.LogFixtures.defaults;
import static dev.samsa.impl.log.LogFixtures.idempotent;
import static dev.samsa.impl.log.LogFixtures.marker;
import static dev.samsa.impl.log.LogFixtures.transactional;
import static org.assertj.core.api.Assertions.assertThat;

import dev.samsa.impl.protocol.Errors;
import org.junit.jupiter.api.Test;

/** Transactions on one partition log: open transactions, markers, the last stable offset, the transaction index. */
class TransactionStateTest {

    static final ControlRecordType COMMIT = ControlRecordType.COMMIT;
    static final ControlRecordType ABORT = ControlRecordType.ABORT;

    final LogTestContext ctx = new LogTestContext();
    UnifiedLog log = new UnifiedLog(ctx, TP, defaults());

    AppendResult append(RecordBatch b) {
        return log.appendAsLeader(b, 1, 10);
    }

    void hwAtEnd() {
        log.updateHighWatermark(log.logEndOffset());
    }

    @Test
    void theLsoStaysAtTheFirstOffsetOfAnOpenTransaction() {
        append(batch(1, 10)); // 0, not transactional
        append(transactional(7, 0, 0, 2, 10)); // 1..2
        append(batch(1, 10)); // 3
        hwAtEnd();
        assertThat(log.highWatermark()).isEqualTo(4);
        assertThat(log.lastStableOffset()).isEqualTo(1);
        assertThat(log.openTransactionFirstOffset(7)).isEqualTo(1);
        append(transactional(7, 0, 2, 1, 10)); // 4: same transaction, the LSO does not move
        hwAtEnd();
        assertThat(log.lastStableOffset()).isEqualTo(1);
    }

    @Test
    void aCommitMarkerMovesTheLsoOnceItIsBelowTheHighWatermark() {
        append(transactional(7, 0, 0, 2, 10)); // 0..1
        hwAtEnd();
        AppendResult m = append(marker(COMMIT, 7, 0, 3, 10)); // 2
        assertThat(m.error()).isEqualTo(Errors.NONE);
        assertThat(log.openTransactionFirstOffset(7)).isEqualTo(-1);
        assertThat(log.lastStableOffset()).isZero(); // decided, but the marker is not replicated yet
        hwAtEnd();
        assertThat(log.lastStableOffset()).isEqualTo(3);
        assertThat(log.abortedTransactions()).isEmpty(); // only aborts are indexed
    }

    @Test
    void anAbortIsIndexedWithTheLsoAtItsCompletion() {
        append(transactional(7, 0, 0, 1, 10)); // 0: pid 7 opens
        append(transactional(8, 0, 0, 1, 10)); // 1: pid 8 opens
        append(marker(ABORT, 7, 0, 0, 10)); // 2: pid 7 aborts while pid 8 is open
        hwAtEnd();
        assertThat(log.abortedTransactions()).containsExactly(new AbortedTxn(7, 0, 2, 1));
        assertThat(log.lastStableOffset()).isEqualTo(1);
        append(marker(COMMIT, 8, 0, 0, 10)); // 3
        append(transactional(7, 0, 1, 1, 10)); // 4: pid 7's next transaction
        append(marker(ABORT, 7, 0, 0, 10)); // 5
        hwAtEnd();
        assertThat(log.lastStableOffset()).isEqualTo(6);
        assertThat(log.abortedTransactions()).containsExactly(new AbortedTxn(7, 0, 2, 1), new AbortedTxn(7, 4, 5, 6));
        assertThat(log.collectAbortedTransactions(0, 1)).containsExactly(new AbortedTxn(7, 0, 2, 1));
        assertThat(log.collectAbortedTransactions(3, 4)).isEmpty();
        assertThat(log.collectAbortedTransactions(3, 6)).containsExactly(new AbortedTxn(7, 4, 5, 6));
    }

    @Test
    void aMarkerWithAnOlderProducerEpochIsRejected() {
        append(transactional(7, 2, 0, 1, 10));
        assertThat(append(marker(ABORT, 7, 1, 0, 10)).error()).isEqualTo(Errors.INVALID_PRODUCER_EPOCH);
        assertThat(ctx.reached).contains("log.marker-fenced");
        assertThat(log.openTransactionFirstOffset(7)).isZero();
        assertThat(append(marker(ABORT, 7, 3, 0, 10)).error()).isEqualTo(Errors.NONE); // a bumped epoch (coordinator fencing the producer)
        assertThat(log.producerState(7)[0]).isEqualTo(3);
    }

    @Test
    void aMarkerFromADeposedCoordinatorIsFenced() {
        append(transactional(7, 0, 0, 1, 10));
        append(marker(COMMIT, 7, 0, 5, 10));
        append(transactional(7, 0, 1, 1, 10));
        assertThat(append(marker(ABORT, 7, 0, 4, 10)).error()).isEqualTo(Errors.TRANSACTION_COORDINATOR_FENCED);
        assertThat(log.openTransactionFirstOffset(7)).isEqualTo(2);
        assertThat(append(marker(ABORT, 7, 0, 5, 10)).error()).isEqualTo(Errors.NONE);
    }

    @Test
    void aNonTransactionalWriteInsideAnOpenTransactionIsRefused() {
        append(transactional(7, 0, 0, 1, 10));
        assertThat(append(idempotent(7, 0, 1, 1, 10)).error()).isEqualTo(Errors.INVALID_TXN_STATE);
        assertThat(append(transactional(7, 0, 1, 1, 10)).error()).isEqualTo(Errors.NONE);
    }

    @Test
    void aMarkerWithoutAnOpenTransactionEndsNothing() {
        append(idempotent(7, 0, 0, 1, 10));
        append(marker(ABORT, 7, 0, 0, 10));
        hwAtEnd();
        assertThat(log.abortedTransactions()).isEmpty();
        assertThat(log.lastStableOffset()).isEqualTo(2);
    }

    /** pid 7 aborted at [0, 2], pid 8 open from 3, pid 9 committed at [1, 4]; HW at the end. */
    void mixed() {
        append(transactional(7, 0, 0, 1, 10)); // 0
        append(transactional(9, 0, 0, 1, 10)); // 1
        append(marker(ABORT, 7, 0, 0, 10)); // 2
        append(transactional(8, 0, 0, 1, 10)); // 3
        append(marker(COMMIT, 9, 0, 0, 10)); // 4
        hwAtEnd();
    }

    @Test
    void recoveryRebuildsTheSameLsoAndIndex() {
        mixed();
        log.checkpointHighWatermark();
        long lso = log.lastStableOffset();
        var index = log.abortedTransactions();
        assertThat(lso).isEqualTo(3);
        assertThat(index).containsExactly(new AbortedTxn(7, 0, 2, 1));
        log = new UnifiedLog(ctx, TP, defaults()); // a kill: the page cache survives
        assertThat(log.lastStableOffset()).isEqualTo(lso);
        assertThat(log.abortedTransactions()).isEqualTo(index);
        assertThat(log.openTransactionFirstOffset(8)).isEqualTo(3);
        log.flush();
        ctx.disk.powerLoss();
        log = new UnifiedLog(ctx, TP, defaults());
        assertThat(log.lastStableOffset()).isEqualTo(lso);
        assertThat(log.abortedTransactions()).isEqualTo(index);
    }

    @Test
    void aPowerLossThatLosesAMarkerReopensItsTransaction() {
        append(transactional(7, 0, 0, 1, 10)); // 0
        log.flush();
        append(marker(ABORT, 7, 0, 0, 10)); // 1, never fsynced
        hwAtEnd();
        assertThat(log.abortedTransactions()).hasSize(1);
        ctx.disk.powerLoss();
        log = new UnifiedLog(ctx, TP, defaults());
        assertThat(log.logEndOffset()).isEqualTo(1);
        assertThat(log.abortedTransactions()).isEmpty();
        assertThat(log.openTransactionFirstOffset(7)).isZero();
        assertThat(log.lastStableOffset()).isZero();
    }

    @Test
    void truncationBelowAMarkerDropsItsIndexEntryAndReopensTheTransaction() {
        mixed();
        log.truncateTo(2);
        assertThat(log.abortedTransactions()).isEmpty();
        assertThat(log.openTransactionFirstOffset(7)).isZero();
        assertThat(log.openTransactionFirstOffset(9)).isEqualTo(1);
        assertThat(log.lastStableOffset()).isZero();
    }

    @Test
    void retentionDropsTheIndexWithItsSegmentAndTheSnapshotKeepsAnOpenTransaction() {
        int oneBatch = transactional(7, 0, 0, 1, 10).sizeBytes();
        LogConfig config = LogFixtures.retention(LogFixtures.segmentBytes(defaults(), oneBatch), -1, -1);
        log = new UnifiedLog(ctx, TP, config);
        append(transactional(7, 0, 0, 1, 10)); // segment 0
        append(marker(ABORT, 7, 0, 0, 10)); // segment 1
        append(transactional(8, 0, 0, 1, 10)); // segment 2: pid 8 opens
        append(batch(1, 10)); // segment 3
        append(batch(1, 10)); // segment 4 (active)
        hwAtEnd();
        assertThat(log.abortedTransactions()).containsExactly(new AbortedTxn(7, 0, 1, 2));
        log.maybeIncrementLogStartOffset(3); // as a follower following its leader's log start
        log.deleteOldSegments(10);
        assertThat(log.logStartOffset()).isEqualTo(3);
        assertThat(log.abortedTransactions()).isEmpty();
        assertThat(log.openTransactionFirstOffset(8)).isEqualTo(2);
        log = new UnifiedLog(ctx, TP, config);
        assertThat(log.openTransactionFirstOffset(8)).isEqualTo(2); // from the producer snapshot: its batch is gone
        assertThat(log.lastStableOffset()).isEqualTo(3); // never below the log start
        log.appendAsLeader(marker(COMMIT, 8, 0, 0, 10), 1, 10);
        log.updateHighWatermark(log.logEndOffset());
        assertThat(log.lastStableOffset()).isEqualTo(log.highWatermark());
    }
}
