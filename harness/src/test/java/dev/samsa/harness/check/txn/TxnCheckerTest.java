package dev.samsa.harness.check.txn;

import static dev.samsa.harness.check.txn.TH.r;
import static dev.samsa.harness.check.txn.TH.w;
import static org.assertj.core.api.Assertions.assertThat;

import dev.samsa.harness.check.txn.TxnCheckResult.Anomaly;
import dev.samsa.harness.workload.txn.TxnOp.Outcome;
import java.util.List;
import org.junit.jupiter.api.Test;

class TxnCheckerTest {

    private static final TxnPromise STRICT = TxnPromise.strict();

    private static List<String> violations(TxnCheckResult r) {
        return r.violations().stream().map(Anomaly::invariantId).toList();
    }

    private static List<String> expected(TxnCheckResult r) {
        return r.anomalies().stream().filter(Anomaly::expected).map(Anomaly::invariantId).toList();
    }

    /** Two committed transactions over two keys, one aborted, a reader that read both committed ones in full. */
    private static TH clean() {
        return new TH()
                .txn(0, Outcome.OK, w(0, 1, 0), w(1, 1, 0))
                .txn(1, Outcome.FAIL, w(0, 2, 1), w(1, 2, 1))
                .txn(0, Outcome.OK, w(0, 3, 3), w(1, 3, 3))
                .poll(5, r(0, 0, 1), r(1, 0, 1), r(0, 3, 3), r(1, 3, 3));
    }

    @Test
    void aCleanHistoryHasNoAnomaly() {
        TxnCheckResult r = TxnChecker.check(clean().ops(), STRICT);
        assertThat(r.anomalies()).isEmpty();
        assertThat(r.counts().committedWrites()).isEqualTo(4);
        assertThat(r.counts().abortedWrites()).isEqualTo(2);
    }

    @Test
    void readingAnAbortedTransactionIsG1a() {
        TH h = clean().poll(6, r(0, 1, 2));
        TxnCheckResult r = TxnChecker.check(h.ops(), STRICT);
        assertThat(violations(r)).containsExactly("txn.aborted-read");
        assertThat(r.violations().get(0).evidence()).contains("process 6").contains("value 2").contains("aborted");
        TxnCheckResult uncommitted = TxnChecker.check(h.ops(), STRICT.withReadCommitted(false));
        assertThat(uncommitted.ok()).isTrue();
        assertThat(expected(uncommitted)).containsExactly("txn.aborted-read");
        TxnCheckResult lossy = TxnChecker.check(h.ops(), STRICT.withDurable(false, "last replica standing"));
        assertThat(lossy.ok()).isTrue();
        assertThat(lossy.anomalies().get(0).whyExpected()).contains("markers among them, may be lost: last replica standing");
    }

    @Test
    void readingAFailedSendIsAnAbortedRead() {
        TH h = new TH().send(0, Outcome.FAIL, w(0, 7, -1)).poll(5, r(0, 0, 7));
        assertThat(violations(TxnChecker.check(h.ops(), STRICT))).containsExactly("txn.aborted-read");
    }

    @Test
    void readingBeforeTheLastSendIsAnIntermediateRead() {
        TH h = new TH();
        long start = h.now();
        h.txn(0, Outcome.OK, w(0, 1, 0), w(1, 1, 0));
        // returns 50 ns after the transaction started: before its sends (start + 100) were invoked
        h.pollCompletingAt(5, start + 50, r(0, 0, 1));
        TxnCheckResult res = TxnChecker.check(h.ops(), STRICT);
        assertThat(violations(res)).contains("txn.intermediate-read").doesNotContain("txn.precommitted-read");
        assertThat(TxnChecker.check(h.ops(), STRICT.withReadCommitted(false)).violations()).extracting(Anomaly::invariantId)
                .doesNotContain("txn.intermediate-read");
    }

    @Test
    void readingBeforeTheCommitIsAPrecommittedRead() {
        TH h = new TH();
        long start = h.now();
        h.txn(0, Outcome.OK, w(0, 1, 0));
        h.pollCompletingAt(5, start + 200, r(0, 0, 1)); // after the send (100), before the commit (300)
        assertThat(violations(TxnChecker.check(h.ops(), STRICT))).containsExactly("txn.precommitted-read");
        TH later = new TH();
        long s2 = later.now();
        later.txn(0, Outcome.OK, w(0, 1, 0));
        later.pollCompletingAt(5, s2 + 400, r(0, 0, 1)); // after the commit was requested
        assertThat(TxnChecker.check(later.ops(), STRICT).anomalies()).isEmpty();
    }

