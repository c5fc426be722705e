package dev.samsa.bench;

import static dev.samsa.bench.ThroughputBenchmark.BROKERS;
import static dev.samsa.bench.ThroughputBenchmark.MS;

import dev.samsa.harness.sim.Role;
import dev.samsa.harness.sim.Simulation;
import dev.samsa.impl.broker.BrokerNode;
import dev.samsa.impl.log.RecordBatch;
import dev.samsa.impl.log.UnifiedLog;
import dev.samsa.impl.protocol.TopicPartition;
import dev.samsa.impl.replication.Partition;
import dev.samsa.spec.config.Settings;
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
 * Transactions under load, without faults: {@link ThroughputBenchmark}'s cluster (3 controllers,
 * 3 brokers, one topic of 6 partitions with 3 replicas, {@code min.insync.replicas=2}) and one
 * {@link TransactionalProducerClient} running back-to-back transactions of {@code txnSize}
 * records spread over the partitions in turn (linger.ms=5, batch.size=16384, the defaults
 * otherwise: transaction.state.log and __consumer_offsets with 50 partitions, 3 replicas).
 *
 * <p>Each iteration builds a fresh cluster, lets the producer run one simulated second (finding
 * its coordinator, creating {@code __transaction_state}, initTransactions, first transactions),
 * then each invocation runs {@value #SLICE_MILLIS} simulated ms. Counters per wall second:
 * {@code records} (records of committed transactions: the figure to read), {@code txns}
 * (committed transactions) and {@code simMillis} (simulated ms run). The commit latency (from
 * commitTransaction() to its completion, simulated) is printed after each iteration, mean and
 * max; counter {@code commitLatencyMicros} carries the mean of the iteration (JMH sums it over
 * iterations in its summary: read the per-iteration lines).
 *
 * <p>Fails loudly if any record or transactional operation failed, if no transaction committed
 * in an iteration, or if the partition leaders' logs disagree with the producer at the end of an
 * iteration: every data batch transactional, no aborted transaction, at least the committed
 * records appended and at most one open transaction more, and all but the last committed
 * transaction's records below the last stable offset (its markers may still be on the way).
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar TransactionalThroughputBenchmark -wi 1 -w 3 -i 3 -r 3 -f 1</pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 1, time = 3)
@Measurement(iterations = 3, time = 3)
@Fork(value = 1, jvmArgs = {"-Xmx2g"})
@State(Scope.Thread)
public class TransactionalThroughputBenchmark {

    static final long SLICE_MILLIS = 100;
    private static final int PRODUCER_ID = 10_001;

    @Param({"1", "10", "100", "1000"})
    public int txnSize;

    /**
     * The producer's retry.backoff.ms. Kafka's default, 100, is also how long the next
     * transaction's first AddPartitionsToTxn waits after CONCURRENT_TRANSACTIONS (the previous
     * commit's markers still being written): Kafka's client waits only 20 ms there, this one
     * waits the whole backoff, which sets the pace of back-to-back transactions (see README).
     */
    @Param({"100"})
    public long retryBackoffMs;

    /** Committed records and transactions, simulated ms, per wall second. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Counters {
        public long records;
        public long txns;
        public long simMillis;
    }

    /** Mean simulated commit latency of the iteration, in µs (not per second). */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Latency {
        public long commitLatencyMicros;

        @Setup(Level.Iteration)
        public void reset() {
            commitLatencyMicros = 0;
        }
    }

    private Simulation sim;
    private TransactionalProducerClient producer;
    private long seed;
    private long startNanos;
    private long txnsAtStart;
    private long latencyAtStart;

