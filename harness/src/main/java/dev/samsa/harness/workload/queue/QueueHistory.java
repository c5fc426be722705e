package dev.samsa.harness.workload.queue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The queue workload's history: completed operations in completion order, indexed densely. */
public final class QueueHistory {

    private final ArrayList<QueueOp> ops = new ArrayList<>();

    void add(int process, QueueOp.Type type, long invokeNanos, long completeNanos, QueueOp.Outcome outcome, List<Integer> keys,
            List<QueueOp.Send> sends, List<QueueOp.Poll> polls, List<QueueOp.Reset> resets, String error) {
        ops.add(new QueueOp(ops.size(), process, type, invokeNanos, completeNanos, outcome, keys, sends, polls, resets, error));
    }

    public List<QueueOp> ops() {
        return Collections.unmodifiableList(ops);
    }
}
