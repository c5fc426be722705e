package dev.samsa.harness.workload.txn;

import dev.samsa.harness.check.txn.TxnCheckResult;
import dev.samsa.harness.check.txn.TxnChecker;
import dev.samsa.harness.check.txn.TxnHistoryJson;
import dev.samsa.harness.check.txn.TxnPromise;
import dev.samsa.harness.fault.FaultBudget;
import dev.samsa.harness.fault.TargetOracle;
import dev.samsa.harness.run.Phase;
import dev.samsa.harness.sim.Simulation;
import dev.samsa.harness.sim.Violation;
import dev.samsa.harness.workload.WorkloadRun;
import dev.samsa.impl.protocol.TopicPartition;
import dev.samsa.impl.replication.Partition;
import dev.samsa.spec.invariant.Invariant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * One run of the txn or eos workload: its history, clients and client faults, and the end of the
 * run — open transactions recorded, the partitions' end offsets read from their leaders, the
 * readers' positions compared with them, and the history checked against the promise.
 */
public final class TxnRun implements WorkloadRun {

    final Simulation sim;
    final TxnCluster cluster;
    private final String workload;
    private final TreeMap<String, Integer> keyBases;
    private final boolean eos;
    public final TxnHistory history = new TxnHistory();
    public final TxnClientFaults faults;
    private final TxnLateRequests lateRequests;
    public final TreeMap<Integer, TxnReaderClient> readers = new TreeMap<>();
    /** commitTransaction() to its successful completion, simulated nanoseconds, in completion order. */
    public final List<Long> commitLatencies = new ArrayList<>();
    public boolean issuing = true;
    private TxnPromise promise;
    private final List<Runnable> atFinish = new ArrayList<>();
    private TxnCheckResult result;
    /** The process of the read at the end ({@link TxnFinalRead}), -1 for none. */
    private int finalReader = -1;

    /** {@code keyBases}: each topic the history covers -> the key of its partition 0. */
    public TxnRun(Simulation sim, TxnCluster cluster, String workload, Map<String, Integer> keyBases, boolean eos) {
        this.sim = sim;
        this.cluster = cluster;
        this.workload = workload;
        this.keyBases = new TreeMap<>(keyBases);
        this.eos = eos;
        this.faults = new TxnClientFaults(sim, history);
        this.lateRequests = new TxnLateRequests(sim, faults, cluster);
    }

    private List<TopicPartition> dataPartitions() {
        List<TopicPartition> tps = new ArrayList<>();
        int partitions = sim.settings().getInt("num.partitions");
        for (String topic : keyBases.keySet()) {
            for (int p = 0; p < partitions; p++) {
                tps.add(new TopicPartition(topic, p));
            }
        }
        return tps;
    }

    @Override
    public TargetOracle targetOracle() {
        return cluster.targetOracle(dataPartitions());
    }

    @Override
    public FaultBudget faultBudget() {
        return cluster.faultBudget();
    }

    @Override
    public boolean outsidePromise() {
        return cluster.outsidePromise();
    }

    @Override
    public void onPhase(Phase phase) {
        switch (phase) {
            case FAULTS -> {
                faults.start(sim.settings().getMsAsNanos("sim.faults.ms"));
                lateRequests.start(sim.settings().getMsAsNanos("sim.faults.ms"));
            }
            case HEAL -> {
                faults.heal();
                lateRequests.heal();
            }
            case QUIESCE -> issuing = false;
            default -> { }
        }
    }

    /**
     * Ends the run with a read of every partition from its leader's log start, as a new consumer
     * would (process {@code process} of the history), judged by the same checks as the readers.
     */
    public void readAtEnd(int process) {
        finalReader = process;
    }

    /** Runs at the end of the run, before anything is checked (e.g. recording operations still in flight). */
    public void onFinish(Runnable r) {
        atFinish.add(r);
    }

