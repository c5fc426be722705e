package dev.samsa.harness.workload.eos;

import dev.samsa.harness.check.txn.EosValues;
import dev.samsa.harness.workload.txn.TxnClient;
import dev.samsa.harness.workload.txn.TxnHistory;
import dev.samsa.harness.workload.txn.TxnOp;
import dev.samsa.harness.workload.txn.TxnProducer;
import dev.samsa.impl.client.ConsumerRebalanceListener;
import dev.samsa.impl.client.ConsumerRecord;
import dev.samsa.impl.client.KafkaConsumer;
import dev.samsa.impl.client.OffsetAndMetadata;
import dev.samsa.impl.client.PositionReset;
import dev.samsa.impl.client.ProducerRecord;
import dev.samsa.impl.client.SendResult;
import dev.samsa.impl.node.Context;
import dev.samsa.impl.node.Message;
import dev.samsa.impl.node.Node;
import dev.samsa.impl.node.Timer;
import dev.samsa.impl.protocol.ApiMessage;
import dev.samsa.impl.protocol.Errors;
import dev.samsa.impl.protocol.GroupMessage;
import dev.samsa.impl.protocol.TopicPartition;
import dev.samsa.spec.bugs.Bug;
import dev.samsa.spec.config.Settings;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.function.IntConsumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The seed article's consume-transform-produce loop, one process of the application's group: a
 * read_committed consumer subscribed to the orders, and a transactional producer (on its own
 * node, {@link EosProducerNode}). Per poll, one transaction: count the orders of amount &gt; 100
 * per region, write each region's count to the output topic, and commit the consumed offsets
 * with {@code sendOffsetsToTransaction(offsets, consumer.groupMetadata())} in the same
 * transaction; {@code sim.txn.abort.percent} of them are aborted on purpose. After an abort the
 * loop seeks its consumer back to where the transaction's input began (the last committed
 * offsets) — unless {@code --bug KAFKA-17582} switches that rewind off, and the aborted input is
 * never processed again. A fatal error or a stuck transaction restarts the process, which resumes
 * from the group's committed offsets.
 */
final class EosProcessor implements Node, TxnClient {

    private record Think(long generation) implements Timer {}

    private record OpTimeout(long txn) implements Timer {}

    static final long OP_TIMEOUT_NANOS = 15_000_000_000L;
    static final String GROUP = "eos-app";

    /** The transaction in progress. */
    private static final class Txn {
        final long seq;
        final long invokeNanos;
        final List<TxnOp.Read> reads = new ArrayList<>();
        /** Where this transaction's input began, per partition: the rewind target after an abort. */
        final TreeMap<TopicPartition, Long> first = new TreeMap<>();
        final TreeMap<TopicPartition, Long> next = new TreeMap<>();
        final List<int[]> outputs = new ArrayList<>(); // {partition, region, count}
        final List<Long> values = new ArrayList<>();
        final List<Long> sendNanos = new ArrayList<>();
        final List<SendResult> results = new ArrayList<>();
        int pending;
        long commitNanos = -1;
        boolean abortOnPurpose;

        Txn(long seq, long invokeNanos) {
            this.seq = seq;
            this.invokeNanos = invokeNanos;
        }
    }

    private final Context ctx;
    private final int process;
    private final String input;
    private final String output;
    private final int partitions;
    private final TxnHistory history;
    private final Supplier<TxnProducer> producerNode;
    private final LongSupplier uniques;
    private final IntConsumer restartMe;
    private final List<Long> commitLatencies;
    private final KafkaConsumer consumer;
    private final int abortPercent;
    private TxnProducer producer;
    private Txn txn;
    private long txnSeq;
    private long thinkGeneration;
    private boolean ready;
    private boolean polling;
    private boolean restarting;

