package dev.samsa.harness.check.groups;

import dev.samsa.harness.check.groups.GroupCheckResult.Rebalance;
import dev.samsa.harness.check.groups.GroupOp.Type;
import dev.samsa.harness.sim.Simulation;
import dev.samsa.spec.invariant.Invariant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Rebalances in simulated time, and {@code group.stable-after-heal}: at the end every member of
 * each group is in its last generation, those assignments cover every partition exactly once,
 * and that generation was reached by the run's stability deadline.
 */
final class Stability {

    private Stability() {}

    /**
     * A group's rebalances: each starts at the first member's join when none was joining and ends
     * at the last member's arrival in a generation, once no member is joining any more.
     */
    static List<Rebalance> rebalances(String group, List<GroupOp> ops) {
        List<Rebalance> out = new ArrayList<>();
        TreeSet<Integer> joining = new TreeSet<>();
        long start = -1;
        long lastJoined = -1;
        int generation = -1;
        int arrivals = 0;
        for (GroupOp op : ops) {
            if (!op.group().equals(group)) {
                continue;
            }
            switch (op.type()) {
                case JOIN_STARTED -> {
                    if (joining.isEmpty() && arrivals == 0) {
                        start = op.invokeNs();
                    }
                    joining.add(op.process());
                }
                case JOINED -> {
                    if (start < 0) {
                        continue;
                    }
                    joining.remove(op.process());
                    lastJoined = op.completeNs();
                    generation = Math.max(generation, op.generation());
                    arrivals++;
                }
                case CRASH, LEAVE -> joining.remove(op.process());
                default -> {
                    continue;
                }
            }
            if (joining.isEmpty() && arrivals > 0) {
                out.add(new Rebalance(group, generation, start, lastJoined, arrivals));
                start = -1;
                arrivals = 0;
                generation = -1;
            }
        }
        return out;
    }

    static void check(List<GroupOp> ops, GroupPromise promise, GroupFindings findings) {
        for (String group : promise.groups()) {
            String problem = problem(group, ops, promise);
            if (!problem.isEmpty()) {
                String why = promise.stableDeadlineNs() < 0 ? promise.whyNoStableDeadline() : "";
                findings.add(Invariant.GROUP_STABLE_AFTER_HEAL, why, () -> "group " + group + ": " + problem);
            }
        }
    }

    private static String problem(String group, List<GroupOp> ops, GroupPromise promise) {
        TreeMap<Integer, Long> qgen = Ownership.qualifiedGenerations(group, ops); // a group that died counts again from 1
        TreeMap<Integer, GroupOp> last = new TreeMap<>(); // process -> its last membership event
        long generation = -1;
        long lastChangeNs = -1;
        for (GroupOp op : ops) {
            if (!op.group().equals(group)) {
                continue;
            }
            switch (op.type()) {
                case JOIN_STARTED, JOINED, LOST, CRASH, LEAVE -> {
                    last.put(op.process(), op);
                    if (op.type() == Type.JOINED) {
                        generation = Math.max(generation, qgen.get(op.index()));
                    }
                    if (op.type() != Type.CRASH) {
                        lastChangeNs = op.completeNs();
                    }
                }
                default -> {}
            }
        }
        if (generation < 0) {
            return "no member ever joined";
        }
        TreeMap<Integer, Integer> owner = new TreeMap<>();
        List<String> problems = new ArrayList<>();
        for (var e : last.entrySet()) {
            GroupOp op = e.getValue();
            if (op.type() == Type.LEAVE) {
                continue;
            }
            if (op.type() != Type.JOINED || qgen.get(op.index()) != generation) {
                problems.add("process " + e.getKey() + " ended with " + op.type().name().toLowerCase() + (op.generation() >= 0 ? " (generation "
                        + op.generation() + ")" : "") + " at " + Ownership.at(op) + ", not in generation " + generation % 1_000_000);
                continue;
            }
            for (int tp : op.partitions()) {
                Integer before = owner.put(tp, e.getKey());
                if (before != null) {
                    problems.add("partition " + tp + " assigned to processes " + before + " and " + e.getKey());
                }
            }
        }
        List<Integer> unassigned = new ArrayList<>();
        for (int tp = 0; tp < promise.partitions(); tp++) {
            if (!owner.containsKey(tp)) {
                unassigned.add(tp);
            }
        }
        if (!unassigned.isEmpty()) {
            problems.add("partitions " + unassigned + " unassigned in generation " + generation % 1_000_000);
        }
        if (problems.isEmpty() && promise.stableDeadlineNs() >= 0 && lastChangeNs > promise.stableDeadlineNs()) {
            problems.add("still rebalancing at " + Simulation.formatTime(lastChangeNs) + ", after the deadline "
                    + Simulation.formatTime(promise.stableDeadlineNs()));
        }
        return String.join("; ", problems);
    }
}
