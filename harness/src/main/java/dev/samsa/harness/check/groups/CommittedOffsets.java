package dev.samsa.harness.check.groups;

import dev.samsa.harness.check.groups.GroupOp.Outcome;
import dev.samsa.harness.check.groups.GroupOp.Type;
import dev.samsa.harness.sim.Simulation;
import dev.samsa.lin.CheckResult;
import dev.samsa.lin.Linearizability;
import dev.samsa.lin.Operation;
import dev.samsa.lin.models.RegisterModel;
import dev.samsa.spec.invariant.Invariant;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The committed offsets of a group, one register per partition: a commit writes it, a
 * {@code committed()} call reads it. Three checks: {@code group.committed-monotonic} (an
 * acknowledged commit never lowers the offset an earlier acknowledged one set, unless the
 * consumer reset its position in between), {@code group.offset-durable} (a read never returns
 * less than what the last acknowledged commit before it wrote, nor nothing), and
 * {@code group.offsets-linearizable} (the whole register history, with {@code dev.samsa.lin}).
 */
final class CommittedOffsets {

    static final String STALE = "a broker was paused or cut off: a deposed coordinator answers committed() from its cache until it learns"
            + " it lost leadership (Kafka does not fence reads)";

    /** A search that runs longer than this is left undecided (never a verdict). */
    static final Duration LIN_TIMEOUT = Duration.ofSeconds(10);

    private CommittedOffsets() {}

    /** One write or read of one partition's register. */
    record Access(GroupOp op, boolean write, long offset) {}

    static void check(List<GroupOp> ops, GroupPromise promise, GroupFindings findings, Map<String, Long> counts) {
        TreeMap<String, List<Access>> registers = new TreeMap<>();
        TreeMap<String, List<GroupOp>> resets = new TreeMap<>();
        for (GroupOp op : ops) {
            if (op.type() == Type.COMMIT && op.outcome() != Outcome.FAIL) {
                for (GroupOp.Offset o : op.offsets()) {
                    registers.computeIfAbsent(key(op.group(), o.partition()), k -> new ArrayList<>()).add(new Access(op, true, o.offset()));
                }
            } else if (op.type() == Type.FETCH && op.outcome() == Outcome.OK) {
                for (GroupOp.Offset o : op.offsets()) {
                    registers.computeIfAbsent(key(op.group(), o.partition()), k -> new ArrayList<>()).add(new Access(op, false, o.offset()));
                }
            } else if (op.type() == Type.RESET) {
                for (GroupOp.Offset o : op.offsets()) {
                    resets.computeIfAbsent(key(op.group(), o.partition()), k -> new ArrayList<>()).add(op);
                }
            }
        }
        long end = 0;
        for (GroupOp op : ops) {
            end = Math.max(end, op.completeNs());
        }
        forgotten(ops, registers, promise, findings);
        for (var e : registers.entrySet()) {
            monotonic(e.getKey(), e.getValue(), resets.getOrDefault(e.getKey(), List.of()), promise, findings);
            durable(e.getKey(), e.getValue(), promise, findings);
            linearizable(e.getKey(), e.getValue(), end + 1, promise, findings, counts);
        }
    }

    static String key(String group, int partition) {
        return group + "/" + partition;
    }

    private static void monotonic(String key, List<Access> accesses, List<GroupOp> resets, GroupPromise promise, GroupFindings findings) {
        Access highest = null; // the acknowledged commit with the highest offset so far, by completion
        for (Access a : accesses) {
            if (!a.write() || a.op().outcome() != Outcome.OK) {
                continue;
            }
            if (highest != null && a.offset() < highest.offset() && highest.op().completeNs() < a.op().invokeNs()) {
                Access h = highest;
                boolean reset = false;
                for (GroupOp r : resets) {
                    reset |= r.completeNs() >= h.op().invokeNs() && r.invokeNs() <= a.op().invokeNs();
                }
                if (!reset) {
                    // a member may have started from a position a deposed coordinator's cache gave it
                    String why = !promise.whyOffsetsMayExpire().isEmpty() ? promise.whyOffsetsMayExpire()
                            : promise.maybeStaleBetween(h.op().invokeNs(), a.op().invokeNs()) ? STALE : "";
                    findings.add(Invariant.GROUP_COMMITTED_MONOTONIC, why, () -> key + ": process " + a.op().process()
                            + " (" + a.op().memberId() + ", generation " + a.op().generation() + ") committed " + a.offset() + " at "
                            + Ownership.at(a.op()) + " after process " + h.op().process() + " (" + h.op().memberId() + ", generation "
                            + h.op().generation() + ") had committed " + h.offset() + " at " + Ownership.at(h.op()));
                }
            }
            if (highest == null || a.offset() >= highest.offset()) {
                highest = a;
            }
        }
    }

