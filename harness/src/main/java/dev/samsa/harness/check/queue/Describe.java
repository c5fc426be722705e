package dev.samsa.harness.check.queue;

import dev.samsa.harness.workload.queue.QueueOp;
import java.util.Locale;

/** The words evidence uses for operations, so every anomaly names them the same way. */
final class Describe {

    private Describe() {}

    /** e.g. {@code process 3 op #17 (poll ok)} */
    static String op(QueueOp op) {
        return "process " + op.process() + " op #" + op.index() + " (" + lower(op.type()) + " " + lower(op.outcome()) + ")";
    }

    /** e.g. {@code sent by process 3 op #17 (send ok)} or {@code read by ...} */
    static String observer(QueueOp op) {
        return (op.type() == QueueOp.Type.SEND ? "sent by " : "read by ") + op(op);
    }

    static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }
}
