package dev.samsa.impl.controller;

import dev.samsa.impl.controller.ControllerMessage.AlterPartitionRequest;
import dev.samsa.impl.controller.ControllerMessage.AlterPartitionResponse;
import dev.samsa.impl.controller.ControllerMessage.BrokerHeartbeatRequest;
import dev.samsa.impl.controller.ControllerMessage.BrokerRegistrationRequest;
import dev.samsa.impl.controller.ControllerMessage.BrokerRegistrationResponse;
import dev.samsa.impl.controller.ControllerMessage.BrokerState;
import dev.samsa.impl.controller.ControllerMessage.CreateTopicsRequest;
import dev.samsa.impl.controller.ControllerMessage.CreateTopicsResponse;
import dev.samsa.impl.metadata.PartitionRegistration;
import dev.samsa.impl.node.Message;
import dev.samsa.impl.node.Timer;
import dev.samsa.impl.protocol.TopicPartition;
import dev.samsa.impl.raft.RaftMessage.FetchRequest;
import dev.samsa.impl.raft.RaftMessage.VoteRequest;
import dev.samsa.impl.raft.RaftMessage.VoteResponse;
import dev.samsa.impl.protocol.Errors;
import dev.samsa.impl.testing.TestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One controller (node 1) on a {@link TestContext}, driven by hand. With voters [1] it elects
 * itself and commits every append at once; with voters [1, 2, 3] it wins by a vote from 2 and
 * commits only when {@link #commitAll()} plays node 2's fetch.
 */
final class ControllerFixture {

    static final int SELF = 1;
    static final long MS = 1_000_000L;

    final TestContext ctx = new TestContext(SELF);
    final List<Integer> voters;
    ControllerNode node;
    /** Broker id → broker epoch of its live incarnation. */
    final TreeMap<Integer, Long> epochs = new TreeMap<>();
    /** Brokers that heartbeat while time passes. */
    final TreeSet<Integer> alive = new TreeSet<>();
    private long nextRequestId = 1;

    ControllerFixture(List<Integer> voters) {
        this.voters = voters;
    }

    static ControllerFixture singleVoter() {
        return new ControllerFixture(List.of(SELF));
    }

    /** Starts (or restarts, on the same disk) the controller and makes it the leader. */
    ControllerFixture start() {
        node = new ControllerNode(ctx, voters);
        node.onStart();
        while (!node.raft().role().name().equals("LEADER")) {
            step(10);
            for (VoteRequest v : drain(VoteRequest.class)) {
                if (voters.size() > 1) {
                    node.onMessage(2, new VoteResponse(Errors.NONE, v.epoch(), OptionalInt.empty(), true));
                }
            }
            if (ctx.now > 60_000 * MS) {
                throw new IllegalStateException("no leader after a minute");
            }
        }
        return this;
    }

    /** Plays node 2 fetching the whole log: with voters [1, 2, 3] that commits everything. */
    void commitAll() {
        long end = node.raft().logEndOffset();
        int lastEpoch = node.raft().entryAt(end - 1).epoch();
        node.onMessage(2, new FetchRequest(node.raft().epoch(), 2, end, lastEpoch));
    }

    /** Advances the clock in 10 ms steps, firing due timers; live brokers heartbeat every second. */
    void advance(long ms) {
        long end = ctx.now + ms * MS;
        while (ctx.now < end) {
            long before = ctx.now / (1000 * MS);
            step(10);
            if (ctx.now / (1000 * MS) != before) {
                for (int b : alive) {
                    heartbeat(b);
                }
            }
        }
    }

    private void step(long ms) {
        for (Timer t : ctx.advanceTo(ctx.now + ms * MS)) {
            node.onTimer(t);
        }
    }

    /** Messages of {@code type} sent since the last drain of that type, in order; removed from the outbox. */
    <T extends Message> List<T> drain(Class<T> type) {
        List<T> out = ctx.sent(type);
        ctx.outbox.removeIf(s -> type.isInstance(s.message()));
        return out;
    }

    <T extends Message> T last(Class<T> type) {
        List<T> all = drain(type);
        if (all.isEmpty()) {
            throw new AssertionError("nothing of " + type.getSimpleName() + " was sent");
        }
        return all.get(all.size() - 1);
    }

    /** Registers a broker incarnation and unfences it; it heartbeats from then on. */
    long register(int brokerId, long incarnationId) {
        node.onMessage(brokerId, new BrokerRegistrationRequest(brokerId, incarnationId));
        if (voters.size() > 1) {
            commitAll();
        }
        BrokerRegistrationResponse r = last(BrokerRegistrationResponse.class);
        if (r.error() != Errors.NONE) {
            throw new AssertionError("registration failed: " + r);
        }
        epochs.put(brokerId, r.brokerEpoch());
        alive.add(brokerId);
        heartbeat(brokerId);
        return r.brokerEpoch();
    }

    void heartbeat(int brokerId) {
        node.onMessage(brokerId, new BrokerHeartbeatRequest(brokerId, epochs.get(brokerId), Long.MAX_VALUE));
        if (voters.size() > 1) {
            commitAll();
        }
    }

    void registerAll(int... brokerIds) {
        for (int b : brokerIds) {
            register(b, 100 + b);
        }
    }

    CreateTopicsResponse createTopic(String topic, int partitions, int rf) {
        return createTopic(nextRequestId++, topic, partitions, rf);
    }

    CreateTopicsResponse createTopic(long requestId, String topic, int partitions, int rf) {
        node.onMessage(9, new CreateTopicsRequest(requestId, topic, partitions, rf));
        if (voters.size() > 1) {
            commitAll();
        }
        return last(CreateTopicsResponse.class);
    }

    /** Makes {@code brokerId} miss its heartbeats until the session timeout fences it. */
    void fence(int brokerId) {
        alive.remove(brokerId);
        advance(ctx.settings.getLong("broker.session.timeout.ms") + 1000);
    }

    PartitionRegistration partition(String topic, int p) {
        return node.image().partition(new TopicPartition(topic, p)).orElseThrow();
    }

    /** AlterPartition from the partition's leader, with the ISR members' current broker epochs. */
    AlterPartitionResponse alterIsr(TopicPartition tp, int leaderEpoch, int partitionEpoch, List<Integer> isr) {
        List<BrokerState> states = new ArrayList<>();
        for (int b : isr) {
            states.add(new BrokerState(b, epochs.getOrDefault(b, -1L)));
        }
        return alter(new AlterPartitionRequest(leaderOf(tp), epochs.get(leaderOf(tp)), tp, leaderEpoch, partitionEpoch, states));
    }

    AlterPartitionResponse alter(AlterPartitionRequest r) {
        node.onMessage(r.brokerId(), r);
        return last(AlterPartitionResponse.class);
    }

    int leaderOf(TopicPartition tp) {
        return node.image().partition(tp).orElseThrow().leader();
    }
}
