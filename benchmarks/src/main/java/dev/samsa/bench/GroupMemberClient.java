package dev.samsa.bench;

import dev.samsa.impl.client.ConsumerGroupMetadata;
import dev.samsa.impl.client.ConsumerGroupObserver;
import dev.samsa.impl.client.ConsumerRebalanceListener;
import dev.samsa.impl.client.KafkaConsumer;
import dev.samsa.impl.node.Context;
import dev.samsa.impl.node.Message;
import dev.samsa.impl.node.Node;
import dev.samsa.impl.node.Timer;
import dev.samsa.impl.protocol.ApiMessage;
import dev.samsa.impl.protocol.GroupMessage;
import dev.samsa.impl.protocol.TopicPartition;
import dev.samsa.spec.config.Settings;
import java.util.List;
import java.util.TreeSet;

/**
 * A client node hosting one {@link KafkaConsumer} that subscribes to a topic with a group.id and
 * polls in a loop (each poll waits up to {@value #POLL_TIMEOUT_MS} ms), as an application's
 * poll loop would: the consumer only rejoins a rebalancing group while a poll is outstanding.
 * The rebalance listener does nothing. {@link #close} leaves the group (LeaveGroup) and stops
 * the loop.
 */
final class GroupMemberClient implements Node {

    static final long POLL_TIMEOUT_MS = 100;

    private final Context ctx;
    private final String topic;
    private final KafkaConsumer consumer;
    private boolean closing;
    private boolean closed;
    private int joins;
    private long lastJoinedNanos = -1;

    GroupMemberClient(Context ctx, List<Integer> brokers, String topic, Settings consumerSettings) {
        this.ctx = ctx;
        this.topic = topic;
        this.consumer = new KafkaConsumer(ctx, brokers, consumerSettings);
    }

    @Override
    public void onStart() {
        consumer.setGroupObserver(new ConsumerGroupObserver() {
            @Override
            public void onJoined(int generationId, String memberId, List<TopicPartition> assigned) {
                joins++;
                lastJoinedNanos = ctx.nowNanos();
            }
        });
        consumer.subscribe(List.of(topic), ConsumerRebalanceListener.NOOP);
        poll();
    }

    private void poll() {
        if (!closing) {
            consumer.poll(POLL_TIMEOUT_MS, (records, resets) -> poll());
        }
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
        consumer.onTimer(timer);
    }

    @Override
    public void onDisconnect(int peer) {
        consumer.onDisconnect(peer);
    }

    /** Leaves the group; the node stays in the simulation, idle. */
    void close() {
        closing = true;
        consumer.close(() -> closed = true);
    }

    boolean closing() {
        return closing;
    }

    boolean closed() {
        return closed;
    }

    TreeSet<TopicPartition> assignment() {
        return consumer.assignment();
    }

    ConsumerGroupMetadata groupMetadata() {
        return consumer.groupMetadata();
    }

    /** Completed SyncGroups (assignments received). */
    int joins() {
        return joins;
    }

    /** Simulated time of the last assignment received, -1 if none yet. */
    long lastJoinedNanos() {
        return lastJoinedNanos;
    }
}
