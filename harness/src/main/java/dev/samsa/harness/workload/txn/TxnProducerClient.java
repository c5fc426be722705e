package dev.samsa.harness.workload.txn;

import dev.samsa.impl.client.ProducerRecord;
import dev.samsa.impl.client.SendResult;
import dev.samsa.impl.log.ControlRecordType;
import dev.samsa.impl.node.Context;
import dev.samsa.impl.node.Message;
import dev.samsa.impl.node.Node;
import dev.samsa.impl.node.Timer;
import dev.samsa.impl.protocol.Errors;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.function.BooleanSupplier;
import java.util.function.IntConsumer;
import java.util.function.IntToLongFunction;

/**
 * A transactional producer of the txn workload (Jepsen's {@code :txn} operations, writes only):
 * after {@code initTransactions}, one transaction at a time, each 1 to 4 sends of new values to
 * random keys (partition k is key k), then a commit — or, for {@code sim.txn.abort.percent} of
 * them, an abort on purpose. Outcomes: OK committed, FAIL aborted (or never asked to commit),
 * INFO unknown. After a fatal error (fenced) or an operation stuck past {@link #OP_TIMEOUT_NANOS}
 * the process asks to be restarted: a new producer with the same {@code transactional.id}, whose
 * {@code initTransactions} fences the old one and aborts what it left open.
 */
final class TxnProducerClient implements Node, TxnClient {

    private record Think(long generation) implements Timer {}

    private record OpTimeout(long op) implements Timer {}

    private record NextSend(long op) implements Timer {}

    static final long OP_TIMEOUT_NANOS = 15_000_000_000L;

    /** The transaction in progress. */
    private static final class Txn {
        final long seq;
        final long invokeNanos;
        final int[] keys;
        final long[] values;
        final long[] sendNanos;
        final SendResult[] results;
        int pending;
        /** Sends issued so far (they go one at a time). */
        int sent;
        long commitNanos = -1;
        boolean abortOnPurpose;

        Txn(long seq, long invokeNanos, int n) {
            this.seq = seq;
            this.invokeNanos = invokeNanos;
            this.keys = new int[n];
            this.values = new long[n];
            this.sendNanos = new long[n];
            this.results = new SendResult[n];
            this.pending = n;
        }
    }

    private final Context ctx;
    private final int process;
    private final List<Integer> brokers;
    private final String topic;
    private final int partitions;
    private final String transactionalId;
    private final TxnHistory history;
    private final BooleanSupplier issuing;
    private final IntToLongFunction nextValue;
    private final IntConsumer restartMe;
    private final int abortPercent;
    private final List<Long> commitLatencies;
    private TxnProducer producer;
    private boolean ready;
    private Txn txn;
    private long txnSeq;
    private long thinkGeneration;
    private boolean restarting;

    TxnProducerClient(Context ctx, int process, List<Integer> brokers, String topic, int partitions, String transactionalId, TxnHistory history,
            BooleanSupplier issuing, IntToLongFunction nextValue, IntConsumer restartMe, List<Long> commitLatencies) {
        this.ctx = ctx;
        this.process = process;
        this.brokers = brokers;
        this.topic = topic;
        this.partitions = partitions;
        this.transactionalId = transactionalId;
        this.history = history;
        this.issuing = issuing;
        this.nextValue = nextValue;
        this.restartMe = restartMe;
        this.abortPercent = ctx.settings().getInt("sim.txn.abort.percent");
        this.commitLatencies = commitLatencies;
    }

    @Override
    public void onStart() {
        producer = new TxnProducer(ctx, brokers, transactionalId);
        producer.initTransactions(this::onInit);
    }

    private void onInit(Errors e) {
        if (e == Errors.NONE) {
            ready = true;
            think();
        } else {
            restart("initTransactions: " + e); // a new producer tries again
        }
    }

    private void think() {
        thinkGeneration++;
        ctx.setTimer(ctx.random().nextLong(1_000_000L, 20_000_000L), new Think(thinkGeneration));
    }

    private void begin() {
        int n = 1 + ctx.random().nextInt(4);
        Txn t = new Txn(++txnSeq, ctx.nowNanos(), n);
        t.abortOnPurpose = ctx.random().nextInt(100) < abortPercent;
        txn = t;
        producer.beginTransaction();
        ctx.setTimer(OP_TIMEOUT_NANOS, new OpTimeout(t.seq));
        sendNext(t);
    }

