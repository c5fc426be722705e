package dev.samsa.harness.check.queue;

import dev.samsa.harness.workload.queue.QueueOp;
import dev.samsa.harness.workload.queue.QueueOp.Outcome;
import dev.samsa.harness.workload.queue.QueueOp.Poll;
import dev.samsa.harness.workload.queue.QueueOp.Reset;
import dev.samsa.harness.workload.queue.QueueOp.Send;
import dev.samsa.harness.workload.queue.QueueOp.Type;
import java.util.ArrayList;
import java.util.List;

/** Writes small histories by hand: each operation completes before the next is invoked. */
final class H {
    private final List<QueueOp> ops = new ArrayList<>();
    private long nowNanos = 1_000;

    static Send s(int key, long value, long offset) {
        return new Send(key, value, offset);
    }

    static Poll p(int key, long offset, long value) {
        return new Poll(key, offset, value);
    }

    static Reset r(int key, long from, long to) {
        return new Reset(key, from, to, "auto.offset.reset=earliest");
    }

    H send(int process, Send... sends) {
        return send(process, Outcome.OK, sends);
    }

    H send(int process, Outcome outcome, Send... sends) {
        return add(process, Type.SEND, outcome, List.of(), List.of(sends), List.of(), List.of());
    }

    H poll(int process, Poll... polls) {
        return poll(process, Outcome.OK, List.of(polls), List.of());
    }

    H poll(int process, Outcome outcome, List<Poll> polls, List<Reset> resets) {
        return add(process, Type.POLL, outcome, List.of(), List.of(), polls, resets);
    }

    H assign(int process, Integer... keys) {
        return add(process, Type.ASSIGN, Outcome.OK, List.of(keys), List.of(), List.of(), List.of());
    }

    /** Adds an operation overlapping the previous one in time (invoked before it completed). */
    H sendOverlapping(int process, Send... sends) {
        QueueOp prev = ops.get(ops.size() - 1);
        ops.add(new QueueOp(ops.size(), process, Type.SEND, prev.invokeNanos(), prev.completeNanos() + 10, Outcome.OK,
                List.of(), List.of(sends), List.of(), List.of(), ""));
        return this;
    }

    private H add(int process, Type type, Outcome outcome, List<Integer> keys, List<Send> sends, List<Poll> polls, List<Reset> resets) {
        String error = outcome == Outcome.OK ? "" : outcome == Outcome.FAIL ? "NOT_ENOUGH_REPLICAS" : "REQUEST_TIMED_OUT";
        ops.add(new QueueOp(ops.size(), process, type, nowNanos, nowNanos + 500, outcome, keys, sends, polls, resets, error));
        nowNanos += 1_000;
        return this;
    }

    List<QueueOp> ops() {
        return List.copyOf(ops);
    }
}
