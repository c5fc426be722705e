package dev.samsa.harness.perf;

import dev.samsa.harness.sim.Role;
import dev.samsa.harness.sim.Simulation;
import dev.samsa.harness.sim.TraceSink;
import dev.samsa.harness.workload.queue.TopicAdmin;
import dev.samsa.impl.broker.BrokerNode;
import dev.samsa.impl.controller.ControllerNode;
import dev.samsa.impl.protocol.TopicPartition;
import dev.samsa.impl.replication.Partition;
import dev.samsa.spec.bugs.Bug;
import dev.samsa.spec.config.Settings;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * One fault-free performance run: 3 controllers, 3 brokers, one topic of {@value #PARTITIONS}
 * partitions with {@value #REPLICATION_FACTOR} replicas, a {@link FirehoseClient} and a
 * {@link DrainConsumer}. After the topic exists the clients run {@code warmupMs} unmeasured, then
 * {@code measureMs} measured; the consumer's lag is sampled every {@code sampleMs}.
 */
public final class PerfRun {

    static final String TOPIC = "perf";
    static final int PARTITIONS = 6;
    static final int REPLICATION_FACTOR = 3;
    private static final long MS = 1_000_000L;
    private static final List<Integer> CONTROLLERS = List.of(3000, 3001, 3002);
    private static final List<Integer> BROKERS = List.of(0, 1, 2);
    private static final int ADMIN_ID = 9_999;
    private static final int PRODUCER_ID = 10_000;
    private static final int CONSUMER_ID = 10_001;
    /** Simulated time allowed for the quorum to form, brokers to register and the topic to appear. */
    private static final long SETUP_LIMIT_NANOS = 30_000 * MS;

    /** How long a run lasts and how hard the producer pushes. */
    /** {@code recordsPerSecond} 0: closed loop (always {@code outstanding} in flight); otherwise an open loop at that rate. */
    public record Timing(long warmupMs, long measureMs, long sampleMs, int outstanding, long recordsPerSecond) {
        public Timing {
            if (warmupMs < 0 || measureMs <= 0 || sampleMs <= 0 || outstanding < 1 || recordsPerSecond < 0) {
                throw new IllegalArgumentException("bad timing " + warmupMs + "/" + measureMs + "/" + sampleMs + "/" + outstanding);
            }
        }
    }

    /** What one run measured. {@code lag} holds one sample per {@code sampleMs} of the measured window (-1: unknown yet). */
    public record Sample(long seed, long acknowledged, long failed, double recordsPerSecond, Histogram produceLatencyMicros,
            Histogram endToEndMs, List<Long> lag, long events, long wallNanos) {}

    private PerfRun() {}

    /** The settings of a perf run: Kafka's defaults, the topic's shape, then {@code fixed}. */
    public static Settings settings(Map<String, String> fixed) {
        return Settings.defaults()
                .with("num.partitions", Integer.toString(PARTITIONS))
                .with("default.replication.factor", Integer.toString(REPLICATION_FACTOR))
                .with("min.insync.replicas", "2")
                .withAll(fixed);
    }

    public static Sample run(Map<String, String> fixed, long seed, Timing timing) {
        long wallStart = System.nanoTime();
        Simulation sim = new Simulation(seed, settings(fixed), EnumSet.noneOf(Bug.class), TraceSink.NONE, false);
        startCluster(sim);
        FirehoseClient[] producer = new FirehoseClient[1];
        DrainConsumer[] consumer = new DrainConsumer[1];
        sim.addNode(PRODUCER_ID, "firehose", Role.CLIENT, ctx -> producer[0] = new FirehoseClient(ctx, BROKERS, TOPIC, timing.outstanding(), timing.recordsPerSecond()));
        sim.addNode(CONSUMER_ID, "drain", Role.CLIENT, ctx -> consumer[0] = new DrainConsumer(ctx, BROKERS, TOPIC, PARTITIONS));
        sim.runUntil(sim.nowNanos() + timing.warmupMs() * MS);
        long measureStart = sim.nowNanos();
        producer[0].startMeasuring(measureStart);
        consumer[0].startMeasuring();
        List<Long> lag = new ArrayList<>();
        for (long t = timing.sampleMs(); t <= timing.measureMs(); t += timing.sampleMs()) {
            sim.runUntil(measureStart + t * MS);
            lag.add(lag(sim, consumer[0]));
        }
        sim.runUntil(measureStart + timing.measureMs() * MS);
        long acked = producer[0].acknowledged();
        return new Sample(seed, acked, producer[0].failed(), acked * 1000.0 / timing.measureMs(), producer[0].latencyMicros(),
                consumer[0].endToEndMs(), lag, sim.eventsFired(), System.nanoTime() - wallStart);
    }

    /**
     * Consumer lag as Kafka's tools compute it: per partition, the leader's high watermark minus
     * the consumer's position, summed. The leader's HW is the largest any live replica has (a
     * follower's never runs ahead of its leader's). -1 while the consumer has no position yet.
     */
    static long lag(Simulation sim, DrainConsumer consumer) {
        long total = 0;
        for (int p = 0; p < PARTITIONS; p++) {
            long position = consumer.position(p);
            if (position < 0) {
                return -1;
            }
            long hw = 0;
            TopicPartition tp = new TopicPartition(TOPIC, p);
            for (int b : BROKERS) {
                if (sim.state(b) == Simulation.NodeState.DOWN) {
                    continue;
                }
                Partition replica = ((BrokerNode) sim.node(b).orElseThrow()).replicaManager().partitions().get(tp);
                if (replica != null) {
                    hw = Math.max(hw, replica.log().highWatermark());
                }
            }
            total += Math.max(0, hw - position);
        }
        return total;
    }

    private static void startCluster(Simulation sim) {
        for (int id : CONTROLLERS) {
            sim.addNode(id, "ctrl-" + id, Role.CONTROLLER, ctx -> new ControllerNode(ctx, CONTROLLERS));
        }
        for (int id : BROKERS) {
            sim.addNode(id, "broker-" + id, Role.BROKER, ctx -> new BrokerNode(ctx, CONTROLLERS));
        }
        TopicAdmin[] admin = new TopicAdmin[1];
        sim.addNode(ADMIN_ID, "admin", Role.CLIENT, ctx -> admin[0] = new TopicAdmin(ctx, CONTROLLERS, TOPIC, PARTITIONS, REPLICATION_FACTOR));
        while (!admin[0].done()) {
            if (sim.nowNanos() >= SETUP_LIMIT_NANOS) {
                throw new IllegalStateException("topic not created after " + SETUP_LIMIT_NANOS / MS + " simulated ms (seed " + sim.seed() + ")");
            }
            sim.runUntil(sim.nowNanos() + 10 * MS);
        }
    }
}