    /** The transaction's sends go one after another, a few ms apart, so a pause or a fault can fall between them (KAFKA-6119). */
    private void sendNext(Txn t) {
        int i = t.sent++;
        int key = ctx.random().nextInt(partitions);
        t.keys[i] = key;
        t.values[i] = nextValue.applyAsLong(key);
        t.sendNanos[i] = ctx.nowNanos();
        producer.send(new ProducerRecord(topic, OptionalInt.of(key), recordKey(t.values[i]), Long.toString(t.values[i]), -1), r -> onSent(t, i, r));
    }

    /**
     * Every record has a key of its own, so compaction ({@code cleanup.policy=compact}) removes
     * nothing a reader must see — except the 24th and 49th values of each partition, which carry
     * an ABORT and a COMMIT marker's key bytes, as a Kafka user's key can by accident: with
     * KAFKA-14055's faulty cleaner they remove the markers of that type before them. Only one
     * value per partition and marker type: two would share that key, and compaction would rightly
     * remove the older before every reader saw it.
     */
    static String recordKey(long value) {
        long seq = value / 100;
        return seq == 24 ? ControlRecordType.ABORT.recordKey() : seq == 49 ? ControlRecordType.COMMIT.recordKey() : "v" + value;
    }

    private void onSent(Txn t, int index, SendResult r) {
        if (txn != t) {
            return;
        }
        t.results[index] = r;
        t.pending--;
        Errors failed = r.error();
        if (failed == Errors.NONE && t.pending > 0) {
            ctx.setTimer(ctx.random().nextLong(0, 5_000_000L), new NextSend(t.seq));
            return;
        }
        if (failed != Errors.NONE && TxnProducer.isFatal(failed)) {
            finish(t, TxnOp.Outcome.FAIL, "send: " + failed);
            restart("send: " + failed);
        } else if (failed != Errors.NONE || t.abortOnPurpose) {
            String why = failed != Errors.NONE ? "send: " + failed : "aborted on purpose";
            producer.abortTransaction(e -> onAborted(t, why, e));
        } else {
            t.commitNanos = ctx.nowNanos();
            producer.commitTransaction(e -> onCommitted(t, e));
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
            // abortable: the commit did not happen; abort, and the transaction is aborted if that succeeds
            producer.abortTransaction(a -> onAborted(t, "commit: " + e, a));
        }
    }

    private void onAborted(Txn t, String why, Errors e) {
        if (txn != t) {
            return;
        }
        if (e == Errors.NONE) {
            finish(t, TxnOp.Outcome.FAIL, why);
            think();
        } else {
            // never asked to commit: it cannot become visible; else its fate is unknown
            finish(t, t.commitNanos < 0 ? TxnOp.Outcome.FAIL : TxnOp.Outcome.INFO, why + "; abort: " + e);
            restart("abort: " + e);
        }
    }

    private void finish(Txn t, TxnOp.Outcome outcome, String error) {
        txn = null;
        List<TxnOp.Write> writes = new ArrayList<>(t.values.length);
        for (int i = 0; i < t.sent; i++) {
            SendResult r = t.results[i];
            long offset = r != null && r.error() == Errors.NONE ? r.offset() : -1;
            writes.add(new TxnOp.Write(t.keys[i], t.values[i], offset, t.sendNanos[i]));
        }
        history.add(process, TxnOp.Type.TXN, t.invokeNanos, ctx.nowNanos(), outcome, writes, List.of(), List.of(), t.commitNanos, error);
    }

    private void restart(String why) {
        if (!restarting) {
            restarting = true;
            ready = false;
            ctx.trace("restarting the producer after " + why);
            restartMe.accept(ctx.nodeId());
        }
    }

    /** The open transaction's fate when the process dies or the run ends: unknown once commit was asked, else it never commits. */
    @Override
    public void abandon(String why) {
        Txn t = txn;
        if (t != null) {
            finish(t, t.commitNanos < 0 ? TxnOp.Outcome.FAIL : TxnOp.Outcome.INFO, why);
        }
    }

    /** A transaction is open (begun and not finished). */
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
        producer.onMessage(from, message);
    }

    @Override
    public void onTimer(Timer timer) {
        if (timer instanceof Think t) {
            if (t.generation() == thinkGeneration && ready && txn == null && !restarting) {
                if (issuing.getAsBoolean()) {
                    begin();
                } else {
                    think();
                }
            }
        } else if (timer instanceof NextSend t) {
            if (txn != null && txn.seq == t.op()) {
                sendNext(txn);
            }
        } else if (timer instanceof OpTimeout t) {
            if (txn != null && txn.seq == t.op()) {
                finish(txn, txn.commitNanos < 0 ? TxnOp.Outcome.FAIL : TxnOp.Outcome.INFO, "OPERATION_TIMED_OUT");
                restart("a transaction stuck for " + OP_TIMEOUT_NANOS / 1_000_000_000L + " s");
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
