package dev.samsa.harness.check.queue;

import dev.samsa.harness.workload.queue.QueueOp;
import dev.samsa.harness.workload.queue.QueueOp.Outcome;
import dev.samsa.harness.workload.queue.QueueOp.Send;
import dev.samsa.harness.workload.queue.QueueOp.Type;
import dev.samsa.spec.invariant.Invariant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A producer's offsets, per process and key, over its OK sends with known offsets.
 *
 * <ul>
 *   <li>nonmonotonic-send: a later send lands at or before an earlier one, across operations
 *       (when the earlier completed before the later was invoked: overlapping operations have no
 *       order) or within one (Jepsen's int-nonmonotonic-send, named so in the evidence).
 *       Expected without idempotence (retries reorder batches with several in flight) and
 *       without durability (a truncated log hands out an offset again).
 *   <li>int-send-skip: within one operation, successive sends to a key are not at consecutive
 *       indices: another producer's records sit between them. Kafka never promises otherwise
 *       (batches of concurrent producers interleave), so it is always expected; it is reported
 *       so the interleaving is visible.
 * </ul>
 */
final class SendOrder {

    static final String INTERLEAVE = "concurrent producers interleave batches";

    private SendOrder() {}

    /** The last OK send of a process to a key: where it landed and in which operation. */
    private record Last(long offset, long value, QueueOp op) {}

    static void check(List<QueueOp> history, Map<Integer, KeyOrder> keys, QueuePromise promise, Findings findings) {
        String whyNonmonotonic = !promise.idempotent() ? promise.whyNotIdempotent() : !promise.durable() ? promise.whyNotDurable() : "";
        TreeMap<Long, Last> last = new TreeMap<>(); // (process, key) -> last send
        for (QueueOp op : history) {
            if (op.type() != Type.SEND || op.outcome() != Outcome.OK) {
                continue;
            }
            for (Send s : op.sends()) {
                if (s.offset() < 0) {
                    continue;
                }
                long slot = PollOrder.slot(op.process(), s.key());
                Last prev = last.get(slot);
                if (prev != null && prev.op() == op) {
                    within(op, prev, s, keys.get(s.key()), whyNonmonotonic, findings);
                } else if (prev != null && prev.op().completeNanos() <= op.invokeNanos() && s.offset() <= prev.offset()) {
                    findings.add(Invariant.QUEUE_NONMONOTONIC_SEND, whyNonmonotonic, () -> "process " + op.process() + " key " + s.key()
                            + ": value " + prev.value() + " landed at offset " + prev.offset() + " in op #" + prev.op().index()
                            + ", then value " + s.value() + " at offset " + s.offset() + " in the later op #" + op.index());
                }
                last.put(slot, new Last(s.offset(), s.value(), op));
            }
        }
    }

    private static void within(QueueOp op, Last prev, Send s, KeyOrder k, String whyNonmonotonic, Findings findings) {
        if (s.offset() <= prev.offset()) {
            findings.add(Invariant.QUEUE_NONMONOTONIC_SEND, whyNonmonotonic, () -> "within " + Describe.op(op) + " (int-nonmonotonic-send) key "
                    + s.key() + ": value " + prev.value() + " at offset " + prev.offset() + " was followed by value " + s.value()
                    + " at offset " + s.offset());
            return;
        }
        int between = k.countKnown(prev.offset() + 1, s.offset());
        if (between > 0) {
            findings.expected(Invariant.QUEUE_INT_SEND_SKIP, INTERLEAVE, () -> "within " + Describe.op(op) + " key " + s.key() + ": value "
                    + prev.value() + " at offset " + prev.offset() + " and the next value " + s.value() + " at offset " + s.offset()
                    + " have " + between + " other record(s) between them, first at offset " + k.firstKnownFrom(prev.offset() + 1));
        }
    }
}
