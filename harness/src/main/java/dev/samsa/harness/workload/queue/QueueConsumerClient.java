package dev.samsa.harness.workload.queue;

import dev.samsa.impl.client.ConsumerRecord;
import dev.samsa.impl.client.KafkaConsumer;
import dev.samsa.impl.client.PositionReset;
import dev.samsa.impl.node.Context;
import dev.samsa.impl.node.Message;
import dev.samsa.impl.node.Node;
import dev.samsa.impl.node.Timer;
import dev.samsa.impl.protocol.ApiMessage;
import dev.samsa.impl.protocol.TopicPartition;
import java.util.ArrayList;
import java.util.List;

/**
 * A consumer process of the queue workload: assigns every partition of the topic from the
 * beginning, then polls in a loop until the run ends (through the quiesce phase too, so the
 * last reads reach every partition's end). Each poll is one operation.
 */
final class QueueConsumerClient implements Node {

    private record Think(long op) implements Timer {}

    static final long POLL_TIMEOUT_MS = 100;

    private final Context ctx;
    private final int process;
    private final String topic;
    private final int partitions;
    private final QueueHistory history;
    private final KafkaConsumer consumer;
    private long opSeq;
    private long invokeNanos;
    private boolean polling;

    QueueConsumerClient(Context ctx, int process, List<Integer> brokers, String topic, int partitions, QueueHistory history) {
        this.ctx = ctx;
        this.process = process;
        this.topic = topic;
        this.partitions = partitions;
        this.history = history;
        this.consumer = new KafkaConsumer(ctx, brokers);
    }

    @Override
    public void onStart() {
        List<TopicPartition> tps = new ArrayList<>();
        List<Integer> keys = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            tps.add(new TopicPartition(topic, p));
            keys.add(p);
        }
        long now = ctx.nowNanos();
        consumer.assign(tps);
        consumer.seekToBeginning(tps);
        history.add(process, QueueOp.Type.ASSIGN, now, now, QueueOp.Outcome.OK, keys, List.of(), List.of(), List.of(), "");
        think();
    }

    private void think() {
        ctx.setTimer(ctx.random().nextLong(1_000_000L, 20_000_000L), new Think(opSeq));
    }

    private void poll() {
        opSeq++;
        polling = true;
        invokeNanos = ctx.nowNanos();
        long op = opSeq;
        consumer.poll(POLL_TIMEOUT_MS, (records, resets) -> onPolled(op, records, resets));
    }

    private void onPolled(long op, List<ConsumerRecord> records, List<PositionReset> resets) {
        if (!polling || op != opSeq) {
            return;
        }
        polling = false;
        List<QueueOp.Poll> polls = new ArrayList<>(records.size());
        for (ConsumerRecord r : records) {
            polls.add(new QueueOp.Poll(r.tp().partition(), r.offset(), Long.parseLong(r.value())));
        }
        List<QueueOp.Reset> rs = new ArrayList<>(resets.size());
        for (PositionReset r : resets) {
            rs.add(new QueueOp.Reset(r.tp().partition(), r.fromOffset(), r.toOffset(), r.reason()));
        }
        if (!polls.isEmpty() || !rs.isEmpty()) {
            history.add(process, QueueOp.Type.POLL, invokeNanos, ctx.nowNanos(), QueueOp.Outcome.OK, List.of(), List.of(), polls, rs, "");
        }
        think();
    }

    @Override
    public void onMessage(int from, Message message) {
        if (message instanceof ApiMessage a) {
            consumer.onMessage(from, a);
        }
    }

    @Override
    public void onTimer(Timer timer) {
        if (timer instanceof Think t) {
            if (!polling && t.op() == opSeq) {
                poll();
            }
        } else {
            consumer.onTimer(timer);
        }
    }

    @Override
    public void onDisconnect(int peer) {
        consumer.onDisconnect(peer);
    }
}
