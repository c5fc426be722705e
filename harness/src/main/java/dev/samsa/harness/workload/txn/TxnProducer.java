package dev.samsa.harness.workload.txn;

import dev.samsa.impl.client.Callback;
import dev.samsa.impl.client.ConsumerGroupMetadata;
import dev.samsa.impl.client.DefaultPartitioner;
import dev.samsa.impl.client.KafkaProducer;
import dev.samsa.impl.client.OffsetAndMetadata;
import dev.samsa.impl.client.ProducerRecord;
import dev.samsa.impl.node.Context;
import dev.samsa.impl.node.Message;
import dev.samsa.impl.node.Timer;
import dev.samsa.impl.protocol.Errors;
import dev.samsa.impl.protocol.TopicPartition;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The transactional producer as the txn and eos clients use it: Kafka's KafkaProducer with a
 * {@code transactional.id} (its own settings; the run's otherwise), and the one place that
 * knows how its messages and timers are routed.
 */
public final class TxnProducer {

    private final KafkaProducer producer;

    public TxnProducer(Context ctx, List<Integer> brokers, String transactionalId) {
        this.producer = new KafkaProducer(ctx, brokers, new DefaultPartitioner(ctx.random().child("partitioner")),
                ctx.settings().with("transactional.id", transactionalId));
    }

    /** Fatal errors need a new producer (same transactional.id); others abort the transaction and go on. */
    public static boolean isFatal(Errors e) {
        return KafkaProducer.isFatal(e);
    }

    public void initTransactions(Consumer<Errors> done) {
        producer.initTransactions(done);
    }

    public void beginTransaction() {
        producer.beginTransaction();
    }

    public void send(ProducerRecord record, Callback callback) {
        producer.send(record, callback);
    }

    public void sendOffsetsToTransaction(Map<TopicPartition, OffsetAndMetadata> offsets, ConsumerGroupMetadata group, Consumer<Errors> done) {
        producer.sendOffsetsToTransaction(offsets, group, done);
    }

    public void commitTransaction(Consumer<Errors> done) {
        producer.commitTransaction(done);
    }

    public void abortTransaction(Consumer<Errors> done) {
        producer.abortTransaction(done);
    }

    public void onMessage(int from, Message message) {
        producer.onMessage(from, message);
    }

    public boolean onTimer(Timer timer) {
        return producer.onTimer(timer);
    }

    public void onDisconnect(int peer) {
        producer.onDisconnect(peer);
    }
}
