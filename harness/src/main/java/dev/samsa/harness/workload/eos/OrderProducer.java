package dev.samsa.harness.workload.eos;

import dev.samsa.harness.check.txn.EosValues;
import dev.samsa.harness.workload.txn.TxnHistory;
import dev.samsa.harness.workload.txn.TxnOp;
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
 * The eos workload's source of orders: an idempotent (non-transactional) producer writing one
 * order at a time to the input topic, partitioned by region (region r goes to partition r mod
 * partitions). An order is a unique value whose region and amount {@link EosValues} derives;
 * its record key is its own, so a compacted topic removes no order.
 */
final class OrderProducer implements Node {

    private record Think() implements Timer {}

    private record OpTimeout(long op) implements Timer {}

    static final long OP_TIMEOUT_NANOS = 10_000_000_000L;

    private final Context ctx;
    private final int process;
    private final String topic;
    private final int partitions;
    private final TxnHistory history;
    private final BooleanSupplier issuing;
    private final KafkaProducer producer;
    private long seq;
    private long inFlight = -1;
    private long invokeNanos;
    private long value;

    OrderProducer(Context ctx, int process, List<Integer> brokers, String topic, int partitions, TxnHistory history, BooleanSupplier issuing) {
        this.ctx = ctx;
        this.process = process;
        this.topic = topic;
        this.partitions = partitions;
        this.history = history;
        this.issuing = issuing;
        this.producer = new KafkaProducer(ctx, brokers, new DefaultPartitioner(ctx.random().child("partitioner")));
    }

    @Override
    public void onStart() {
        think();
    }

    private void think() {
        ctx.setTimer(ctx.random().nextLong(2_000_000L, 40_000_000L), new Think());
    }

    private void send() {
        long op = ++seq;
        inFlight = op;
        value = op;
        invokeNanos = ctx.nowNanos();
        int region = EosValues.region(value);
        int partition = region % partitions;
        producer.send(new ProducerRecord(topic, OptionalInt.of(partition), "o" + value, Long.toString(value), -1), r -> onSent(op, partition, r));
        ctx.setTimer(OP_TIMEOUT_NANOS, new OpTimeout(op));
    }

    private void onSent(long op, int partition, SendResult r) {
        if (op != inFlight) {
            return;
        }
        TxnOp.Outcome outcome = r.error() == Errors.NONE && r.offset() >= 0 ? TxnOp.Outcome.OK
                : r.error() != Errors.NONE && !r.maybeAppended() ? TxnOp.Outcome.FAIL : TxnOp.Outcome.INFO;
        record(partition, r.error() == Errors.NONE ? r.offset() : -1, outcome, r.error() == Errors.NONE ? "" : r.error().name());
    }

    private void record(int partition, long offset, TxnOp.Outcome outcome, String error) {
        inFlight = -1;
        history.add(process, TxnOp.Type.SEND, invokeNanos, ctx.nowNanos(), outcome, List.of(new TxnOp.Write(partition, value, offset, invokeNanos)),
                List.of(), List.of(), -1, error);
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
        if (timer instanceof Think) {
            if (inFlight < 0) {
                if (issuing.getAsBoolean()) {
                    send();
                } else {
                    think();
                }
            }
        } else if (timer instanceof OpTimeout t) {
            if (t.op() == inFlight) {
                record(EosValues.region(value) % partitions, -1, TxnOp.Outcome.INFO, "OPERATION_TIMED_OUT");
            }
        } else {
            producer.onTimer(timer);
        }
    }

    @Override
    public void onDisconnect(int peer) {
        producer.onDisconnect(peer);
    }

    /** At the end of the run: an order still in flight has an unknown outcome. */
    void abandon() {
        if (inFlight >= 0) {
            record(EosValues.region(value) % partitions, -1, TxnOp.Outcome.INFO, "the run ended");
        }
    }
}
