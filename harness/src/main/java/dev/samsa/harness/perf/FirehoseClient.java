package dev.samsa.harness.perf;

import dev.samsa.impl.client.DefaultPartitioner;
import dev.samsa.impl.client.KafkaProducer;
import dev.samsa.impl.client.ProducerRecord;
import dev.samsa.impl.client.SendResult;
import dev.samsa.impl.node.Context;
import dev.samsa.impl.node.Message;
import dev.samsa.impl.node.Node;
import dev.samsa.impl.node.Timer;
import dev.samsa.impl.protocol.ApiMessage;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * A producer node that keeps a {@link KafkaProducer} saturated: {@code outstanding} records are
 * always sent and not yet completed (the idea of the benchmarks' firehose). Each send's latency,
 * send() to callback in simulated time, goes into a histogram once {@link #startMeasuring} was
 * called, so the warm-up (metadata, producer id, an empty pipeline) is not measured.
 *
 * <p>With {@code recordsPerSecond > 0} the client is open-loop instead: every simulated
 * millisecond it sends that rate's share, still never more than {@code outstanding} in flight.
 * Latency is compared across acks at such a fixed rate: with acks=0 nothing ever answers, and
 * the simulated network has no bandwidth limit, so a closed loop would send without bound.
 *
 * <p>Records are keyless (Kafka's sticky partitioner places them) and about 100 bytes, all
 * sharing one 80-byte value: the simulation passes objects, so sharing costs no realism. Records
 * replacing completed ones are sent after the producer finished handling the event, so it is
 * never re-entered from its own callback.
 */
final class FirehoseClient implements Node {

    private static final String VALUE = "x".repeat(80);
    /** Latencies above a simulated minute are clamped: a perf run is a few simulated seconds. */
    static final long MAX_LATENCY_MICROS = 60_000_000L;

    private final Context ctx;
    private final String topic;
    private final int outstanding;
    private final long recordsPerSecond;
    private long tick;
    private final KafkaProducer producer;
    private final Histogram latencyMicros = new Histogram(MAX_LATENCY_MICROS, 3);
    private long sent;
    private long completed;
    private long acknowledged;
    private long failed;
    private long measureFromNanos = Long.MAX_VALUE;

    private record Tick(long n) implements Timer {}

    private static final long TICK_NANOS = 1_000_000L;

    FirehoseClient(Context ctx, List<Integer> brokers, String topic, int outstanding, long recordsPerSecond) {
        if (outstanding < 1 || recordsPerSecond < 0) {
            throw new IllegalArgumentException("outstanding must be >= 1 and the rate >= 0: " + outstanding + ", " + recordsPerSecond);
        }
        this.ctx = ctx;
        this.topic = topic;
        this.outstanding = outstanding;
        this.recordsPerSecond = recordsPerSecond;
        this.producer = new KafkaProducer(ctx, brokers, new DefaultPartitioner(ctx.random().child("partitioner")));
    }

    @Override
    public void onStart() {
        if (recordsPerSecond > 0) {
            ctx.setTimer(TICK_NANOS, new Tick(tick));
        } else {
            topUp();
        }
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
        if (timer instanceof Tick t) {
            // The share of this millisecond: rate * (n+1)/1000 - rate * n/1000, so no rounding drifts.
            long due = recordsPerSecond * (t.n() + 1) / 1000 - recordsPerSecond * t.n() / 1000;
            for (long i = 0; i < due && sent - completed < outstanding; i++) {
                sendOne();
            }
            tick = t.n() + 1;
            ctx.setTimer(TICK_NANOS, new Tick(tick));
            return;
        }
        producer.onTimer(timer);
        topUp();
    }

    @Override
    public void onDisconnect(int peer) {
        producer.onDisconnect(peer);
        topUp();
    }

    private void topUp() {
        while (recordsPerSecond == 0 && sent - completed < outstanding) {
            sendOne();
        }
    }

    private void sendOne() {
        sent++;
        long sentNanos = ctx.nowNanos();
        producer.send(new ProducerRecord(topic, java.util.OptionalInt.empty(), null, VALUE, -1), r -> onCompletion(sentNanos, r));
    }

    private void onCompletion(long sentNanos, SendResult r) {
        completed++;
        if (!r.succeeded()) {
            failed++;
            return;
        }
        if (sentNanos >= measureFromNanos) {
            acknowledged++;
            latencyMicros.recordValue(Math.min(MAX_LATENCY_MICROS, (ctx.nowNanos() - sentNanos) / 1_000L));
        }
    }

    /** From now on, acknowledged sends are counted and their latency recorded. */
    void startMeasuring(long nowNanos) {
        measureFromNanos = nowNanos;
    }

    /** Records sent since {@link #startMeasuring} and acknowledged (for acks=0: handed to the network). */
    long acknowledged() {
        return acknowledged;
    }

    /** Sends that completed with an error (a fault-free run should have none). */
    long failed() {
        return failed;
    }

    Histogram latencyMicros() {
        return latencyMicros;
    }
}
