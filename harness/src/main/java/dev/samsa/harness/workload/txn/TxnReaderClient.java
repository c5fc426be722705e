package dev.samsa.harness.workload.txn;

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
import java.util.Map;
import java.util.OptionalLong;

/**
 * A reader of the txn and eos workloads: assigns every partition of its topics from the
 * beginning with the run's {@code isolation.level} and polls until the run ends (through the
 * quiesce phase, so the last reads reach every partition's end). Each poll that returned
 * something is one POLL operation; partition p of a topic is key {@code keyBase + p}.
 */
public final class TxnReaderClient implements Node {

    private record Think(long op) implements Timer {}

    static final long POLL_TIMEOUT_MS = 100;

    private final Context ctx;
    private final int process;
    private final Map<String, Integer> keyBases;
    private final int partitions;
    private final TxnHistory history;
    private final KafkaConsumer consumer;
    private long opSeq;
    private long invokeNanos;
    private boolean polling;

    /** {@code keyBases}: topic -> the key of its partition 0. */
    public TxnReaderClient(Context ctx, int process, List<Integer> brokers, Map<String, Integer> keyBases, int partitions, TxnHistory history) {
        this.ctx = ctx;
        this.process = process;
        this.keyBases = new java.util.TreeMap<>(keyBases);
        this.partitions = partitions;
        this.history = history;
        this.consumer = new KafkaConsumer(ctx, brokers);
    }

    @Override
    public void onStart() {
        List<TopicPartition> tps = new ArrayList<>();
        for (String topic : keyBases.keySet()) {
            for (int p = 0; p < partitions; p++) {
                tps.add(new TopicPartition(topic, p));
            }
        }
        consumer.assign(tps);
        consumer.seekToBeginning(tps);
        think();
    }

    private void think() {
        ctx.setTimer(ctx.random().nextLong(1_000_000L, 20_000_000L), new Think(opSeq));
    }

    private int key(TopicPartition tp) {
        return keyBases.get(tp.topic()) + tp.partition();
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
        List<TxnOp.Read> reads = new ArrayList<>(records.size());
        for (ConsumerRecord r : records) {
            reads.add(new TxnOp.Read(key(r.tp()), r.offset(), Long.parseLong(r.value())));
        }
        List<TxnOp.Reset> rs = new ArrayList<>(resets.size());
        for (PositionReset r : resets) {
            rs.add(new TxnOp.Reset(key(r.tp()), r.fromOffset(), r.toOffset(), r.reason()));
        }
        if (!reads.isEmpty() || !rs.isEmpty()) {
            history.add(process, TxnOp.Type.POLL, invokeNanos, ctx.nowNanos(), TxnOp.Outcome.OK, List.of(), reads, rs, -1, "");
        }
        think();
    }

    /** The next offset this reader would return for {@code tp}, if known. */
    public OptionalLong position(TopicPartition tp) {
        return consumer.position(tp);
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
