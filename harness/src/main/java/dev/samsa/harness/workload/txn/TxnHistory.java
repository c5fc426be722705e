package dev.samsa.harness.workload.txn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** A txn or eos workload's history: completed operations in completion order, indexed densely. */
public final class TxnHistory {

    private final ArrayList<TxnOp> ops = new ArrayList<>();

    public void add(int process, TxnOp.Type type, long invokeNanos, long completeNanos, TxnOp.Outcome outcome, List<TxnOp.Write> writes,
            List<TxnOp.Read> reads, List<TxnOp.Reset> resets, long commitNanos, String error) {
        ops.add(new TxnOp(ops.size(), process, type, invokeNanos, completeNanos, outcome, writes, reads, resets, commitNanos, error));
    }

    public List<TxnOp> ops() {
        return Collections.unmodifiableList(ops);
    }
}