    /**
     * A member that joined after a commit of a partition was acknowledged, and then found no
     * committed offset for it (auto.offset.reset, NO_POSITION), read the register empty: the
     * commit was lost (KAFKA-8069's expiry right after a coordinator loaded the offsets).
     */
    private static void forgotten(List<GroupOp> ops, TreeMap<String, List<Access>> registers, GroupPromise promise, GroupFindings findings) {
        TreeMap<String, GroupOp> lastJoin = new TreeMap<>(); // group/process -> its last JOINED
        for (GroupOp op : ops) {
            if (op.type() == Type.JOINED) {
                lastJoin.put(op.group() + "/" + op.process(), op);
            }
            if (op.type() != Type.RESET || !op.detail().equals("NO_POSITION") || op.group().isEmpty()) {
                continue;
            }
            GroupOp j = lastJoin.get(op.group() + "/" + op.process());
            if (j == null) {
                continue;
            }
            for (GroupOp.Offset o : op.offsets()) {
                String key = key(op.group(), o.partition());
                for (Access w : registers.getOrDefault(key, List.of())) {
                    if (w.write() && w.op().outcome() == Outcome.OK && w.op().completeNs() < j.completeNs()) {
                        String why = !promise.whyOffsetsMayExpire().isEmpty() ? promise.whyOffsetsMayExpire()
                                : promise.maybeStaleBetween(j.completeNs(), op.completeNs()) ? STALE : "";
                        findings.add(Invariant.GROUP_OFFSET_DURABLE, why, () -> key + ": process " + op.process() + " joined generation "
                                + j.generation() + " at " + Ownership.at(j) + " and found no committed offset (auto.offset.reset to " + o.offset()
                                + " at " + Ownership.at(op) + "), though the commit of " + w.offset() + " by process " + w.op().process()
                                + " was acknowledged at " + Ownership.at(w.op()));
                        break;
                    }
                }
            }
        }
    }

    /** A read must see the last acknowledged commit completed before it began, or something written no earlier. */
    private static void durable(String key, List<Access> accesses, GroupPromise promise, GroupFindings findings) {
        for (Access r : accesses) {
            if (r.write()) {
                continue;
            }
            Access last = null;
            for (Access w : accesses) {
                if (w.write() && w.op().outcome() == Outcome.OK && w.op().completeNs() < r.op().invokeNs()
                        && (last == null || w.op().completeNs() > last.op().completeNs())) {
                    last = w;
                }
            }
            if (last == null || r.offset() == last.offset()) {
                continue;
            }
            boolean explained = false;
            for (Access w : accesses) {
                boolean concurrentOrLater = w.op().outcome() == Outcome.INFO || w.op().completeNs() >= last.op().invokeNs();
                explained |= w.write() && w.offset() == r.offset() && concurrentOrLater && w.op().invokeNs() <= r.op().completeNs();
            }
            if (!explained) {
                Access l = last;
                String why = !promise.whyOffsetsMayExpire().isEmpty() ? promise.whyOffsetsMayExpire()
                        : promise.maybeStale(r.op().completeNs()) ? STALE : "";
                String read = r.offset() < 0 ? "no committed offset" : Long.toString(r.offset());
                findings.add(Invariant.GROUP_OFFSET_DURABLE, why, () -> key + ": process " + r.op().process()
                        + " read " + read + " at " + Ownership.at(r.op()) + " (invoked " + Simulation.formatTime(r.op().invokeNs())
                        + "), though the commit of " + l.offset() + " by process " + l.op().process() + " was acknowledged at " + Ownership.at(l.op()));
            }
        }
    }

    private static void linearizable(String key, List<Access> accesses, long infinity, GroupPromise promise, GroupFindings findings,
            Map<String, Long> counts) {
        List<Operation<RegisterModel.Input, RegisterModel.Output>> history = new ArrayList<>();
        boolean anyRead = false;
        for (Access a : accesses) {
            GroupOp op = a.op();
            if (a.write()) {
                boolean unknown = op.outcome() == Outcome.INFO;
                history.add(new Operation<>(op.process(), new RegisterModel.Input(RegisterModel.Op.WRITE, a.offset(), 0), op.invokeNs(),
                        unknown ? RegisterModel.Output.UNKNOWN : new RegisterModel.Output(true, RegisterModel.NIL, false), unknown ? infinity : op.completeNs()));
            } else if (promise.maybeStale(op.completeNs())) {
                continue; // may come from a deposed coordinator's cache: constrains nothing
            } else {
                anyRead = true;
                long v = a.offset() < 0 ? RegisterModel.NIL : a.offset();
                history.add(new Operation<>(op.process(), new RegisterModel.Input(RegisterModel.Op.READ, 0, 0), op.invokeNs(),
                        new RegisterModel.Output(true, v, false), op.completeNs()));
            }
        }
        if (!anyRead) {
            return; // writes alone are always linearizable
        }
        CheckResult r = Linearizability.check(new RegisterModel(), history, LIN_TIMEOUT);
        counts.merge("offsets.registers.checked", 1L, Long::sum);
        if (r == CheckResult.UNKNOWN) {
            counts.merge("offsets.registers.undecided", 1L, Long::sum);
        } else if (r == CheckResult.ILLEGAL) {
            findings.add(Invariant.GROUP_OFFSETS_LINEARIZABLE, promise.whyOffsetsMayExpire(), () -> key + ": " + history.size()
                    + " commits and committed() reads have no linearization as a register (the first anomaly of offset-durable or committed-monotonic, if any, shows where)");
        }
    }
}
