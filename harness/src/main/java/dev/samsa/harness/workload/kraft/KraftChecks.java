package dev.samsa.harness.workload.kraft;

import dev.samsa.harness.sim.Role;
import dev.samsa.harness.sim.Simulation;
import dev.samsa.harness.sim.Simulation.NodeState;
import dev.samsa.harness.sim.Violation;
import dev.samsa.impl.broker.BrokerNode;
import dev.samsa.impl.controller.ControllerNode;
import dev.samsa.impl.metadata.BrokerRegistration;
import dev.samsa.impl.metadata.ClientRecord;
import dev.samsa.impl.raft.LogEntry;
import dev.samsa.impl.raft.RaftRole;
import dev.samsa.impl.raft.RaftView;
import dev.samsa.spec.invariant.Invariant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.IntFunction;

/**
 * The kraft workload's invariants: cheap ones after every event, on the controllers' live
 * state (like Kafka's RaftEventSimulationTest), and history checks at the end of the run.
 */
public final class KraftChecks {

    private final Simulation sim;
    private final List<Integer> controllers;
    private final List<Integer> brokers;
    private final long checkQuorumGraceNanos;

    /** epoch → the controller that led it. */
    private final TreeMap<Integer, Integer> leaders = new TreeMap<>();
    /** The committed log as far as any controller has committed it. */
    private final ArrayList<LogEntry> committed = new ArrayList<>();
    private final int[] lastIncarnation;
    private final int[] lastWipes;
    private final int[] lastEpoch;
    private final long[] lastHw;
    private final long[] verifiedUpTo;

    private final IntFunction<Optional<RaftView>> views;

    public KraftChecks(Simulation sim, List<Integer> controllers, List<Integer> brokers) {
        this(sim, controllers, brokers, id -> view(sim, id));
    }

    /** With a view lookup of its own, so tests can show each check firing on a fabricated state. */
    KraftChecks(Simulation sim, List<Integer> controllers, List<Integer> brokers, IntFunction<Optional<RaftView>> views) {
        this.views = views;
        this.sim = sim;
        this.controllers = controllers;
        this.brokers = brokers;
        this.checkQuorumGraceNanos = sim.settings().getMsAsNanos("controller.quorum.fetch.timeout.ms") * 3 / 2;
        int n = controllers.size();
        lastIncarnation = new int[n];
        lastWipes = new int[n];
        lastEpoch = new int[n];
        lastHw = new long[n];
        verifiedUpTo = new long[n];
    }

    static Optional<RaftView> view(Simulation sim, int id) {
        return sim.node(id).map(n -> ((ControllerNode) n).raft());
    }

    /** Would a violation of {@code inv} here be outside what the run promises (a voter's disk wiped)? */
    private boolean expected(Invariant inv) {
        return !inv.notPromisedUnder().isEmpty() && anyControllerWiped();
    }

    public boolean anyControllerWiped() {
        for (int id : controllers) {
            if (sim.wipes(id) > 0) {
                return true;
            }
        }
        return false;
    }

    /** Each invariant is reported once per seed: the first occurrence is the evidence that matters. */
    private final java.util.EnumSet<Invariant> reported = java.util.EnumSet.noneOf(Invariant.class);

    private void report(Invariant inv, String evidence, boolean endOfRun) {
        if (!reported.add(inv)) {
            return;
        }
        Violation v = Violation.of(inv, endOfRun ? -1 : sim.nowNanos(), evidence);
        sim.violation(expected(inv) ? v.asExpected() : v);
    }

    // ------------------------------------------------------------------ after every event