    @Override
    public void finish() {
        atFinish.forEach(Runnable::run);
        String open = "";
        for (TxnClient c : faults.clients()) {
            if (c.transactionOpen()) {
                open = "a client transaction was still open at the end of the run";
            }
        }
        for (TxnClient c : faults.clients()) {
            c.abandon("the run ended");
        }
        if (cluster.quorum.currentLeader().isEmpty() || cluster.activeImage().isEmpty()) {
            sim.violation(Violation.of(Invariant.KRAFT_CONVERGES, -1, "no active controller at the end of the quiesce phase"));
            return;
        }
        boolean readCommitted = sim.settings().get("isolation.level").equals("read_committed");
        String whyNotDurable = cluster.whyNotDurable();
        if (open.isEmpty() && !whyNotDurable.isEmpty()) {
            open = "acknowledged writes, transaction markers among them, may be lost: " + whyNotDurable;
        }
        TreeMap<Integer, Long> horizon = new TreeMap<>();
        cluster.retentionHorizon().forEach((tp, start) -> {
            if (keyBases.containsKey(tp.topic()) && start > 0) {
                horizon.put(keyBases.get(tp.topic()) + tp.partition(), start);
            }
        });
        TxnPromise p = new TxnPromise(readCommitted, whyNotDurable.isEmpty(), whyNotDurable, false, new TreeMap<>(), open, eos, horizon);
        TreeMap<TopicPartition, Long> ends = new TreeMap<>();
        List<TxnOp.Read> finalReads = new ArrayList<>();
        boolean allLed = true;
        for (TopicPartition tp : dataPartitions()) {
            Optional<Partition> leader = cluster.leaderPartition(tp);
            if (leader.isEmpty()) {
                allLed = false;
                continue;
            }
            long lso = leader.get().log().lastStableOffset();
            long hw = leader.get().log().highWatermark();
            p = p.withEnd(keyBases.get(tp.topic()) + tp.partition(), lso, hw);
            ends.put(tp, readCommitted ? lso : hw);
            if (finalReader >= 0) {
                int fetchBytes = Math.min(sim.settings().getInt("fetch.max.bytes"), sim.settings().getInt("max.partition.fetch.bytes"));
                finalReads.addAll(TxnFinalRead.read(leader.get().log(), keyBases.get(tp.topic()) + tp.partition(), readCommitted, fetchBytes));
            }
        }
        if (!finalReads.isEmpty()) {
            history.add(finalReader, TxnOp.Type.POLL, sim.nowNanos(), sim.nowNanos(), TxnOp.Outcome.OK, List.of(), finalReads, List.of(), -1, "");
        }
        promise = p.withFinalReadsDone(allLed && readersReached(ends));
        result = TxnChecker.check(history.ops(), promise);
        for (TxnCheckResult.Anomaly a : result.anomalies()) {
            Invariant inv = Invariant.byId(a.invariantId()).orElseThrow();
            Violation v = Violation.of(inv, -1, a.evidence() + (a.expected() ? " [expected: " + a.whyExpected() + "]" : ""));
            sim.violation(a.expected() ? v.asExpected() : v);
        }
    }

    /** Did some reader's position reach every partition's end (its last stable offset under read_committed)? */
    private boolean readersReached(TreeMap<TopicPartition, Long> ends) {
        for (TxnReaderClient r : readers.values()) {
            boolean all = true;
            for (Map.Entry<TopicPartition, Long> e : ends.entrySet()) {
                OptionalLong pos = r.position(e.getKey());
                all &= pos.isPresent() && pos.getAsLong() >= e.getValue();
            }
            if (all) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void writeArtifacts(java.nio.file.Path dir, long seed, String cliOptions) {
        TxnPromise p = promise != null ? promise : new TxnPromise(sim.settings().get("isolation.level").equals("read_committed"),
                cluster.whyNotDurable().isEmpty(), cluster.whyNotDurable(), false, new TreeMap<>(), "the run did not finish", eos, new TreeMap<>());
        TxnHistoryJson.write(dir.resolve("history.jsonl"), new TxnHistoryJson.Header(workload, seed, cliOptions, sim.settings().nonDefaults(), p),
                history.ops());
    }

    @Override
    public List<dev.samsa.reports.timeline.Timeline.Row> timelineClients() {
        return TxnTimelineRows.rows(history.ops());
    }

    /** {@code txn.commit}: simulated nanoseconds from commitTransaction() to its successful completion, per committed transaction. */
    @Override
    public Map<String, List<Long>> latencyNanos() {
        return commitLatencies.isEmpty() ? Map.of() : Map.of("txn.commit", List.copyOf(commitLatencies));
    }

    @Override
    public NavigableMap<String, Long> stats() {
        TreeMap<String, Long> m = new TreeMap<>();
        for (var op : history.ops()) {
            m.merge(op.type().name().toLowerCase(java.util.Locale.ROOT) + "." + op.outcome().name().toLowerCase(java.util.Locale.ROOT), 1L, Long::sum);
            m.merge("records.written", (long) op.writes().size(), Long::sum);
            m.merge("records.read", (long) op.reads().size(), Long::sum);
        }
        if (result != null) {
            m.put("writes.committed", result.counts().committedWrites());
            m.put("writes.aborted", result.counts().abortedWrites());
            m.put("values.read", result.counts().valuesRead());
        }
        return m;
    }
}
