package dev.samsa.harness.check.groups;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** A groups history being recorded: entries in completion order, indexed densely. */
public final class GroupHistory {

    private final ArrayList<GroupOp> ops = new ArrayList<>();

    /** Appends an entry; its index is set here. */
    public GroupOp add(int process, String group, GroupOp.Type type, long invokeNs, long completeNs, GroupOp.Outcome outcome, int generation,
            String memberId, String instanceId, List<Integer> partitions, List<GroupOp.Offset> offsets, List<GroupOp.Rec> records,
            boolean onRevocation, String detail) {
        GroupOp op = new GroupOp(ops.size(), process, group, type, invokeNs, completeNs, outcome, generation, memberId, instanceId, partitions,
                offsets, records, onRevocation, detail);
        ops.add(op);
        return op;
    }

    /** An instant entry with nothing but a type (crash, stall...). */
    public GroupOp event(int process, String group, GroupOp.Type type, long atNs, int generation, String memberId, String instanceId,
            List<Integer> partitions, String detail) {
        return add(process, group, type, atNs, atNs, GroupOp.Outcome.OK, generation, memberId, instanceId, partitions, List.of(), List.of(), false,
                detail);
    }

    public List<GroupOp> ops() {
        return Collections.unmodifiableList(ops);
    }
}