    @Test
    void aReadOfATransactionThatNeverAskedToCommitIsPrecommitted() {
        TH h = new TH().txn(0, Outcome.INFO, w(0, 1, 0));
        List<dev.samsa.harness.workload.txn.TxnOp> ops = new java.util.ArrayList<>(h.ops());
        var t = ops.get(0);
        ops.set(0, new dev.samsa.harness.workload.txn.TxnOp(0, 0, t.type(), t.invokeNanos(), t.completeNanos(), t.outcome(), t.writes(), t.reads(),
                t.resets(), -1, "producer crashed"));
        ops.add(new dev.samsa.harness.workload.txn.TxnOp(1, 5, dev.samsa.harness.workload.txn.TxnOp.Type.POLL, 5000, 5100, Outcome.OK, List.of(),
                List.of(r(0, 0, 1)), List.of(), -1, ""));
        assertThat(violations(TxnChecker.check(ops, STRICT))).containsExactly("txn.precommitted-read");
    }

    @Test
    void seeingHalfACommittedTransactionIsTorn() {
        TH h = new TH()
                .txn(0, Outcome.OK, w(0, 1, 0), w(1, 1, 0))
                .txn(1, Outcome.OK, w(1, 2, 1))
                .poll(5, r(0, 0, 1), r(1, 1, 2)); // read key 1 past offset 0 without value 1
        TxnCheckResult res = TxnChecker.check(h.ops(), STRICT);
        assertThat(violations(res)).contains("txn.torn-transaction", "txn.lost-write");
        assertThat(res.violations().get(0).evidence()).contains("reader process 5").contains("key 1 value 1 at offset 0");
        TxnCheckResult notDurable = TxnChecker.check(h.ops(), STRICT.withDurable(false, "acks=1"));
        assertThat(notDurable.ok()).isTrue();
        assertThat(expected(notDurable)).contains("txn.torn-transaction", "txn.lost-write");
    }

    @Test
    void aReaderThatStoppedBeforeTheRestIsNotTorn() {
        TH h = new TH().txn(0, Outcome.OK, w(0, 1, 0), w(1, 1, 5)).txn(1, Outcome.OK, w(1, 2, 1)).poll(5, r(0, 0, 1), r(1, 1, 2));
        assertThat(TxnChecker.check(h.ops(), STRICT.withFinalReadsDone(false)).anomalies()).isEmpty();
    }

    @Test
    void aCommittedWriteNobodyReadIsLost() {
        TH below = new TH().txn(0, Outcome.OK, w(0, 1, 0)).txn(0, Outcome.OK, w(0, 2, 1)).poll(5, r(0, 1, 2));
        assertThat(violations(TxnChecker.check(below.ops(), STRICT.withFinalReadsDone(false)))).containsExactly("txn.lost-write");
        TH unseen = new TH().txn(0, Outcome.OK, w(0, 1, 0)).txn(0, Outcome.OK, w(0, 2, 1)).poll(5, r(0, 0, 1));
        assertThat(TxnChecker.check(unseen.ops(), STRICT.withFinalReadsDone(false)).anomalies()).isEmpty();
        TxnCheckResult judged = TxnChecker.check(unseen.ops(), STRICT);
        assertThat(violations(judged)).containsExactly("txn.lost-write");
        assertThat(judged.violations().get(0).evidence()).contains("final reads");
    }

    @Test
    void aCommittedWriteAboveTheLastStableOffsetIsNotLostButHanging() {
        // a transaction left open at offset 1 hides the committed write at offset 2 from read_committed readers
        TH h = new TH().txn(0, Outcome.OK, w(0, 1, 0)).txn(1, Outcome.OK, w(0, 3, 2)).poll(5, r(0, 0, 1));
        TxnCheckResult res = TxnChecker.check(h.ops(), STRICT.withEnd(0, 1, 3));
        assertThat(violations(res)).containsExactly("txn.no-hanging-transaction");
        TxnCheckResult uncommitted = TxnChecker.check(h.ops(), STRICT.withEnd(0, 1, 3).withReadCommitted(false));
        assertThat(violations(uncommitted)).contains("txn.lost-write");
    }

    @Test
    void aCommittedWriteBelowTheRetentionHorizonIsNotLost() {
        TH below = new TH().txn(0, Outcome.OK, w(0, 1, 0)).txn(0, Outcome.OK, w(0, 2, 1)).poll(5, r(0, 1, 2));
        TxnCheckResult res = TxnChecker.check(below.ops(), STRICT.withRetentionHorizon(0, 1));
        assertThat(res.ok()).isTrue();
        assertThat(res.anomalies().get(0).whyExpected()).isEqualTo(TxnPromise.RETENTION);
    }

