package dev.samsa.harness.workload.queue;

import dev.samsa.harness.sim.Simulation;
import dev.samsa.reports.timeline.Timeline;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;

/** The queue history as timeline rows: one per client process, each operation with its values, offsets and error. */
final class QueueTimelineRows {

    /** Records listed in one operation's hover text; the rest are counted. */
    static final int MAX_RECORDS_SHOWN = 20;

    private QueueTimelineRows() {}

    static List<Timeline.Row> rows(Simulation sim, List<QueueOp> ops) {
        TreeMap<Integer, List<Timeline.Op>> byProcess = new TreeMap<>();
        for (QueueOp op : ops) {
            byProcess.computeIfAbsent(op.process(), k -> new ArrayList<>()).add(new Timeline.Op(op.invokeNanos(), op.completeNanos(),
                    Timeline.Outcome.valueOf(op.outcome().name()), op.type().name().toLowerCase(Locale.ROOT), detail(op)));
        }
        List<Timeline.Row> rows = new ArrayList<>();
        byProcess.forEach((process, list) -> rows.add(new Timeline.Row(sim.name(QueueWorkload.FIRST_CLIENT_ID + process), list)));
        return rows;
    }

    static String detail(QueueOp op) {
        StringBuilder b = new StringBuilder("#").append(op.index()).append(' ');
        switch (op.type()) {
            case ASSIGN -> b.append("keys ").append(op.keys());
            case SEND -> {
                int n = 0;
                for (QueueOp.Send s : op.sends()) {
                    if (n++ == MAX_RECORDS_SHOWN) {
                        b.append(" and ").append(op.sends().size() - MAX_RECORDS_SHOWN).append(" more");
                        break;
                    }
                    b.append(n > 1 ? ", " : "").append("key ").append(s.key()).append(" value ").append(s.value())
                            .append(s.offset() < 0 ? " (offset unknown)" : " at " + s.offset());
                }
            }
            case POLL -> {
                b.append(op.polls().size()).append(" records");
                int n = 0;
                for (QueueOp.Poll p : op.polls()) {
                    if (n++ == MAX_RECORDS_SHOWN) {
                        b.append(" and ").append(op.polls().size() - MAX_RECORDS_SHOWN).append(" more");
                        break;
                    }
                    b.append(n > 1 ? ", " : ": ").append("key ").append(p.key()).append(" offset ").append(p.offset()).append(" value ").append(p.value());
                }
                for (QueueOp.Reset r : op.resets()) {
                    b.append("; reset key ").append(r.key()).append(" from ").append(r.fromOffset()).append(" to ").append(r.toOffset())
                            .append(" (").append(r.reason()).append(')');
                }
            }
        }
        if (!op.error().isEmpty()) {
            b.append("; error ").append(op.error());
        }
        return b.toString();
    }
}