    public void afterEvent() {
        for (int i = 0; i < controllers.size(); i++) {
            int id = controllers.get(i);
            if (sim.state(id) == NodeState.DOWN) {
                continue;
            }
            RaftView v = views.apply(id).orElseThrow();
            int incarnation = sim.incarnation(id);
            if (incarnation != lastIncarnation[i]) {
                lastIncarnation[i] = incarnation;
                lastHw[i] = 0;
                verifiedUpTo[i] = 0;
                if (sim.wipes(id) != lastWipes[i]) {
                    lastWipes[i] = sim.wipes(id);
                    lastEpoch[i] = 0; // a new disk starts from epoch 0 legitimately
                }
            }
            if (v.epoch() < lastEpoch[i]) {
                report(Invariant.KRAFT_EPOCH_MONOTONIC, sim.name(id) + " epoch went from " + lastEpoch[i] + " to " + v.epoch(), false);
            }
            lastEpoch[i] = v.epoch();
            if (v.highWatermark() < lastHw[i]) {
                report(Invariant.KRAFT_HW_MONOTONIC, sim.name(id) + " high watermark went from " + lastHw[i] + " to " + v.highWatermark(), false);
            }
            lastHw[i] = v.highWatermark();
            if (v.role() == RaftRole.LEADER) {
                Integer known = leaders.putIfAbsent(v.epoch(), id);
                if (known != null && known != id) {
                    report(Invariant.KRAFT_SINGLE_LEADER, "epoch " + v.epoch() + " has two leaders: " + sim.name(known) + " and " + sim.name(id), false);
                }
                if (sim.state(id) == NodeState.UP) {
                    long since = Math.max(v.majorityContactNanos(), sim.upSinceNanos(id));
                    if (sim.nowNanos() - since > checkQuorumGraceNanos) {
                        report(Invariant.KRAFT_LEADER_RESIGNS, sim.name(id) + " is still leader of epoch " + v.epoch() + " although no majority of voters has fetched from it for "
                                + (sim.nowNanos() - since) / 1_000_000 + " ms (controller.quorum.fetch.timeout.ms=" + checkQuorumGraceNanos * 2 / 3 / 1_000_000 + ")", false);
                    }
                }
            }
            long hw = Math.min(v.highWatermark(), v.logEndOffset());
            while (committed.size() < hw) {
                committed.add(v.entryAt(committed.size()));
            }
            for (long o = verifiedUpTo[i]; o < hw; o++) {
                LogEntry mine = v.entryAt(o);
                if (!mine.equals(committed.get((int) o))) {
                    report(Invariant.KRAFT_COMMITTED_CONSISTENT, sim.name(id) + " has " + mine + " below its high watermark " + hw
                            + " where another controller committed " + committed.get((int) o), false);
                    return;
                }
            }
            verifiedUpTo[i] = Math.max(verifiedUpTo[i], hw);
        }
    }

    /** The controller leading the highest epoch, among those up. */
    public Optional<Integer> currentLeader() {
        Optional<Integer> best = Optional.empty();
        int bestEpoch = -1;
        for (int id : controllers) {
            if (sim.state(id) != NodeState.DOWN) {
                RaftView v = views.apply(id).orElseThrow();
                if (v.role() == RaftRole.LEADER && v.epoch() > bestEpoch) {
                    bestEpoch = v.epoch();
                    best = Optional.of(id);
                }
            }
        }
        return best;
    }

    // ------------------------------------------------------------------ end of run

    void atEnd(KraftHistory history) {
        Optional<Integer> leader = currentLeader();
        if (!converged(leader)) {
            return;
        }
        RaftView lv = views.apply(leader.get()).orElseThrow();
        List<LogEntry> log = new ArrayList<>();
        for (long o = 0; o < lv.highWatermark(); o++) {
            log.add(lv.entryAt(o));
        }
        for (int o = 0; o < committed.size(); o++) {
            if (o >= log.size() || !log.get(o).equals(committed.get(o))) {
                report(Invariant.KRAFT_COMMITTED_CONSISTENT, "entry " + committed.get(o) + " was committed during the run but the final log has "
                        + (o < log.size() ? log.get(o) : "only " + log.size() + " entries"), true);
                return;
            }
        }
        checkWrites(history, log);
        checkReads(history, log);
    }

