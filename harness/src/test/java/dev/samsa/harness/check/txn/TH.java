package dev.samsa.harness.check.txn;

import dev.samsa.harness.workload.txn.TxnOp;
import dev.samsa.harness.workload.txn.TxnOp.Outcome;
import dev.samsa.harness.workload.txn.TxnOp.Read;
import dev.samsa.harness.workload.txn.TxnOp.Type;
import dev.samsa.harness.workload.txn.TxnOp.Write;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes small txn histories by hand. Each operation spans [t, t + 500 ns] and the next starts
 * 1000 ns later; a transaction's sends are invoked at t + 100 and its commit at t + 300.
 */
final class TH {
    private final List<TxnOp> ops = new ArrayList<>();
    private long nowNanos = 1_000;

    static Write w(int key, long value, long offset) {
        return new Write(key, value, offset, 0);
    }

    static Read r(int key, long offset, long value) {
        return new Read(key, offset, value);
    }

    TH txn(int process, Outcome outcome, Write... writes) {
        return txn(process, outcome, List.of(), writes);
    }

    TH txn(int process, Outcome outcome, List<Read> reads, Write... writes) {
        List<Write> ws = new ArrayList<>();
        for (Write w : writes) {
            ws.add(new Write(w.key(), w.value(), w.offset(), nowNanos + 100));
        }
        long commit = outcome == Outcome.FAIL ? -1 : nowNanos + 300;
        String error = outcome == Outcome.OK ? "" : outcome == Outcome.FAIL ? "aborted on purpose" : "REQUEST_TIMED_OUT";
        return add(new TxnOp(ops.size(), process, Type.TXN, nowNanos, nowNanos + 500, outcome, ws, reads, List.of(), commit, error));
    }

    TH send(int process, Outcome outcome, Write... writes) {
        List<Write> ws = new ArrayList<>();
        for (Write w : writes) {
            ws.add(new Write(w.key(), w.value(), w.offset(), nowNanos + 100));
        }
        return add(new TxnOp(ops.size(), process, Type.SEND, nowNanos, nowNanos + 500, outcome, ws, List.of(), List.of(), -1,
                outcome == Outcome.OK ? "" : "NOT_ENOUGH_REPLICAS"));
    }

    TH poll(int process, Read... reads) {
        return add(new TxnOp(ops.size(), process, Type.POLL, nowNanos, nowNanos + 500, Outcome.OK, List.of(), List.of(reads), List.of(), -1, ""));
    }

    /** A poll invoked and completed at {@code completeNanos}, whatever the clock says (to overlap a transaction). */
    TH pollCompletingAt(int process, long completeNanos, Read... reads) {
        ops.add(new TxnOp(ops.size(), process, Type.POLL, completeNanos - 10, completeNanos, Outcome.OK, List.of(), List.of(reads), List.of(), -1, ""));
        return this;
    }

    /** The invocation time of the next operation. */
    long now() {
        return nowNanos;
    }

    private TH add(TxnOp op) {
        ops.add(op);
        nowNanos += 1_000;
        return this;
    }

    List<TxnOp> ops() {
        return List.copyOf(ops);
    }
}
