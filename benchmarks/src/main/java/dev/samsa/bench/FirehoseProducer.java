package dev.samsa.bench;

import dev.samsa.impl.client.DefaultPartitioner;
import dev.samsa.impl.client.KafkaProducer;
import dev.samsa.impl.client.ProducerRecord;
import dev.samsa.impl.client.SendResult;
import dev.samsa.impl.node.Context;
import dev.samsa.impl.node.Message;
import dev.samsa.impl.node.Node;
import dev.samsa.impl.node.Timer;
import dev.samsa.impl.protocol.ApiMessage;
import dev.samsa.impl.protocol.Errors;
import java.util.List;
import java.util.OptionalInt;

/**
 * A client node that keeps a {@link KafkaProducer} saturated: {@code outstanding} records are
 * always sent and not yet completed. Completions are counted in the callback; the records that
 * replace them are sent once the producer has finished handling the event (same simulated
 * instant), so the producer is never re-entered from inside its own callback.
 *
 * <p>Records are about 100 bytes (20 of overhead, an 80-byte value that all records share: the
 * simulation passes objects, so sharing it costs nothing in realism and saves memory). Keyless
 * records go where Kafka's sticky partitioner puts them; with {@code roundRobin} each record
 * names its partition explicitly, in turn.
 */
final class FirehoseProducer implements Node {

    private static final String VALUE = "x".repeat(80);

    private final String topic;
    private final int partitions;
    private final boolean roundRobin;
    private final int outstanding;
    private final KafkaProducer producer;
    private long sent;
    private long acknowledged;
    private long failed;
    private int nextPartition;

    FirehoseProducer(Context ctx, List<Integer> brokers, String topic, int partitions, boolean roundRobin, int outstanding) {
        this.topic = topic;
        this.partitions = partitions;
        this.roundRobin = roundRobin;
        this.outstanding = outstanding;
        this.producer = new KafkaProducer(ctx, brokers, new DefaultPartitioner(ctx.random().child("partitioner")));
    }

    @Override
    public void onStart() {
        topUp();
    }

    @Override
    public void onMessage(int from, Message message) {
        if (message instanceof ApiMessage a) {
            producer.onMessage(from, a);
        }
        topUp();
    }

    @Override
    public void onTimer(Timer timer) {
        producer.onTimer(timer);
        topUp();
    }

    @Override
    public void onDisconnect(int peer) {
        producer.onDisconnect(peer);
        topUp();
    }

    private void topUp() {
        while (sent - acknowledged - failed < outstanding) {
            OptionalInt partition = OptionalInt.empty();
            if (roundRobin) {
                partition = OptionalInt.of(nextPartition);
                nextPartition = (nextPartition + 1) % partitions;
            }
            sent++;
            producer.send(new ProducerRecord(topic, partition, null, VALUE, -1), this::onCompletion);
        }
    }

    private void onCompletion(SendResult r) {
        if (r.error() == Errors.NONE) {
            acknowledged++;
        } else {
            failed++;
        }
    }

    /** Records the cluster acknowledged (for acks=0 this counts records merely sent). */
    long acknowledged() {
        return acknowledged;
    }

    long failed() {
        return failed;
    }
}
