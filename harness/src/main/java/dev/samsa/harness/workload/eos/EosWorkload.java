package dev.samsa.harness.workload.eos;

import dev.samsa.harness.check.txn.EosValues;
import dev.samsa.harness.sim.Role;
import dev.samsa.harness.sim.Simulation;
import dev.samsa.harness.workload.Workload;
import dev.samsa.harness.workload.WorkloadRun;
import dev.samsa.harness.workload.txn.TxnCluster;
import dev.samsa.harness.workload.txn.TxnReaderClient;
import dev.samsa.harness.workload.txn.TxnRun;
import dev.samsa.spec.config.Settings;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Exactly-once stream processing, the seed article's example: a producer writes orders (region,
 * amount) to {@code orders}; {@code sim.eos.processors} processes of one group consume them
 * (read_committed), count the orders above 100 per region, and write the counts to
 * {@code counts} and the consumed offsets to the group in one transaction each
 * ({@link EosProcessor}); a downstream read_committed reader reads both topics to the end. The
 * processors crash, restart and turn zombie; broker faults move their transaction and group
 * coordinators. Checked at the end: the transaction invariants over both topics, and
 * {@code eos.exactly-once} — the counts the output sums to equal the counts of the input log.
 */
public final class EosWorkload implements Workload {

    public static final String INPUT = "orders";
    public static final String OUTPUT = "counts";
    public static final int ORDER_PRODUCER_ID = 10_000;
    public static final int FIRST_PROCESSOR_ID = 10_100;
    public static final int FIRST_PRODUCER_NODE_ID = 10_200;
    public static final int READER_ID = 10_300;

    @Override
    public String name() {
        return "eos";
    }

    @Override
    public String description() {
        return "Exactly-once: a consume-transform-produce group counts orders per region in transactions under crashes, zombies and coordinator moves; downstream counts equal the input's";
    }

    @Override
    public List<String> declaredPaths() {
        return List.of("txn.init-aborts-ongoing", "txn.markers-retry", "txn.markers-resumed-after-load", "group.txn-offsets-committed",
                "group.txn-offsets-aborted", "group.txn-commit-fenced", "producer.txn-offsets-fenced");
    }

    @Override
    public List<String> invariantPrefixes() {
        return List.of("eos.", "txn.", "kraft.single-leader", "kraft.epoch-monotonic", "kraft.hw-monotonic", "kraft.committed-consistent", "kraft.check-quorum");
    }

    @Override
    public List<String> decidingSettings() {
        return List.of("isolation.level", "acks", "transaction.timeout.ms", "unclean.leader.election.enable");
    }

    /** As txn's, and a longer quiesce: the processors drain the input after the orders stop. */
    @Override
    public Map<String, String> settingDefaults() {
        return Map.of("isolation.level", "read_committed", "transaction.state.log.num.partitions", "5", "offsets.topic.num.partitions", "5",
                "sim.quiesce.ms", "30000");
    }

    @Override
    public WorkloadRun start(Simulation sim) {
        Settings s = sim.settings();
        int processors = s.getInt("sim.eos.processors");
        if (processors < 1 || processors > 99) {
            throw new IllegalArgumentException("eos needs 1 <= sim.eos.processors <= 99");
        }
        if (!s.get("acks").equals("all") && !s.get("acks").equals("-1")) {
            throw new IllegalArgumentException("transactional producers need acks=all (Kafka refuses any other), got acks=" + s.get("acks"));
        }
        TxnCluster cluster = new TxnCluster(sim, List.of(INPUT, OUTPUT));
        int partitions = s.getInt("num.partitions");
        TreeMap<String, Integer> keyBases = new TreeMap<>();
        keyBases.put(INPUT, 0);
        keyBases.put(OUTPUT, EosValues.OUTPUT_KEY_BASE);
        TxnRun run = new TxnRun(sim, cluster, "eos", keyBases, true);
        OrderProducer[] orders = new OrderProducer[1];
        sim.addNode(ORDER_PRODUCER_ID, "orders", Role.CLIENT, ctx -> {
            orders[0] = new OrderProducer(ctx, 0, cluster.brokers(), INPUT, partitions, run.history, () -> run.issuing);
            return orders[0];
        });
        cluster.watchCoordinator("__consumer_offsets", "offsets.topic.num.partitions", EosProcessor.GROUP);
        long[] unique = new long[1];
        for (int i = 0; i < processors; i++) {
            int process = 1 + i;
            int id = FIRST_PROCESSOR_ID + i;
            int producerId = FIRST_PRODUCER_NODE_ID + i;
            String tid = "eos-processor-" + i;
            cluster.watchCoordinator("__transaction_state", "transaction.state.log.num.partitions", tid);
            sim.addNode(producerId, "processor-" + i + "-producer", Role.CLIENT, ctx -> new EosProducerNode(ctx, cluster.brokers(), tid));
            sim.addNode(id, "processor-" + i, Role.CLIENT, ctx -> {
                EosProcessor p = new EosProcessor(ctx, process, cluster.brokers(), INPUT, OUTPUT, partitions, run.history,
                        () -> ((EosProducerNode) sim.node(producerId).orElseThrow()).producer, () -> ++unique[0], run.faults::restartSoon,
                        run.commitLatencies);
                run.faults.register(id, p);
                return p;
            });
            run.faults.companion(id, producerId);
        }
        sim.addNode(READER_ID, "reader", Role.CLIENT, ctx -> {
            TxnReaderClient r = new TxnReaderClient(ctx, 1 + processors, cluster.brokers(), keyBases, partitions, run.history);
            run.readers.put(READER_ID, r);
            return r;
        });
        run.onFinish(() -> {
            if (orders[0] != null) {
                orders[0].abandon();
            }
        });
        sim.addEventCheck(cluster::afterEvent);
        return run;
    }
}