    @Setup(Level.Iteration)
    public void setUp() {
        Settings settings = Settings.defaults()
                .with("linger.ms", "5")
                .with("batch.size", "16384")
                .with("acks", "all")
                .with("min.insync.replicas", "2")
                .with("num.partitions", Integer.toString(ThroughputBenchmark.PARTITIONS))
                .with("default.replication.factor", Integer.toString(ThroughputBenchmark.REPLICATION_FACTOR));
        sim = ThroughputBenchmark.startCluster(settings, ++seed);
        Settings producerSettings = settings.with("transactional.id", "bench-txn").with("retry.backoff.ms", Long.toString(retryBackoffMs));
        TransactionalProducerClient[] p = new TransactionalProducerClient[1];
        sim.addNode(PRODUCER_ID, "txn-producer", Role.CLIENT, ctx -> p[0] = new TransactionalProducerClient(ctx, BROKERS,
                ThroughputBenchmark.TOPIC, ThroughputBenchmark.PARTITIONS, txnSize, producerSettings));
        producer = p[0];
        sim.runUntil(sim.nowNanos() + 1_000 * MS); // coordinator, __transaction_state, producer id, first transactions
        check();
        startNanos = sim.nowNanos();
        txnsAtStart = producer.committedTxns();
        latencyAtStart = producer.commitLatencyNanos();
        producer.resetMaxCommitLatency();
    }

    private void check() {
        if (producer.failure() != null) {
            throw new IllegalStateException("transactional producer failed: " + producer.failure() + " (" + producer.failedRecords()
                    + " records failed, " + producer.committedTxns() + " transactions committed)");
        }
    }

    @Benchmark
    public long slice(Counters counters, Latency latency) {
        long records = producer.committedRecords();
        long txns = producer.committedTxns();
        sim.runUntil(sim.nowNanos() + SLICE_MILLIS * MS);
        check();
        counters.records += producer.committedRecords() - records;
        counters.txns += producer.committedTxns() - txns;
        counters.simMillis += SLICE_MILLIS;
        long n = producer.committedTxns() - txnsAtStart;
        latency.commitLatencyMicros = n == 0 ? 0 : (producer.commitLatencyNanos() - latencyAtStart) / n / 1_000;
        return sim.traceHash();
    }

    private void verifyLogs() {
        long total = 0;
        long stable = 0;
        for (int p = 0; p < ThroughputBenchmark.PARTITIONS; p++) {
            TopicPartition tp = new TopicPartition(ThroughputBenchmark.TOPIC, p);
            UnifiedLog log = leaderLog(tp);
            if (!log.abortedTransactions().isEmpty()) {
                throw new IllegalStateException(tp + " has aborted transactions " + log.abortedTransactions());
            }
            long lso = log.lastStableOffset();
            for (RecordBatch b : log.allBatches()) {
                if (b.control()) {
                    continue;
                }
                if (!b.transactional()) {
                    throw new IllegalStateException(tp + " has a non-transactional batch " + b);
                }
                total += b.recordCount();
                if (b.lastOffset() < lso) {
                    stable += b.recordCount();
                }
            }
        }
        long committed = producer.committedRecords();
        if (total < committed || total > committed + txnSize || stable < committed - txnSize) {
            throw new IllegalStateException("the logs hold " + total + " transactional records (" + stable + " below the last stable offsets)"
                    + " but the producer saw " + committed + " committed in transactions of " + txnSize);
        }
    }

    private UnifiedLog leaderLog(TopicPartition tp) {
        for (int b : BROKERS) {
            if (sim.node(b).orElse(null) instanceof BrokerNode broker) {
                Partition p = broker.replicaManager().partitions().get(tp);
                if (p != null && p.leaderId() == b) {
                    return p.log();
                }
            }
        }
        throw new IllegalStateException("no broker leads " + tp);
    }

    @TearDown(Level.Iteration)
    public void report() {
        check();
        long txns = producer.committedTxns() - txnsAtStart;
        if (txns == 0) {
            throw new IllegalStateException("no transaction committed in " + (sim.nowNanos() - startNanos) / MS + " simulated ms");
        }
        verifyLogs();
        long ran = sim.nowNanos() - startNanos;
        System.out.printf("%n  %d simulated ms: %d transactions of %d committed (%.0f per simulated second, %.0f records),"
                        + " commit latency mean %.2f ms, max %.2f ms (simulated), %d events%n",
                ran / MS, txns, txnSize, txns * 1e9 / ran, txns * txnSize * 1e9 / ran,
                (producer.commitLatencyNanos() - latencyAtStart) / (double) txns / MS, producer.maxCommitLatencyNanos() / (double) MS,
                sim.eventsFired());
        sim = null;
        producer = null;
    }
}