    @Test
    void aValueAtTwoOffsetsIsADuplicate() {
        TH h = new TH().txn(0, Outcome.OK, w(0, 1, 0)).poll(5, r(0, 0, 1), r(0, 1, 1));
        assertThat(violations(TxnChecker.check(h.ops(), STRICT))).containsExactly("txn.duplicate");
        assertThat(TxnChecker.check(h.ops(), STRICT.withDurable(false, "acks=1")).ok()).isTrue();
    }

    @Test
    void interleavedWritesAreAnExpectedG0() {
        // T0 before T1 on key 0, T1 before T0 on key 1
        TH h = new TH().txn(0, Outcome.OK, w(0, 1, 0), w(1, 1, 1)).txn(1, Outcome.OK, w(0, 2, 1), w(1, 2, 0))
                .poll(5, r(0, 0, 1), r(0, 1, 2), r(1, 0, 2), r(1, 1, 1));
        TxnCheckResult res = TxnChecker.check(h.ops(), STRICT);
        assertThat(res.ok()).isTrue();
        assertThat(expected(res)).containsExactly("txn.g0");
        assertThat(res.anomalies().get(0).evidence()).contains("-ww[key");
    }

    @Test
    void aCycleOfWriteReadEdgesIsG1c() {
        // T0 read what T1 wrote and T1 read what T0 wrote: each saw the other's write before committing
        TH h = new TH()
                .txn(0, Outcome.OK, List.of(r(1, 0, 2)), w(0, 1, 0))
                .txn(1, Outcome.OK, List.of(r(0, 0, 1)), w(1, 2, 0))
                .poll(5, r(0, 0, 1), r(1, 0, 2));
        TxnCheckResult res = TxnChecker.check(h.ops(), STRICT);
        assertThat(violations(res)).contains("txn.g1c");
        assertThat(res.violations().stream().filter(a -> a.invariantId().equals("txn.g1c")).findFirst().orElseThrow().evidence())
                .contains("-wr[key 0]->").contains("-wr[key 1]->");
    }

    @Test
    void aCycleThatNeedsAWriteWriteEdgeIsAnExpectedG1c() {
        // T0 -ww(key 0)-> T1 -wr(key 1)-> T0
        TH h = new TH()
                .txn(1, Outcome.OK, w(0, 2, 1), w(1, 2, 0))
                .txn(0, Outcome.OK, List.of(r(1, 0, 2)), w(0, 1, 0))
                .poll(5, r(0, 0, 1), r(0, 1, 2), r(1, 0, 2));
        TxnCheckResult res = TxnChecker.check(h.ops(), STRICT);
        assertThat(res.ok()).isTrue();
        assertThat(expected(res)).contains("txn.g1c");
        TH acyclic = new TH().txn(1, Outcome.OK, w(0, 2, 0), w(1, 2, 0)).txn(0, Outcome.OK, List.of(r(1, 0, 2)), w(0, 1, 1))
                .poll(5, r(0, 0, 2), r(0, 1, 1), r(1, 0, 2));
        assertThat(TxnChecker.check(acyclic.ops(), STRICT).anomalies()).isEmpty();
    }

    @Test
    void aLastStableOffsetBelowTheHighWatermarkIsAHangingTransaction() {
        TxnPromise p = STRICT.withEnd(0, 4, 4).withEnd(1, 2, 5);
        TxnCheckResult res = TxnChecker.check(clean().ops(), p);
        assertThat(violations(res)).containsExactly("txn.no-hanging-transaction");
        assertThat(res.violations().get(0).evidence()).contains("key 1").contains("last stable offset 2");
        assertThat(TxnChecker.check(clean().ops(), p.withWhyLsoMayLag("a client transaction was still open")).ok()).isTrue();
        assertThat(TxnChecker.check(clean().ops(), STRICT.withEnd(1, 5, 5)).anomalies()).isEmpty();
    }

    @Test
    void aWriteEveryReaderJumpedOverIsNotLost() {
        TH h = new TH().txn(0, Outcome.OK, w(0, 1, 0)).txn(0, Outcome.OK, w(0, 2, 1));
        List<dev.samsa.harness.workload.txn.TxnOp> ops = new java.util.ArrayList<>(h.ops());
        ops.add(new dev.samsa.harness.workload.txn.TxnOp(2, 5, dev.samsa.harness.workload.txn.TxnOp.Type.POLL, 9000, 9100, Outcome.OK, List.of(),
                List.of(r(0, 1, 2)), List.of(new dev.samsa.harness.workload.txn.TxnOp.Reset(0, 0, 1, "auto.offset.reset")), -1, ""));
        TxnCheckResult res = TxnChecker.check(ops, STRICT);
        assertThat(res.ok()).isTrue();
        assertThat(res.anomalies().get(0).whyExpected()).isEqualTo(TxnChecker.SKIPPED_BY_RESET);
    }
}
