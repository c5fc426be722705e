package dev.samsa.harness.workload.groups;

import dev.samsa.impl.client.DefaultPartitioner;
import dev.samsa.impl.client.KafkaProducer;
import dev.samsa.impl.client.ProducerRecord;
import dev.samsa.impl.node.Context;
import dev.samsa.impl.node.Message;
import dev.samsa.impl.node.Node;
import dev.samsa.impl.node.Timer;
import dev.samsa.impl.protocol.ApiMessage;
import dev.samsa.impl.protocol.Errors;
import java.util.List;
import java.util.OptionalInt;

/**
 * Writes the members' poison records to the dead-letter topic {@code <topic>.DLT}, each in the
 * partition it came from, with its error header, and tells the member when all of a request's
 * records are acknowledged. (Kafka applications usually embed this producer; here it is its own
 * process so a member's consumer and producer do not share one client connection.)
 */
final class DeadLetterService implements Node {

    private final Context ctx;
    private final String topic;
    private final KafkaProducer producer;

    DeadLetterService(Context ctx, List<Integer> brokers, String deadLetterTopic) {
        this.ctx = ctx;
        this.topic = deadLetterTopic;
        this.producer = new KafkaProducer(ctx, brokers, new DefaultPartitioner(ctx.random().child("partitioner")));
    }

    @Override
    public void onStart() {}

    @Override
    public void onMessage(int from, Message message) {
        if (message instanceof DeadLetterMessage.Forward f) {
            forward(from, f);
        } else if (message instanceof ApiMessage a) {
            producer.onMessage(from, a);
        }
    }

    private void forward(int member, DeadLetterMessage.Forward f) {
        int[] pending = {f.records().size()};
        boolean[] ok = {true};
        for (DeadLetterMessage.Poison p : f.records()) {
            ProducerRecord r = new ProducerRecord(topic, OptionalInt.of(p.partition()), p.partition() + "@" + p.offset(), p.value(), -1, p.header());
            producer.send(r, result -> {
                ok[0] &= result.error() == Errors.NONE;
                if (--pending[0] == 0) {
                    ctx.send(member, new DeadLetterMessage.Done(f.requestId(), ok[0]));
                }
            });
        }
    }

    @Override
    public void onTimer(Timer timer) {
        producer.onTimer(timer);
    }

    @Override
    public void onDisconnect(int peer) {
        producer.onDisconnect(peer);
    }
}
