package dev.samsa.harness.workload.txn;

import dev.samsa.reports.timeline.Timeline;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;

/** A txn or eos history as timeline rows: one per client process, each operation with its records, offsets and error. */
final class TxnTimelineRows {

    /** Records listed in one operation's hover text; the rest are counted. */
    static final int MAX_RECORDS_SHOWN = 20;

    private TxnTimelineRows() {}

    static List<Timeline.Row> rows(List<TxnOp> ops) {
        TreeMap<Integer, List<Timeline.Op>> byProcess = new TreeMap<>();
        for (TxnOp op : ops) {
            byProcess.computeIfAbsent(op.process(), k -> new ArrayList<>()).add(new Timeline.Op(op.invokeNanos(), op.completeNanos(),
                    Timeline.Outcome.valueOf(op.outcome().name()), op.type().name().toLowerCase(Locale.ROOT), detail(op)));
        }
        List<Timeline.Row> rows = new ArrayList<>();
        byProcess.forEach((process, list) -> rows.add(new Timeline.Row("process " + process, list)));
        return rows;
    }

    static String detail(TxnOp op) {
        StringBuilder b = new StringBuilder("#").append(op.index());
        int n = 0;
        for (TxnOp.Read r : op.reads()) {
            if (n++ == MAX_RECORDS_SHOWN) {
                b.append(" and ").append(op.reads().size() - MAX_RECORDS_SHOWN).append(" more");
                break;
            }
            b.append(n > 1 ? ", " : " read ").append("key ").append(r.key()).append(" offset ").append(r.offset()).append(" value ").append(r.value());
        }
        n = 0;
        for (TxnOp.Write w : op.writes()) {
            if (n++ == MAX_RECORDS_SHOWN) {
                b.append(" and ").append(op.writes().size() - MAX_RECORDS_SHOWN).append(" more");
                break;
            }
            b.append(n > 1 ? ", " : "; wrote ").append("key ").append(w.key()).append(" value ").append(w.value())
                    .append(w.offset() < 0 ? " (offset unknown)" : " at " + w.offset());
        }
        for (TxnOp.Reset r : op.resets()) {
            b.append("; reset key ").append(r.key()).append(" from ").append(r.fromOffset()).append(" to ").append(r.toOffset()).append(" (")
                    .append(r.reason()).append(')');
        }
        if (op.commitNanos() >= 0) {
            b.append("; commit asked at ").append(op.commitNanos()).append(" ns");
        }
        if (!op.error().isEmpty()) {
            b.append("; ").append(op.error());
        }
        return b.toString();
    }
}
