package dev.samsa.harness.perf;

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
import org.HdrHistogram.Histogram;

/**
 * A consumer node that reads every partition of the topic from the beginning and polls again
 * as soon as a poll returns (no think time): the fastest reader the client allows. For each
 * record returned after {@link #startMeasuring} it records the end-to-end latency, the record's
 * timestamp (stamped by the producer at send()) to the poll that returned it, in milliseconds of
 * the simulated wall clock (record timestamps have millisecond resolution, as in Kafka).
 */
final class DrainConsumer implements Node {

    private static final long POLL_TIMEOUT_MS = 100;
    static final long MAX_E2E_MS = 60_000L;

    private final Context ctx;
    private final KafkaConsumer consumer;
    private final List<TopicPartition> partitions = new ArrayList<>();
    private final Histogram endToEndMs = new Histogram(MAX_E2E_MS, 3);
    private long measureFromMs = Long.MAX_VALUE;
    private long consumed;
    private long pollSeq;

    DrainConsumer(Context ctx, List<Integer> brokers, String topic, int partitionCount) {
        this.ctx = ctx;
        this.consumer = new KafkaConsumer(ctx, brokers);
        for (int p = 0; p < partitionCount; p++) {
            partitions.add(new TopicPartition(topic, p));
        }
    }

    @Override
    public void onStart() {
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        poll();
    }

    private void poll() {
        long seq = ++pollSeq;
        consumer.poll(POLL_TIMEOUT_MS, (records, resets) -> onPolled(seq, records, resets));
    }

    private void onPolled(long seq, List<ConsumerRecord> records, List<PositionReset> resets) {
        if (seq != pollSeq) {
            throw new IllegalStateException("poll " + seq + " completed while poll " + pollSeq + " is the outstanding one");
        }
        long nowMs = ctx.wallClockMs();
        for (ConsumerRecord r : records) {
            consumed++;
            if (r.timestampMs() >= measureFromMs) {
                endToEndMs.recordValue(Math.max(0, Math.min(MAX_E2E_MS, nowMs - r.timestampMs())));
            }
        }
        // Poll again once this event is handled: KafkaConsumer allows one outstanding poll.
        ctx.setTimer(0, new Repoll(seq));
    }

    private record Repoll(long seq) implements Timer {}

    @Override
    public void onMessage(int from, Message message) {
        if (message instanceof ApiMessage a) {
            consumer.onMessage(from, a);
        }
    }

    @Override
    public void onTimer(Timer timer) {
        if (timer instanceof Repoll r) {
            if (r.seq() == pollSeq) {
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

    /** Records stamped from the next whole millisecond on have their end-to-end latency recorded. */
    void startMeasuring() {
        measureFromMs = ctx.wallClockMs() + 1;
    }

    /** The next offset this consumer returns from {@code partition}; -1 while unknown. */
    long position(int partition) {
        return consumer.position(partitions.get(partition)).orElse(-1);
    }

    long consumed() {
        return consumed;
    }

    Histogram endToEndMs() {
        return endToEndMs;
    }
}