    EosProcessor(Context ctx, int process, List<Integer> brokers, String input, String output, int partitions, TxnHistory history,
            Supplier<TxnProducer> producerNode, LongSupplier uniques, IntConsumer restartMe, List<Long> commitLatencies) {
        this.ctx = ctx;
        this.process = process;
        this.input = input;
        this.output = output;
        this.partitions = partitions;
        this.history = history;
        this.producerNode = producerNode;
        this.uniques = uniques;
        this.restartMe = restartMe;
        this.commitLatencies = commitLatencies;
        // A killed member holds its group's rebalance until its session expires: the shortest
        // session the brokers allow (group.min.session.timeout.ms) keeps a 60 s run moving.
        Settings s = ctx.settings().with("group.id", GROUP).with("enable.auto.commit", "false").with("auto.offset.reset", "earliest")
                .with("isolation.level", "read_committed").with("session.timeout.ms", ctx.settings().get("group.min.session.timeout.ms"))
                .with("heartbeat.interval.ms", "1000");
        this.consumer = new KafkaConsumer(ctx, brokers, s);
        this.abortPercent = ctx.settings().getInt("sim.txn.abort.percent");
    }

    @Override
    public void onStart() {
        producer = producerNode.get();
        producer.initTransactions(e -> {
            if (e != Errors.NONE) {
                restart("initTransactions: " + e);
                return;
            }
            ready = true;
            consumer.subscribe(List.of(input), ConsumerRebalanceListener.NOOP);
            think();
        });
    }

    private void think() {
        thinkGeneration++;
        ctx.setTimer(ctx.random().nextLong(1_000_000L, 10_000_000L), new Think(thinkGeneration));
    }

    private void poll() {
        polling = true;
        long generation = thinkGeneration;
        consumer.poll(100, (records, resets) -> onPolled(generation, records, resets));
    }

    private void onPolled(long generation, List<ConsumerRecord> records, List<PositionReset> resets) {
        polling = false;
        if (restarting || generation != thinkGeneration) {
            return;
        }
        if (records.isEmpty()) {
            think();
            return;
        }
        process(records);
    }

    private void process(List<ConsumerRecord> records) {
        Txn t = new Txn(++txnSeq, ctx.nowNanos());
        t.abortOnPurpose = ctx.random().nextInt(100) < abortPercent;
        txn = t;
        producer.beginTransaction();
        int[] counts = new int[EosValues.REGIONS];
        for (ConsumerRecord r : records) {
            long order = Long.parseLong(r.value());
            t.reads.add(new TxnOp.Read(r.tp().partition(), r.offset(), order));
            t.first.merge(r.tp(), r.offset(), Math::min);
            t.next.merge(r.tp(), r.offset() + 1, Math::max);
            if (EosValues.counted(order)) {
                counts[EosValues.region(order)]++;
            }
        }
        for (int region = 0; region < counts.length; region++) {
            if (counts[region] > 0) {
                t.outputs.add(new int[] {region % partitions, region, counts[region]});
            }
        }
        ctx.setTimer(OP_TIMEOUT_NANOS, new OpTimeout(t.seq));
        t.pending = t.outputs.size();
        for (int i = 0; i < t.outputs.size(); i++) {
            int[] o = t.outputs.get(i);
            long value = EosValues.output(uniques.getAsLong(), o[1], o[2]);
            t.values.add(value);
            t.sendNanos.add(ctx.nowNanos());
            t.results.add(null);
            int index = i;
            producer.send(new ProducerRecord(output, OptionalInt.of(o[0]), "c" + value, Long.toString(value), -1), r -> onSent(t, index, r));
        }
        if (t.pending == 0) {
            sendOffsets(t);
        }
    }

    private void onSent(Txn t, int index, SendResult r) {
        if (txn != t) {
            return;
        }
        t.results.set(index, r);
        if (--t.pending > 0) {
            return;
        }
        for (SendResult x : t.results) {
            if (x.error() != Errors.NONE) {
                failed(t, "send: " + x.error(), x.error());
                return;
            }
        }
        sendOffsets(t);
    }