    private boolean converged(Optional<Integer> leader) {
        StringBuilder state = new StringBuilder();
        for (int id : controllers) {
            Optional<RaftView> v = sim.state(id) == NodeState.DOWN ? Optional.empty() : view(sim, id);
            state.append(' ').append(sim.name(id)).append('=').append(v.map(x -> x.role() + " e" + x.epoch() + " hw " + x.highWatermark() + "/" + x.logEndOffset()).orElse("DOWN"));
        }
        if (leader.isEmpty()) {
            report(Invariant.KRAFT_CONVERGES, "no leader at the end of the quiesce phase:" + state, true);
            return false;
        }
        RaftView lv = view(sim, leader.get()).orElseThrow();
        for (int id : controllers) {
            Optional<RaftView> v = view(sim, id);
            if (v.isEmpty() || v.get().epoch() != lv.epoch() || v.get().highWatermark() != lv.highWatermark() || lv.highWatermark() != lv.logEndOffset()) {
                report(Invariant.KRAFT_CONVERGES, "controllers did not converge by the end of the quiesce phase:" + state, true);
                return false;
            }
        }
        ControllerNode active = (ControllerNode) sim.node(leader.get()).orElseThrow();
        for (int b : brokers) {
            Optional<BrokerNode> bn = sim.node(b).map(n -> (BrokerNode) n);
            Optional<BrokerRegistration> reg = active.image().broker(b);
            if (bn.isEmpty() || reg.isEmpty() || reg.get().fenced() || reg.get().incarnationId() != bn.get().incarnationId()
                    || bn.get().lifecycle() != BrokerNode.LifecycleState.RUNNING) {
                report(Invariant.KRAFT_CONVERGES, sim.name(b) + " is not registered and unfenced at the end of the quiesce phase: registration "
                        + reg.map(Object::toString).orElse("none") + ", broker lifecycle " + bn.map(x -> x.lifecycle() + " epoch " + x.brokerEpoch()).orElse("DOWN"), true);
                return false;
            }
        }
        return true;
    }

    void checkWrites(KraftHistory history, List<LogEntry> log) {
        TreeMap<Long, List<Long>> offsetsOf = new TreeMap<>();
        for (LogEntry e : log) {
            if (e.record() instanceof ClientRecord c) {
                offsetsOf.computeIfAbsent(c.writeId(), k -> new ArrayList<>()).add(e.offset());
            }
        }
        TreeMap<Long, KraftOp> writes = new TreeMap<>();
        List<KraftOp> acked = new ArrayList<>();
        for (KraftOp op : history.ops()) {
            if (op.type() == KraftOp.Type.WRITE) {
                writes.put(op.writeId(), op);
                if (op.outcome() == KraftOp.Outcome.OK) {
                    acked.add(op);
                }
            }
        }
        for (var e : offsetsOf.entrySet()) {
            KraftOp op = writes.get(e.getKey());
            if (op == null) {
                report(Invariant.KRAFT_NO_PHANTOM, "writeId " + e.getKey() + " is committed at offset " + e.getValue() + " but no client wrote it", true);
                return;
            }
            if (op.outcome() == KraftOp.Outcome.FAIL) {
                report(Invariant.KRAFT_NO_PHANTOM, "write " + e.getKey() + " by client " + op.process() + " failed definitely (" + op.error() + ") yet is committed at offset " + e.getValue(), true);
                return;
            }
            if (e.getValue().size() > 1) {
                report(Invariant.KRAFT_ACKED_COMMITTED_ONCE, "write " + e.getKey() + " is committed " + e.getValue().size() + " times, at offsets " + e.getValue(), true);
                return;
            }
        }
        for (KraftOp op : acked) {
            List<Long> at = offsetsOf.getOrDefault(op.writeId(), List.of());
            if (at.isEmpty()) {
                report(Invariant.KRAFT_ACKED_COMMITTED_ONCE, "write " + op.writeId() + " by client " + op.process() + " was acknowledged at offset " + op.offset()
                        + " at " + Simulation.formatTime(op.completeNanos()).trim() + " but is not in the final committed log (" + log.size() + " entries)", true);
                return;
            }
            if (at.get(0) != op.offset()) {
                report(Invariant.KRAFT_ACKED_COMMITTED_ONCE, "write " + op.writeId() + " was acknowledged at offset " + op.offset() + " but is committed at " + at.get(0), true);
                return;
            }
        }
        // real-time order: a write acknowledged before another was invoked precedes it in the log
        List<KraftOp> byInvoke = new ArrayList<>(acked);
        byInvoke.sort(Comparator.comparingLong(KraftOp::invokeNanos).thenComparingInt(KraftOp::index));
        List<KraftOp> byComplete = new ArrayList<>(acked);
        byComplete.sort(Comparator.comparingLong(KraftOp::completeNanos).thenComparingInt(KraftOp::index));
        int c = 0;
        KraftOp latest = null;
        for (KraftOp b : byInvoke) {
            while (c < byComplete.size() && byComplete.get(c).completeNanos() < b.invokeNanos()) {
                KraftOp a = byComplete.get(c++);
                if (latest == null || a.offset() > latest.offset()) {
                    latest = a;
                }
            }
            if (latest != null && b.offset() < latest.offset()) {
                report(Invariant.KRAFT_ACKED_COMMITTED_ONCE, "write " + latest.writeId() + " was acknowledged at offset " + latest.offset() + " before write " + b.writeId()
                        + " was invoked, yet " + b.writeId() + " is at the earlier offset " + b.offset(), true);
                return;
            }
        }
    }

