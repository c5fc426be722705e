package dev.samsa.harness.check.groups;

import dev.samsa.harness.check.groups.GroupOp.Outcome;
import dev.samsa.harness.check.groups.GroupOp.Type;
import dev.samsa.spec.invariant.Invariant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the application saw: {@code group.at-least-once} (with commits after processing, every
 * record below a group's final committed offset was processed by some member; duplicates are
 * counted, never a violation), {@code group.no-delivery-after-revoke} (after a member sent its
 * revocation commit of X for a partition, it processed nothing of it at or past X until given
 * the partition again) and {@code group.dead-letter} (every poison record below the final
 * committed offset reached the dead-letter topic with its group's error header).
 */
final class Delivery {

    private Delivery() {}

    static void check(List<GroupOp> ops, GroupPromise promise, GroupFindings findings, Map<String, Long> counts) {
        TreeMap<Integer, TreeSet<Long>> existing = new TreeMap<>(); // partition -> offsets known to hold a record
        TreeMap<Integer, TreeMap<Long, Long>> values = new TreeMap<>(); // partition -> offset -> value
        for (GroupOp op : ops) {
            if ((op.type() == Type.SEND && op.outcome() == Outcome.OK) || op.type() == Type.PROCESS) {
                for (GroupOp.Rec r : op.records()) {
                    if (r.offset() >= 0) {
                        existing.computeIfAbsent(r.partition(), p -> new TreeSet<>()).add(r.offset());
                        values.computeIfAbsent(r.partition(), p -> new TreeMap<>()).put(r.offset(), r.value());
                    }
                }
            }
        }
        for (String group : promise.groups()) {
            TreeMap<Integer, Long> committed = finalCommitted(group, ops);
            atLeastOnce(group, ops, promise, committed, existing, findings, counts);
            afterRevoke(group, ops, findings);
            if (promise.processing().equals(GroupPromise.DEAD_LETTER)) {
                deadLetter(group, ops, promise, committed, values, findings, counts);
            }
        }
    }

    /** The group's final committed offset per partition: the last successful read, else the highest acknowledged commit. */
    static TreeMap<Integer, Long> finalCommitted(String group, List<GroupOp> ops) {
        TreeMap<Integer, Long> acked = new TreeMap<>();
        TreeMap<Integer, Long> read = new TreeMap<>();
        for (GroupOp op : ops) {
            if (!op.group().equals(group) || op.outcome() != Outcome.OK) {
                continue;
            }
            for (GroupOp.Offset o : op.offsets()) {
                if (op.type() == Type.COMMIT) {
                    acked.merge(o.partition(), o.offset(), Math::max);
                } else if (op.type() == Type.FETCH) {
                    read.put(o.partition(), o.offset());
                }
            }
        }
        TreeMap<Integer, Long> out = new TreeMap<>(acked);
        out.putAll(read);
        return out;
    }

    private static void atLeastOnce(String group, List<GroupOp> ops, GroupPromise promise, TreeMap<Integer, Long> committed,
            TreeMap<Integer, TreeSet<Long>> existing, GroupFindings findings, Map<String, Long> counts) {
        TreeMap<Integer, TreeMap<Long, Integer>> processed = new TreeMap<>(); // partition -> offset -> times
        TreeMap<Integer, Long> resetPast = new TreeMap<>(); // partition -> highest position a reset jumped to
        for (GroupOp op : ops) {
            if (!op.group().equals(group)) {
                continue;
            }
            if (op.type() == Type.PROCESS) {
                for (GroupOp.Rec r : op.records()) {
                    processed.computeIfAbsent(r.partition(), p -> new TreeMap<>()).merge(r.offset(), 1, Integer::sum);
                }
            } else if (op.type() == Type.RESET) {
                for (GroupOp.Offset o : op.offsets()) {
                    resetPast.merge(o.partition(), o.offset(), Math::max);
                }
            }
        }
        long duplicates = 0;
        for (var byOffset : processed.values()) {
            for (int n : byOffset.values()) {
                duplicates += n - 1;
            }
        }
        counts.merge("records.processed.again", duplicates, Long::sum);
        String why = !promise.commitsAfterProcessing() ? "enable.auto.commit=true commits positions on a timer, not after processing (at most once)"
                : !promise.whyRecordsMayBeLost().isEmpty() ? promise.whyRecordsMayBeLost() : promise.whyOffsetsMayExpire();
        committed.forEach((tp, upTo) -> {
            TreeMap<Long, Integer> seen = processed.getOrDefault(tp, new TreeMap<>());
            long skippedBelow = resetPast.getOrDefault(tp, -1L);
            for (long offset : existing.getOrDefault(tp, new TreeSet<>()).headSet(upTo, false)) {
                if (!seen.containsKey(offset) && offset >= skippedBelow) {
                    counts.merge("records.never.processed", 1L, Long::sum);
                    findings.add(Invariant.GROUP_AT_LEAST_ONCE, why, () -> "group " + group + " partition " + tp + ": the record at offset " + offset
                            + " is below the final committed offset " + upTo + " but no member processed it");
                }
            }
        });
    }

    private static void afterRevoke(String group, List<GroupOp> ops, GroupFindings findings) {
        // per process: partition -> the revocation commit still in force
        TreeMap<Integer, TreeMap<Integer, GroupOp>> fence = new TreeMap<>();
        for (GroupOp op : ops) {
            if (!op.group().equals(group)) {
                continue;
            }
            TreeMap<Integer, GroupOp> mine = fence.computeIfAbsent(op.process(), p -> new TreeMap<>());
            switch (op.type()) {
                case COMMIT -> {
                    if (op.onRevocation()) {
                        for (GroupOp.Offset o : op.offsets()) {
                            mine.put(o.partition(), op);
                        }
                    }
                }
                case JOINED -> op.partitions().forEach(mine::remove);
                case CRASH -> mine.clear();
                case PROCESS -> {
                    for (GroupOp.Rec r : op.records()) {
                        GroupOp c = mine.get(r.partition());
                        if (c == null) {
                            continue;
                        }
                        long fenceAt = offsetOf(c, r.partition());
                        if (r.offset() >= fenceAt && c.invokeNs() <= op.invokeNs()) {
                            findings.violation(Invariant.GROUP_NO_DELIVERY_AFTER_REVOKE, () -> "group " + group + ": process " + op.process()
                                    + " processed partition " + r.partition() + " offset " + r.offset() + " at " + Ownership.at(op)
                                    + " after sending its revocation commit of " + fenceAt + " at " + Ownership.at(c) + " [sent]");
                            mine.remove(r.partition()); // one finding per revocation
                        }
                    }
                }
                default -> {}
            }
        }
        // COMMIT entries are recorded at completion: a record processed while the revocation commit was in flight
        // comes before it in the history. Look back for those too.
        for (GroupOp c : ops) {
            if (c.type() != Type.COMMIT || !c.onRevocation() || !c.group().equals(group)) {
                continue;
            }
            for (int i = c.index() - 1; i >= 0; i--) {
                GroupOp op = ops.get(i);
                if (op.completeNs() < c.invokeNs()) {
                    break;
                }
                if (op.process() != c.process() || !op.group().equals(group)) {
                    continue;
                }
                if (op.type() == Type.JOINED || op.type() == Type.CRASH) {
                    break;
                }
                if (op.type() == Type.PROCESS && op.invokeNs() >= c.invokeNs()) {
                    for (GroupOp.Rec r : op.records()) {
                        if (c.offsets().stream().anyMatch(o -> o.partition() == r.partition() && r.offset() >= o.offset())) {
                            findings.violation(Invariant.GROUP_NO_DELIVERY_AFTER_REVOKE, () -> "group " + group + ": process " + op.process()
                                    + " processed partition " + r.partition() + " offset " + r.offset() + " at " + Ownership.at(op)
                                    + " while its revocation commit " + Ownership.offsets(c) + " sent at "
                                    + dev.samsa.harness.sim.Simulation.formatTime(c.invokeNs()) + " was in flight [#" + c.index() + "]");
                            break;
                        }
                    }
                }
            }
        }
    }

    private static long offsetOf(GroupOp commit, int partition) {
        for (GroupOp.Offset o : commit.offsets()) {
            if (o.partition() == partition) {
                return o.offset();
            }
        }
        return Long.MAX_VALUE;
    }

    private static void deadLetter(String group, List<GroupOp> ops, GroupPromise promise, TreeMap<Integer, Long> committed,
            TreeMap<Integer, TreeMap<Long, Long>> values, GroupFindings findings, Map<String, Long> counts) {
        TreeSet<String> inDlt = new TreeSet<>();
        boolean dltRead = false;
        String dltSkipped = "";
        for (GroupOp op : ops) {
            if (op.type() == Type.RESET && op.group().isEmpty()) {
                dltSkipped = "the dead-letter reader jumped over records retention had deleted (" + op.detail() + ")";
            }
            if (op.type() == Type.DLT) {
                dltRead = true;
                for (GroupOp.Rec r : op.records()) {
                    if (r.header().contains("group=" + group + ";")) {
                        inDlt.add(r.partition() + "@" + r.offset());
                    }
                }
            }
        }
        if (!dltRead && !promise.finalReadsDone()) {
            return;
        }
        TreeSet<String> poisonProcessed = new TreeSet<>();
        TreeMap<Integer, Long> resetPast = new TreeMap<>(); // partition -> highest position the group's resets jumped to
        for (GroupOp op : ops) {
            if (op.type() == Type.RESET && op.group().equals(group)) {
                for (GroupOp.Offset o : op.offsets()) {
                    resetPast.merge(o.partition(), o.offset(), Math::max);
                }
            }
            if (op.type() == Type.PROCESS && op.group().equals(group)) {
                for (GroupOp.Rec r : op.records()) {
                    if (promise.poison(r.value())) {
                        poisonProcessed.add(r.partition() + "@" + r.offset());
                    }
                }
            }
        }
        counts.merge("records.poison.processed", (long) poisonProcessed.size(), Long::sum);
        for (String id : poisonProcessed) {
            if (inDlt.contains(id)) {
                continue;
            }
            int tp = Integer.parseInt(id.substring(0, id.indexOf('@')));
            long offset = Long.parseLong(id.substring(id.indexOf('@') + 1));
            boolean committedPast = offset < committed.getOrDefault(tp, -1L);
            // a member that processed it crashed before its dead-letter send; the next owner's position was reset past it
            // (auto.offset.reset after OFFSET_OUT_OF_RANGE: retention deleted it first), as group.at-least-once allows
            boolean resetPastIt = offset < resetPast.getOrDefault(tp, -1L);
            String why = !committedPast ? "processed but never committed: the member may have crashed before its dead-letter send"
                    : !promise.whyRecordsMayBeLost().isEmpty() ? promise.whyRecordsMayBeLost()
                    : resetPastIt ? "the group's position on partition " + tp + " was reset past it (auto.offset.reset: retention deleted it"
                            + " before the member that forwards it again got it)"
                    : dltSkipped;
            findings.add(Invariant.GROUP_DEAD_LETTER, why, () -> "group " + group + ": poison record " + values.getOrDefault(tp, new TreeMap<>()).get(offset)
                    + " (partition " + tp + " offset " + offset + ") was processed" + (committedPast ? " and committed past" : "")
                    + " but is not in the dead-letter topic with group " + group + "'s error header");
        }
    }
}
