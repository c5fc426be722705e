package dev.samsa.harness.workload.txn;

import dev.samsa.harness.sim.Role;
import dev.samsa.harness.sim.Simulation;
import dev.samsa.harness.workload.Workload;
import dev.samsa.harness.workload.WorkloadRun;
import dev.samsa.spec.config.Settings;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Transactions end to end, after Jepsen's transactional Kafka workload: a KRaft quorum, the
 * brokers, one topic {@code txn} of {@code num.partitions} partitions (key k is partition k),
 * {@code sim.producers} transactional producers ({@code transactional.id} {@code txn-i}) running
 * transactions of 1-4 sends each, committed or aborted on purpose ({@code sim.txn.abort.percent}),
 * killed and restarted with the same id or paused into zombies; and {@code sim.consumers} readers
 * with the run's {@code isolation.level} (read_committed unless set) reading every partition.
 * Checked at the end: the history ({@link dev.samsa.harness.check.txn.TxnChecker}) and the
 * partitions' last stable offsets against their high watermarks.
 */
public final class TxnWorkload implements Workload {

    public static final String TOPIC = "txn";
    public static final int FIRST_CLIENT_ID = 10_000;

    @Override
    public String name() {
        return "txn";
    }

    @Override
    public String description() {
        return "Transactions: transactional producers commit and abort multi-partition transactions under faults and zombies; read_committed readers; aborted, torn, lost and cyclic reads, hanging transactions";
    }

    /** The transaction paths faults should reach: timeouts, fencing of zombies, markers retried and resumed by a new coordinator. */
    @Override
    public List<String> declaredPaths() {
        return List.of("txn.init-aborts-ongoing", "txn.init-bumps-epoch", "txn.timeout-abort", "txn.markers-retry", "txn.markers-resumed-after-load",
                "producer.txn-abortable-error", "producer.txn-fatal-error");
    }

    @Override
    public List<String> invariantPrefixes() {
        return List.of("txn.", "kraft.single-leader", "kraft.epoch-monotonic", "kraft.hw-monotonic", "kraft.committed-consistent", "kraft.check-quorum");
    }

    @Override
    public List<String> decidingSettings() {
        return List.of("isolation.level", "acks", "transaction.timeout.ms", "unclean.leader.election.enable");
    }

    /**
     * read_committed readers unless told otherwise; 5 partitions of the internal topics instead of
     * 50 keep brokers quick; a quiesce phase long enough for a coordinator to abort what a dead
     * client left open (transaction.timeout.ms is at most 60 s in swarm runs, but a restarted
     * client's initTransactions aborts its predecessor's transaction at once).
     */
    @Override
    public Map<String, String> settingDefaults() {
        return Map.of("isolation.level", "read_committed", "transaction.state.log.num.partitions", "5", "offsets.topic.num.partitions", "5",
                "sim.quiesce.ms", "20000");
    }

    /**
     * One seed in four compacts the txn topic: transactions on compacted topics are Kafka's
     * (Kafka Streams' changelogs), and the cleaner must keep every marker (KAFKA-14055). Only
     * this workload draws it: the queue and groups checkers take every record's value as kept.
     */
    @Override
    public Map<String, List<String>> swarmValues() {
        return Map.of("cleanup.policy", List.of("delete", "delete", "delete", "compact"));
    }

    @Override
    public WorkloadRun start(Simulation sim) {
        Settings s = sim.settings();
        int nProducers = s.getInt("sim.producers");
        int nReaders = s.getInt("sim.consumers");
        if (nProducers < 1 || nReaders < 1) {
            throw new IllegalArgumentException("txn needs sim.producers >= 1 and sim.consumers >= 1");
        }
        if (!s.get("acks").equals("all") && !s.get("acks").equals("-1")) {
            throw new IllegalArgumentException("transactional producers need acks=all (Kafka refuses any other), got acks=" + s.get("acks"));
        }
        TxnCluster cluster = new TxnCluster(sim, List.of(TOPIC));
        int partitions = s.getInt("num.partitions");
        TreeMap<String, Integer> keyBases = new TreeMap<>();
        keyBases.put(TOPIC, 0);
        TxnRun run = new TxnRun(sim, cluster, "txn", keyBases, false);
        long[] nextValue = new long[partitions];
        for (int i = 0; i < nProducers; i++) {
            int process = i;
            int id = FIRST_CLIENT_ID + i;
            String tid = "txn-" + i;
            cluster.watchCoordinator("__transaction_state", "transaction.state.log.num.partitions", tid);
            sim.addNode(id, "producer-" + i, Role.CLIENT, ctx -> {
                TxnProducerClient c = new TxnProducerClient(ctx, process, cluster.brokers(), TOPIC, partitions, tid, run.history,
                        () -> run.issuing, key -> ++nextValue[key] * 100 + process, run.faults::restartSoon, run.commitLatencies);
                run.faults.register(id, c);
                return c;
            });
        }
        for (int i = 0; i < nReaders; i++) {
            int process = nProducers + i;
            int id = FIRST_CLIENT_ID + process;
            sim.addNode(id, "reader-" + i, Role.CLIENT, ctx -> {
                TxnReaderClient r = new TxnReaderClient(ctx, process, cluster.brokers(), keyBases, partitions, run.history);
                run.readers.put(id, r);
                return r;
            });
        }
        run.readAtEnd(nProducers + nReaders);
        sim.addEventCheck(cluster::afterEvent);
        return run;
    }
}