    void checkReads(KraftHistory history, List<LogEntry> log) {
        for (KraftOp op : history.ops()) {
            if (op.type() != KraftOp.Type.READ || op.outcome() != KraftOp.Outcome.OK) {
                continue;
            }
            for (int i = 0; i < op.readWriteIds().size(); i++) {
                long o = op.readFrom() + i;
                long seen = op.readWriteIds().get(i);
                long actual = o < log.size() && log.get((int) o).record() instanceof ClientRecord cr ? cr.writeId() : -1;
                if (o >= log.size() || seen != actual) {
                    report(Invariant.KRAFT_COMMITTED_CONSISTENT, "client " + op.process() + " read writeId " + seen + " at committed offset " + o
                            + " but the final log has " + (o < log.size() ? log.get((int) o) : "no such offset"), true);
                    return;
                }
            }
        }
    }

    /** For the trace: one line with every node's role, printed when any changes. */
    public String status() {
        StringBuilder b = new StringBuilder("STATUS");
        for (int id : controllers) {
            b.append(" | ").append(sim.name(id)).append(' ');
            if (sim.state(id) == NodeState.DOWN) {
                b.append("DOWN");
            } else {
                RaftView v = view(sim, id).orElseThrow();
                b.append(v.role()).append(" e").append(v.epoch()).append(" hw ").append(v.highWatermark()).append('/').append(v.logEndOffset());
                if (sim.state(id) == NodeState.PAUSED) {
                    b.append(" PAUSED");
                }
            }
        }
        for (int id : brokers) {
            b.append(" | ").append(sim.name(id)).append(' ');
            b.append(sim.node(id).map(n -> ((BrokerNode) n).lifecycle().name()).orElse("DOWN"));
        }
        return b.toString();
    }

    /** A short signature of the roles, to print STATUS only when it changes. */
    public String roleSignature() {
        StringBuilder b = new StringBuilder();
        for (int id : controllers) {
            b.append(sim.state(id)).append(view(sim, id).map(v -> v.role() + "" + v.epoch()).orElse("-")).append(';');
        }
        for (int id : brokers) {
            b.append(sim.node(id).map(n -> ((BrokerNode) n).lifecycle().name()).orElse("DOWN")).append(';');
        }
        return b.toString();
    }

    static boolean isServer(Simulation sim, int id) {
        return sim.role(id) != Role.CLIENT;
    }
}
