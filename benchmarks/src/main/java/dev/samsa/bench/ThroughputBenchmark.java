package dev.samsa.bench;

import dev.samsa.harness.sim.Role;
import dev.samsa.harness.sim.Simulation;
import dev.samsa.harness.sim.TraceSink;
import dev.samsa.harness.workload.queue.TopicAdmin;
import dev.samsa.impl.broker.BrokerNode;
import dev.samsa.impl.controller.ControllerNode;
import dev.samsa.spec.bugs.Bug;
import dev.samsa.spec.config.Settings;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The data plane under load, without faults: 3 controllers, 3 brokers, one topic of 6
 * partitions with 3 replicas, {@code min.insync.replicas=2}, and one {@link FirehoseProducer}
 * (idempotent unless acks is not {@code all}) keeping 10,000 records of ~100 bytes outstanding.
 *
 * <p>Each iteration builds a fresh cluster, creates the topic, lets the producer run one
 * simulated second to reach a steady state, and then each invocation runs
 * {@value #SLICE_MILLIS} simulated ms. Counters, per wall second: {@code records} (records the
 * cluster acknowledged: the figure to read), {@code simMillis} (simulated ms run: below 1000
 * the simulation is slower than real time) and {@code failed} (sends that failed: should be 0).
 *
 * <p>Goal (the issue's): at least 200,000 acknowledged records per wall second per core with
 * the defaults (linger.ms=5, batch.size=16384, acks=all). The simulation is single-threaded,
 * so the figure is already per core.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar ThroughputBenchmark -p lingerMs=5 -p batchSize=16384 -p acks=all -wi 1 -w 10 -i 3 -r 10 -f 1</pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 1, time = 10)
@Measurement(iterations = 3, time = 10)
@Fork(value = 1, jvmArgs = {"-Xmx2g"})
@State(Scope.Thread)
public class ThroughputBenchmark {

    static final String TOPIC = "firehose";
    static final int PARTITIONS = 6;
    static final int REPLICATION_FACTOR = 3;
    static final int OUTSTANDING = 10_000;
    static final long SLICE_MILLIS = 100;
    static final long MS = 1_000_000L;
    private static final List<Integer> CONTROLLERS = List.of(3000, 3001, 3002);
    static final List<Integer> BROKERS = List.of(0, 1, 2);
    private static final int ADMIN_ID = 9_999;
    private static final int PRODUCER_ID = 10_000;
    /** Simulated time allowed for the quorum to form, brokers to register and the topic to appear. */
    private static final long SETUP_LIMIT_NANOS = 30_000 * MS;

    @Param({"0", "5", "50"})
    public long lingerMs;

    @Param({"16384", "131072"})
    public int batchSize;

    @Param({"1", "all"})
    public String acks;

    /** false: keyless records (sticky partitioner); true: explicit partitions in turn. */
    @Param({"false"})
    public boolean roundRobin;

    /** Acknowledged records, simulated ms and failed sends, per wall second. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Counters {
        public long records;
        public long simMillis;
        public long failed;
    }

    private Simulation sim;
    private FirehoseProducer producer;
    private long seed;
    private long producerStartNanos;

    @Setup(Level.Iteration)
    public void setUp() {
        Settings settings = Settings.defaults()
                .with("linger.ms", Long.toString(lingerMs))
                .with("batch.size", Integer.toString(batchSize))
                .with("acks", acks)
                .with("enable.idempotence", "true")
                .with("min.insync.replicas", "2")
                .with("num.partitions", Integer.toString(PARTITIONS))
                .with("default.replication.factor", Integer.toString(REPLICATION_FACTOR));
        sim = startCluster(settings, ++seed);
        producerStartNanos = sim.nowNanos();
        producer = addProducer(sim, roundRobin);
        sim.runUntil(sim.nowNanos() + 1_000 * MS); // producer warm-up: metadata, producer id, full pipeline
    }

    /** A running cluster with the topic created and the firehose producer started. */
    static Simulation startCluster(Settings settings, long seed) {
        return startCluster(settings, seed, TOPIC, PARTITIONS);
    }

    /** A running cluster (3 controllers, 3 brokers) with {@code topic} created, replication factor 3. */
    static Simulation startCluster(Settings settings, long seed, String topic, int partitions) {
        Simulation sim = new Simulation(seed, settings, EnumSet.noneOf(Bug.class), TraceSink.NONE, false);
        for (int id : CONTROLLERS) {
            sim.addNode(id, "ctrl-" + id, Role.CONTROLLER, ctx -> new ControllerNode(ctx, CONTROLLERS));
        }
        for (int id : BROKERS) {
            sim.addNode(id, "broker-" + id, Role.BROKER, ctx -> new BrokerNode(ctx, CONTROLLERS));
        }
        TopicAdmin[] admin = new TopicAdmin[1];
        sim.addNode(ADMIN_ID, "admin", Role.CLIENT, ctx -> admin[0] = new TopicAdmin(ctx, CONTROLLERS, topic, partitions, REPLICATION_FACTOR));
        while (!admin[0].done()) {
            if (sim.nowNanos() >= SETUP_LIMIT_NANOS) {
                throw new IllegalStateException("topic not created after " + SETUP_LIMIT_NANOS / MS + " simulated ms");
            }
            sim.runUntil(sim.nowNanos() + 10 * MS);
        }
        // The controller acknowledges once the last partition record is committed, but brokers
        // replay the records in several fetches: for a while some serve metadata with only part
        // of the topic's partitions (a client that sees it keeps the smaller count until
        // metadata.max.age.ms). Start the clients once every broker knows the whole topic.
        while (!allBrokersKnow(sim, topic, partitions)) {
            if (sim.nowNanos() >= SETUP_LIMIT_NANOS) {
                throw new IllegalStateException("brokers do not all know the " + partitions + " partitions of " + topic);
            }
            sim.runUntil(sim.nowNanos() + MS);
        }
        return sim;
    }

    private static boolean allBrokersKnow(Simulation sim, String topic, int partitions) {
        for (int b : BROKERS) {
            if (!(sim.node(b).orElse(null) instanceof BrokerNode broker) || broker.image().partitionsOf(topic).size() < partitions) {
                return false;
            }
        }
        return true;
    }

    static FirehoseProducer addProducer(Simulation s, boolean roundRobin) {
        FirehoseProducer[] p = new FirehoseProducer[1];
        s.addNode(PRODUCER_ID, "firehose", Role.CLIENT, ctx -> p[0] = new FirehoseProducer(ctx, BROKERS, TOPIC, PARTITIONS, roundRobin, OUTSTANDING));
        return p[0];
    }

    @Benchmark
    public long slice(Counters counters) {
        if (producer == null) {
            throw new IllegalStateException("no producer");
        }
        long acked = producer.acknowledged();
        long failed = producer.failed();
        sim.runUntil(sim.nowNanos() + SLICE_MILLIS * MS);
        counters.records += producer.acknowledged() - acked;
        counters.failed += producer.failed() - failed;
        counters.simMillis += SLICE_MILLIS;
        return sim.traceHash();
    }

    @TearDown(Level.Iteration)
    public void report() {
        long producing = sim.nowNanos() - producerStartNanos;
        System.out.printf("%n  producer ran %d simulated ms: %d records acknowledged (%.0f per simulated second), %d failed, %d events%n",
                producing / MS, producer.acknowledged(), producer.acknowledged() * 1e9 / producing, producer.failed(), sim.eventsFired());
        sim = null;
        producer = null;
    }
}
