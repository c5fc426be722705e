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

    private record Think(long generation) implements Timer {}

    private record OpTimeout(long op) implements Timer {}

    /** An operation not complete after this long is recorded as unknown; the client moves on. */
    static final long OP_TIMEOUT_NANOS = 10_000_000_000L;

    /** One send operation: 1 to 3 new values to one key. */
    private static final class Op {
        final long seq;
        final long invokeNanos;
        final int key;
        final long[] values;
        final SendResult[] results;
        int pending;

        Op(long seq, long invokeNanos, int key, int n) {
            this.seq = seq;
            this.invokeNanos = invokeNanos;
            this.key = key;
            this.values = new long[n];
            this.results = new SendResult[n];
            this.pending = n;
        }
    }

    private final Context ctx;
    private final int process;
    private final String topic;
    private final String[] recordKeys;
    private final QueueHistory history;
    private final BooleanSupplier issuing;
    private final KafkaProducer producer;
    private final long[] nextValue;
    /** How many operations may be in flight at once (sim.producer.pipeline): more than one puts several batches of a partition in flight. */
    private final int pipeline;
    private final java.util.TreeMap<Long, Op> inFlight = new java.util.TreeMap<>();
    private long opSeq;
    private long thinkGeneration;

    QueueProducerClient(Context ctx, int process, List<Integer> brokers, String topic, String[] recordKeys, QueueHistory history, BooleanSupplier issuing) {
        this.ctx = ctx;
        this.process = process;
        this.topic = topic;
        this.recordKeys = recordKeys;
        this.history = history;
        this.issuing = issuing;
        this.producer = new KafkaProducer(ctx, brokers, new DefaultPartitioner(ctx.random().child("partitioner")));
        this.nextValue = new long[recordKeys.length];
        this.pipeline = Math.max(1, ctx.settings().getInt("sim.producer.pipeline"));
    }

    @Override
    public void onStart() {
        think();
    }

    private void think() {
        thinkGeneration++;
        ctx.setTimer(ctx.random().nextLong(1_000_000L, 20_000_000L), new Think(thinkGeneration));
    }

    private void begin() {
        Op op = new Op(++opSeq, ctx.nowNanos(), ctx.random().nextInt(recordKeys.length), 1 + ctx.random().nextInt(3));
        inFlight.put(op.seq, op);
        for (int i = 0; i < op.values.length; i++) {
            // unique per key, increasing per producer: value = sequence * 100 + process
            op.values[i] = (++nextValue[op.key]) * 100 + process;
            int index = i;
            producer.send(new ProducerRecord(topic, OptionalInt.empty(), recordKeys[op.key], Long.toString(op.values[i]), -1),
                    result -> onResult(op, index, result));
        }
        ctx.setTimer(OP_TIMEOUT_NANOS, new OpTimeout(op.seq));
    }

    private void onResult(Op op, int index, SendResult r) {
        if (!inFlight.containsKey(op.seq)) {
            return; // the operation was already recorded as unknown
        }
        op.results[index] = r;
        if (--op.pending == 0) {
            complete(op, false);
        }
    }

    private void complete(Op op, boolean timedOut) {
        inFlight.remove(op.seq);
        List<QueueOp.Send> sends = new ArrayList<>(op.values.length);
        boolean allOk = !timedOut;
        boolean anyMaybe = timedOut;
        String error = timedOut ? "OPERATION_TIMED_OUT" : "";
        for (int i = 0; i < op.values.length; i++) {
            SendResult r = op.results[i];
            long offset = r != null && r.error() == Errors.NONE ? r.offset() : -1;
            sends.add(new QueueOp.Send(op.key, op.values[i], offset));
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
        history.add(process, QueueOp.Type.SEND, op.invokeNanos, ctx.nowNanos(), outcome, List.of(op.key), sends, List.of(), List.of(), error);
        if (pipeline == 1) {
            think(); // one operation at a time: the next one after a pause
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
            if (t.generation() != thinkGeneration) {
                return;
            }
            if (inFlight.size() < pipeline && issuing.getAsBoolean()) {
                begin();
            }
            if (pipeline > 1 || inFlight.isEmpty()) {
                think(); // pipelined: keep issuing while below the bound; else stay idle but alive
            }
        } else if (timer instanceof OpTimeout t) {
            Op op = inFlight.get(t.op());
            if (op != null) {
                complete(op, true);
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
        for (Op op : new ArrayList<>(inFlight.values())) {
            complete(op, true);
        }
    }
}