    private void sendOffsets(Txn t) {
        TreeMap<TopicPartition, OffsetAndMetadata> offsets = new TreeMap<>();
        t.next.forEach((tp, next) -> offsets.put(tp, new OffsetAndMetadata(next)));
        producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata(), e -> {
            if (txn != t) {
                return;
            }
            if (e != Errors.NONE) {
                failed(t, "sendOffsetsToTransaction: " + e, e);
            } else if (t.abortOnPurpose) {
                abort(t, "aborted on purpose");
            } else {
                t.commitNanos = ctx.nowNanos();
                producer.commitTransaction(c -> onCommitted(t, c));
            }
        });
    }

    private void failed(Txn t, String why, Errors e) {
        if (TxnProducer.isFatal(e)) {
            finish(t, t.commitNanos < 0 ? TxnOp.Outcome.FAIL : TxnOp.Outcome.INFO, why);
            restart(why);
        } else {
            abort(t, why);
        }
    }

    private void onCommitted(Txn t, Errors e) {
        if (txn != t) {
            return;
        }
        if (e == Errors.NONE) {
            commitLatencies.add(ctx.nowNanos() - t.commitNanos);
            finish(t, TxnOp.Outcome.OK, "");
            think();
        } else if (TxnProducer.isFatal(e)) {
            finish(t, TxnOp.Outcome.INFO, "commit: " + e);
            restart("commit: " + e);
        } else {
            abort(t, "commit: " + e);
        }
    }

    private void abort(Txn t, String why) {
        producer.abortTransaction(e -> {
            if (txn != t) {
                return;
            }
            if (e != Errors.NONE) {
                finish(t, t.commitNanos < 0 ? TxnOp.Outcome.FAIL : TxnOp.Outcome.INFO, why + "; abort: " + e);
                restart("abort: " + e);
                return;
            }
            finish(t, TxnOp.Outcome.FAIL, why);
            rewind(t);
            think();
        });
    }

    /** Back to where the aborted transaction's input began, so it is processed again (KAFKA-17582's missing step). */
    private void rewind(Txn t) {
        if (ctx.bug(Bug.KAFKA_17582)) {
            ctx.reached("eos.abort-without-rewind");
            return;
        }
        Collection<TopicPartition> assigned = consumer.assignment();
        t.first.forEach((tp, offset) -> {
            if (assigned.contains(tp)) {
                consumer.seek(tp, offset);
            }
        });
    }

    private void finish(Txn t, TxnOp.Outcome outcome, String error) {
        txn = null;
        List<TxnOp.Write> writes = new ArrayList<>();
        for (int i = 0; i < t.values.size(); i++) {
            SendResult r = t.results.get(i);
            long offset = r != null && r.error() == Errors.NONE ? r.offset() : -1;
            writes.add(new TxnOp.Write(EosValues.OUTPUT_KEY_BASE + t.outputs.get(i)[0], t.values.get(i), offset, t.sendNanos.get(i)));
        }
        history.add(process, TxnOp.Type.TXN, t.invokeNanos, ctx.nowNanos(), outcome, writes, t.reads, List.of(), t.commitNanos, error);
    }

    private void restart(String why) {
        if (!restarting) {
            restarting = true;
            ready = false;
            ctx.trace("restarting the processor after " + why);
            restartMe.accept(ctx.nodeId());
        }
    }

    @Override
    public void abandon(String why) {
        Txn t = txn;
        if (t != null) {
            finish(t, t.commitNanos < 0 ? TxnOp.Outcome.FAIL : TxnOp.Outcome.INFO, why);
        }
    }

    @Override
    public boolean transactionOpen() {
        return txn != null;
    }

    @Override
    public int process() {
        return process;
    }

    @Override
    public void onMessage(int from, Message message) {
        if (message instanceof ApiMessage a) {
            consumer.onMessage(from, a);
        } else if (message instanceof GroupMessage g) {
            consumer.onMessage(from, g);
        }
    }

    @Override
    public void onTimer(Timer timer) {
        if (timer instanceof Think t) {
            if (t.generation() == thinkGeneration && ready && txn == null && !polling && !restarting) {
                poll();
            }
        } else if (timer instanceof OpTimeout t) {
            if (txn != null && txn.seq == t.txn()) {
                finish(txn, txn.commitNanos < 0 ? TxnOp.Outcome.FAIL : TxnOp.Outcome.INFO, "OPERATION_TIMED_OUT");
                restart("a transaction stuck for " + OP_TIMEOUT_NANOS / 1_000_000_000L + " s");
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
