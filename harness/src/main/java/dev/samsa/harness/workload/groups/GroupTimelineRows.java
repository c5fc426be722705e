package dev.samsa.harness.workload.groups;

import dev.samsa.harness.check.groups.GroupOp;
import dev.samsa.harness.sim.Simulation;
import dev.samsa.reports.timeline.Timeline;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;

/** The groups history as timeline rows: one per client process, each entry with its generation, partitions, offsets and error. */
final class GroupTimelineRows {

    /** Records listed in one entry's hover text; the rest are counted. */
    static final int MAX_RECORDS_SHOWN = 10;

    private GroupTimelineRows() {}

    static List<Timeline.Row> rows(Simulation sim, List<GroupOp> ops) {
        TreeMap<Integer, List<Timeline.Op>> byProcess = new TreeMap<>();
        for (GroupOp op : ops) {
            if (op.type() == GroupOp.Type.SEND) {
                continue; // thousands of single-record sends would hide the members
            }
            byProcess.computeIfAbsent(op.process(), k -> new ArrayList<>()).add(new Timeline.Op(op.invokeNs(), op.completeNs(),
                    Timeline.Outcome.valueOf(op.outcome().name()), op.type().name().toLowerCase(Locale.ROOT).replace('_', '-'), detail(op)));
        }
        List<Timeline.Row> rows = new ArrayList<>();
        byProcess.forEach((process, list) -> rows.add(new Timeline.Row(sim.name(process), list)));
        return rows;
    }

    static String detail(GroupOp op) {
        StringBuilder b = new StringBuilder("#").append(op.index()).append(' ').append(op.group());
        if (op.generation() >= 0) {
            b.append(" generation ").append(op.generation());
        }
        if (!op.memberId().isEmpty()) {
            b.append(" member ").append(op.memberId());
        }
        if (!op.partitions().isEmpty()) {
            b.append(" partitions ").append(op.partitions());
        }
        if (!op.offsets().isEmpty()) {
            b.append(" offsets");
            op.offsets().forEach(o -> b.append(' ').append(o.partition()).append('=').append(o.offset()));
        }
        if (op.onRevocation()) {
            b.append(" (on revocation)");
        }
        int n = 0;
        for (GroupOp.Rec r : op.records()) {
            if (n++ == MAX_RECORDS_SHOWN) {
                b.append(" and ").append(op.records().size() - MAX_RECORDS_SHOWN).append(" more");
                break;
            }
            b.append(n > 1 ? ", " : ": ").append(r.partition()).append('@').append(r.offset()).append('=').append(r.value());
        }
        if (!op.detail().isEmpty()) {
            b.append("; ").append(op.detail());
        }
        return b.toString();
    }
}
