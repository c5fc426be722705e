package dev.samsa.harness.workload.groups;

import dev.samsa.harness.check.groups.GroupHistory;
import dev.samsa.harness.check.groups.GroupOp;
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
import java.util.function.BooleanSupplier;

/**
 * Feeds the groups' topic: every few milliseconds a new value to a random partition, values
 * unique and increasing per partition ({@code sequence * 100}), so every record is
 * identifiable; poison values are those the promise says. Acknowledged records are recorded
 * with their offsets, so the checker knows which offsets hold a record.
 */
final class GroupsProducer implements Node {

    private record Think(long seq) implements Timer {}

    private final Context ctx;
    private final int process;
    private final String topic;
    private final int partitions;
    private final GroupHistory history;
    private final BooleanSupplier issuing;
    private final KafkaProducer producer;
    private final long[] nextSequence;
    private long seq;

    GroupsProducer(Context ctx, int process, List<Integer> brokers, String topic, int partitions, GroupHistory history, BooleanSupplier issuing) {
        this.ctx = ctx;
        this.process = process;
        this.topic = topic;
        this.partitions = partitions;
        this.history = history;
        this.issuing = issuing;
        this.producer = new KafkaProducer(ctx, brokers, new DefaultPartitioner(ctx.random().child("partitioner")));
        this.nextSequence = new long[partitions];
    }

    @Override
    public void onStart() {
        think();
    }

    private void think() {
        ctx.setTimer(ctx.random().nextLong(2_000_000L, 20_000_000L), new Think(++seq));
    }

    private void send() {
        int p = ctx.random().nextInt(partitions);
        long value = (++nextSequence[p]) * 100;
        long invoke = ctx.nowNanos();
        producer.send(new ProducerRecord(topic, OptionalInt.of(p), "p" + p, Long.toString(value), -1), r -> onResult(invoke, p, value, r));
    }

    private void onResult(long invoke, int partition, long value, SendResult r) {
        if (r.error() == Errors.NONE && r.offset() >= 0) {
            history.add(process, "", GroupOp.Type.SEND, invoke, ctx.nowNanos(), GroupOp.Outcome.OK, -1, "", "", List.of(), List.of(),
                    List.of(new GroupOp.Rec(partition, r.offset(), value, "")), false, "");
        }
    }

    @Override
    public void onMessage(int from, Message message) {
        if (message instanceof ApiMessage a) {
            producer.onMessage(from, a);
        }
    }

    @Override
    public void onTimer(Timer timer) {
        if (timer instanceof Think t) {
            if (t.seq() == seq) {
                if (issuing.getAsBoolean()) {
                    send();
                }
                think();
            }
        } else {
            producer.onTimer(timer);
        }
    }

    @Override
    public void onDisconnect(int peer) {
        producer.onDisconnect(peer);
    }
}
