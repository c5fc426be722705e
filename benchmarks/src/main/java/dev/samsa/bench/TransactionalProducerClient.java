package dev.samsa.bench;

import dev.samsa.impl.client.DefaultPartitioner;
import dev.samsa.impl.client.KafkaProducer;
import dev.samsa.impl.client.ProducerRecord;
import dev.samsa.impl.client.SendResult;
import dev.samsa.impl.node.Context;
import dev.samsa.impl.node.Message;
import dev.samsa.impl.node.Node;
import dev.samsa.impl.node.Timer;
import dev.samsa.impl.protocol.Errors;
import dev.samsa.spec.config.Settings;
import java.util.List;
import java.util.OptionalInt;

/**
 * A client node running a transactional {@link KafkaProducer} back to back: initTransactions,
 * then forever beginTransaction, {@code txnSize} records (~100 bytes, each naming the next
 * partition in turn, so a transaction of at least {@code partitions} records spans every
 * partition), commitTransaction, and the next transaction as soon as the commit completes.
 *
 * <p>Counts committed transactions and records, and the simulated commit latency: from
 * commitTransaction() (which first flushes the transaction's batches) to its completion, the
 * time an application waits in Kafka's blocking commitTransaction(). Any failed record or
 * transactional operation is counted and stops the loop: the benchmark must see none.
 */
final class TransactionalProducerClient implements Node {

    /** Starts the next transaction from its own event, so the producer is not re-entered from its own callback. */
    private record NextTransaction() implements Timer {}

    private static final String VALUE = "x".repeat(80);

    private final Context ctx;
    private final String topic;
    private final int partitions;
    private final int txnSize;
    private final KafkaProducer producer;
    private int nextPartition;
    private long committedTxns;
    private long committedRecords;
    private long commitLatencyNanos;
    private long maxCommitLatencyNanos;
    private long failedRecords;
    private Errors failure;
    private long commitStartNanos;

    TransactionalProducerClient(Context ctx, List<Integer> brokers, String topic, int partitions, int txnSize, Settings settings) {
        this.ctx = ctx;
        this.topic = topic;
        this.partitions = partitions;
        this.txnSize = txnSize;
        this.producer = new KafkaProducer(ctx, brokers, new DefaultPartitioner(ctx.random().child("partitioner")), settings);
    }

    @Override
    public void onStart() {
        producer.initTransactions(e -> {
            if (!fail(e)) {
                ctx.setTimer(0, new NextTransaction());
            }
        });
    }

    private void nextTransaction() {
        producer.beginTransaction();
        for (int i = 0; i < txnSize; i++) {
            int p = nextPartition;
            nextPartition = (nextPartition + 1) % partitions;
            producer.send(new ProducerRecord(topic, OptionalInt.of(p), null, VALUE, -1), this::onCompletion);
        }
        commitStartNanos = ctx.nowNanos();
        producer.commitTransaction(e -> {
            if (fail(e)) {
                return;
            }
            long latency = ctx.nowNanos() - commitStartNanos;
            commitLatencyNanos += latency;
            maxCommitLatencyNanos = Math.max(maxCommitLatencyNanos, latency);
            committedTxns++;
            committedRecords += txnSize;
            ctx.setTimer(0, new NextTransaction());
        });
    }

    private boolean fail(Errors e) {
        if (e == Errors.NONE) {
            return false;
        }
        if (failure == null) {
            failure = e;
        }
        return true;
    }

    private void onCompletion(SendResult r) {
        if (!r.succeeded()) {
            failedRecords++;
            fail(r.error());
        }
    }

    @Override
    public void onMessage(int from, Message message) {
        producer.onMessage(from, message);
    }

    @Override
    public void onTimer(Timer timer) {
        if (timer instanceof NextTransaction) {
            nextTransaction();
            return;
        }
        producer.onTimer(timer);
    }

    @Override
    public void onDisconnect(int peer) {
        producer.onDisconnect(peer);
    }

    long committedTxns() {
        return committedTxns;
    }

    long committedRecords() {
        return committedRecords;
    }

    /** Sum of the simulated commit latencies of the committed transactions. */
    long commitLatencyNanos() {
        return commitLatencyNanos;
    }

    /** Forgets the largest latency so far (the warm-up's). */
    void resetMaxCommitLatency() {
        maxCommitLatencyNanos = 0;
    }

    long maxCommitLatencyNanos() {
        return maxCommitLatencyNanos;
    }

    long failedRecords() {
        return failedRecords;
    }

    /** The first error of a record or a transactional operation; null if none. */
    Errors failure() {
        return failure;
    }
}
