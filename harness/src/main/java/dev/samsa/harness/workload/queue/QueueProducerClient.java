package dev.samsa.harness.workload.queue;

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
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.function.BooleanSupplier;

/**
 * A producer process of the queue workload: one operation at a time, each sending 1 to 3 new
 * values to one key through a {@link KafkaProducer}, recorded with an honest outcome. Each
 * key's record key is chosen so Kafka's default partitioner maps it to partition = key.
 */
final class QueueProducerClient implements Node {

    private record Think(long op) implements Timer {}

    private record OpTimeout(long op) implements Timer {}

    /** An operation not complete after this long is recorded as unknown; the client moves on. */
    static final long OP_TIMEOUT_NANOS = 10_000_000_000L;

    private final Context ctx;
    private final int process;
    private final String topic;
    private final String[] recordKeys;
    private final QueueHistory history;
    private final BooleanSupplier issuing;
    private final KafkaProducer producer;
    private final long[] nextValue;

    private long opSeq;
    private boolean inFlight;
    private long invokeNanos;
    private int key;
    private long[] values;
    private SendResult[] results;
    private int pending;

    QueueProducerClient(Context ctx, int process, List<Integer> brokers, String topic, String[] recordKeys, QueueHistory history, BooleanSupplier issuing) {
        this.ctx = ctx;
        this.process = process;
        this.topic = topic;
        this.recordKeys = recordKeys;
        this.history = history;
        this.issuing = issuing;
        this.producer = new KafkaProducer(ctx, brokers, new DefaultPartitioner(ctx.random().child("partitioner")));
        this.nextValue = new long[recordKeys.length];
    }

    @Override
    public void onStart() {
        think();
    }

    private void think() {
        ctx.setTimer(ctx.random().nextLong(1_000_000L, 20_000_000L), new Think(opSeq));
    }

    private void begin() {
        opSeq++;
        inFlight = true;
        invokeNanos = ctx.nowNanos();
        key = ctx.random().nextInt(recordKeys.length);
        int n = 1 + ctx.random().nextInt(3);
        values = new long[n];
        results = new SendResult[n];
        pending = n;
        long op = opSeq;
        for (int i = 0; i < n; i++) {
            // unique per key, increasing per producer: value = sequence * 100 + process
            values[i] = (++nextValue[key]) * 100 + process;
            int index = i;
            producer.send(new ProducerRecord(topic, OptionalInt.empty(), recordKeys[key], Long.toString(values[i]), -1),
                    result -> onResult(op, index, result));
        }
        ctx.setTimer(OP_TIMEOUT_NANOS, new OpTimeout(op));
    }

    private void onResult(long op, int index, SendResult r) {
        if (!inFlight || op != opSeq) {
            return; // the operation was already recorded as unknown
        }
        results[index] = r;
        if (--pending == 0) {
            complete(false);
        }
    }

    private void complete(boolean timedOut) {
        List<QueueOp.Send> sends = new ArrayList<>(values.length);
        boolean allOk = !timedOut;
        boolean anyMaybe = timedOut;
        String error = timedOut ? "OPERATION_TIMED_OUT" : "";
        for (int i = 0; i < values.length; i++) {
            SendResult r = results[i];
            long offset = r != null && r.error() == Errors.NONE ? r.offset() : -1;
            sends.add(new QueueOp.Send(key, values[i], offset));
            if (r == null) {
                allOk = false;
                anyMaybe = true;
            } else if (r.error() != Errors.NONE) {
                allOk = false;
                anyMaybe |= r.maybeAppended();
                error = r.error().name();
            } else if (r.offset() < 0) {
                allOk = false; // acks=0: no acknowledgement, so no knowledge
                anyMaybe = true;
            } else {
                anyMaybe = true; // a record of this op was appended
            }
        }
        QueueOp.Outcome outcome = allOk ? QueueOp.Outcome.OK : anyMaybe ? QueueOp.Outcome.INFO : QueueOp.Outcome.FAIL;
        history.add(process, QueueOp.Type.SEND, invokeNanos, ctx.nowNanos(), outcome, List.of(key), sends, List.of(), List.of(), error);
        inFlight = false;
        think();
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
            if (!inFlight && t.op() == opSeq) {
                if (issuing.getAsBoolean()) {
                    begin();
                } else {
                    think(); // quiescing: stay idle but alive
                }
            }
        } else if (timer instanceof OpTimeout t) {
            if (inFlight && t.op() == opSeq) {
                complete(true);
            }
        } else {
            producer.onTimer(timer);
        }
    }

    @Override
    public void onDisconnect(int peer) {
        producer.onDisconnect(peer);
    }

    /** At the end of the run: an operation still in flight has an unknown outcome. */
    void abandon() {
        if (inFlight) {
            complete(true);
        }
    }
}
