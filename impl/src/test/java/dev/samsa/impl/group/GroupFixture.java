package dev.samsa.impl.group;

import dev.samsa.impl.controller.ControllerMessage;
import dev.samsa.impl.coordinator.CoordinatorLookup;
import dev.samsa.impl.coordinator.CoordinatorTimer;
import dev.samsa.impl.log.RecordBatch;
import dev.samsa.impl.metadata.ClusterImage;
import dev.samsa.impl.metadata.MetadataRecord;
import dev.samsa.impl.metadata.PartitionChangeRecord;
import dev.samsa.impl.metadata.PartitionRecord;
import dev.samsa.impl.metadata.PartitionRegistration;
import dev.samsa.impl.metadata.RegisterBrokerRecord;
import dev.samsa.impl.metadata.TopicRecord;
import dev.samsa.impl.metadata.UnfenceBrokerRecord;
import dev.samsa.impl.node.Message;
import dev.samsa.impl.node.Timer;
import dev.samsa.impl.protocol.ApiMessage.FetchPartition;
import dev.samsa.impl.protocol.ApiMessage.FetchRequest;
import dev.samsa.impl.protocol.Errors;
import dev.samsa.impl.protocol.GroupMessage;
import dev.samsa.impl.protocol.GroupMessage.Assignment;
import dev.samsa.impl.protocol.GroupMessage.HeartbeatRequest;
import dev.samsa.impl.protocol.GroupMessage.HeartbeatResponse;
import dev.samsa.impl.protocol.GroupMessage.JoinGroupProtocol;
import dev.samsa.impl.protocol.GroupMessage.JoinGroupRequest;
import dev.samsa.impl.protocol.GroupMessage.JoinGroupResponse;
import dev.samsa.impl.protocol.GroupMessage.LeaveGroupRequest;
import dev.samsa.impl.protocol.GroupMessage.LeaveGroupResponse;
import dev.samsa.impl.protocol.GroupMessage.MemberIdentity;
import dev.samsa.impl.protocol.GroupMessage.OffsetCommitPartition;
import dev.samsa.impl.protocol.GroupMessage.OffsetCommitRequest;
import dev.samsa.impl.protocol.GroupMessage.OffsetCommitResponse;
import dev.samsa.impl.protocol.GroupMessage.OffsetFetchPartition;
import dev.samsa.impl.protocol.GroupMessage.OffsetFetchRequest;
import dev.samsa.impl.protocol.GroupMessage.OffsetFetchResponse;
import dev.samsa.impl.protocol.GroupMessage.Subscription;
import dev.samsa.impl.protocol.GroupMessage.SyncGroupAssignment;
import dev.samsa.impl.protocol.GroupMessage.SyncGroupRequest;
import dev.samsa.impl.protocol.GroupMessage.SyncGroupResponse;
import dev.samsa.impl.protocol.IsolationLevel;
import dev.samsa.impl.protocol.TopicPartition;
import dev.samsa.impl.replication.ReplicaManager;
import dev.samsa.impl.replication.ReplicationTimer;
import dev.samsa.impl.testing.TestContext;
import dev.samsa.spec.bugs.Bug;
import java.util.ArrayList;
import java.util.List;

/**
 * One broker's {@link GroupCoordinator} over a real {@link ReplicaManager} on a
 * {@link TestContext}: brokers 0, 1 and 2 registered, {@code __consumer_offsets} with one
 * partition (so every group lives in partition 0) on all three. Clients are node ids 100+;
 * requests are handed in, answers read from the outbox. The clock is in milliseconds.
 */
final class GroupFixture {

    static final TopicPartition OFFSETS_TP = new TopicPartition(CoordinatorLookup.GROUP_METADATA_TOPIC, 0);
    static final String GROUP = "g";
    static final TopicPartition T0 = new TopicPartition("t", 0);
    static final TopicPartition T1 = new TopicPartition("t", 1);

    final TestContext ctx;
    final ClusterImage image = new ClusterImage();
    final List<ControllerMessage> toController = new ArrayList<>();
    ReplicaManager rm;
    GroupCoordinator gc;
    long nextOffset;
    long nowMs;
    private long nextCorrelation = 1;

    GroupFixture(int self, Bug... bugs) {
        ctx = new TestContext(self);
        for (Bug b : bugs) {
            ctx.bugs.add(b);
        }
        ctx.settings = ctx.settings.with("offsets.topic.num.partitions", "1").with("min.insync.replicas", "1")
                .with("group.initial.rebalance.delay.ms", "0");
        for (int b = 0; b < 3; b++) {
            apply(new RegisterBrokerRecord(b, 1000 + b));
        }
        for (int b = 0; b < 3; b++) {
            apply(new UnfenceBrokerRecord(b, b));
        }
        apply(new TopicRecord(CoordinatorLookup.GROUP_METADATA_TOPIC, 1));
    }

    GroupFixture set(String key, String value) {
        ctx.settings = ctx.settings.with(key, value);
        return this;
    }

    GroupFixture start() {
        rm = new ReplicaManager(ctx, new ReplicaManager.Host() {
            @Override
            public ClusterImage image() {
                return image;
            }

            @Override
            public long brokerEpoch() {
                return ctx.nodeId;
            }

            @Override
            public void sendToController(ControllerMessage m) {
                toController.add(m);
            }
        });
        gc = new GroupCoordinator(ctx, rm, () -> image);
        rm.setLeadershipListener(new ReplicaManager.LeadershipListener() {
            @Override
            public void onBecameLeader(TopicPartition tp, int leaderEpoch) {
                gc.onBecameLeader(tp, leaderEpoch);
            }

            @Override
            public void onResigned(TopicPartition tp, int leaderEpoch) {
                gc.onResigned(tp, leaderEpoch);
            }
        });
        rm.setTxnMarkerListener((tp, producerId, producerEpoch, committed) -> gc.runtime().onMarkerReplicated(tp, producerId, producerEpoch, committed));
        rm.start();
        return this;
    }

    long apply(MetadataRecord r) {
        long offset = nextOffset++;
        image.apply(offset, r);
        return offset;
    }

    /** Creates the offsets partition with {@code leader} and {@code isr}. */
    GroupFixture create(int leader, List<Integer> isr) {
        long offset = apply(new PartitionRecord(OFFSETS_TP, List.of(0, 1, 2), isr, leader, 0, 0));
        rm.onPartitionChange(image.partition(OFFSETS_TP).orElseThrow(), offset);
        return this;
    }

    void changeLeader(int leader, int leaderEpoch, List<Integer> isr) {
        PartitionRegistration old = image.partition(OFFSETS_TP).orElseThrow();
        long offset = apply(new PartitionChangeRecord(OFFSETS_TP, leader, isr, leaderEpoch, old.partitionEpoch() + 1, false));
        rm.onPartitionChange(image.partition(OFFSETS_TP).orElseThrow(), offset);
    }

    /** Copies another broker's offsets log into this one (as a follower would have fetched it). */
    void replicateFrom(GroupFixture other) {
        var log = rm.partitions().get(OFFSETS_TP).log();
        List<RecordBatch> batches = other.rm.partitions().get(OFFSETS_TP).log().allBatches();
        log.appendAsFollower(batches, 0);
        log.updateHighWatermark(log.logEndOffset());
    }

    /** A follower's fetch of the offsets partition from {@code offset}: moves the HW to it. */
    void followerFetch(int follower, long offset) {
        int epoch = rm.partitions().get(OFFSETS_TP).leaderEpoch();
        rm.handle(follower, new FetchRequest(nextCorrelation++, follower, follower, 0, 1, 1 << 20, IsolationLevel.READ_UNCOMMITTED,
                List.of(new FetchPartition(OFFSETS_TP, epoch, offset, epoch, 0, 1 << 20))));
    }

    long logEnd() {
        return rm.partitions().get(OFFSETS_TP).log().logEndOffset();
    }

    /** Moves the clock to {@code ms}, firing due timers one by one in time order. */
    void advanceToMs(long ms) {
        while (true) {
            List<Timer> due = ctx.advanceTo(ms * 1_000_000L);
            if (due.isEmpty()) {
                break;
            }
            for (Timer t : due) {
                if (t instanceof CoordinatorTimer c) {
                    gc.onTimer(c);
                } else if (t instanceof ReplicationTimer r) {
                    rm.onTimer(r);
                }
            }
        }
        nowMs = ms;
    }

    void advanceByMs(long ms) {
        advanceToMs(nowMs + ms);
    }

    // ------------------------------------------------------------------ client requests

    static Subscription subscription(String... topics) {
        return new Subscription(List.of(topics), List.of(), -1);
    }

    static List<JoinGroupProtocol> range(String... topics) {
        return List.of(new JoinGroupProtocol("range", subscription(topics)));
    }

    <T extends Message> T send(int client, GroupMessage m, Class<T> answer) {
        int before = ctx.outbox.size();
        gc.handle(client, m);
        for (int i = ctx.outbox.size() - 1; i >= before; i--) {
            var s = ctx.outbox.get(i);
            if (s.to() == client && answer.isInstance(s.message()) && ((GroupMessage) s.message()).correlationId() == m.correlationId()) {
                return answer.cast(s.message());
            }
        }
        return null; // parked
    }

    /** The answer to request {@code correlationId} sent to {@code client} so far, or null. */
    <T extends GroupMessage> T answer(int client, long correlationId, Class<T> type) {
        for (var s : ctx.outbox) {
            if (s.to() == client && type.isInstance(s.message()) && ((GroupMessage) s.message()).correlationId() == correlationId) {
                return type.cast(s.message());
            }
        }
        return null;
    }

    long correlation() {
        return nextCorrelation++;
    }

    JoinGroupRequest join(String memberId, String instanceId) {
        return new JoinGroupRequest(correlation(), GROUP, 10_000, 30_000, memberId, instanceId, "consumer", range("t"), "test");
    }

    JoinGroupResponse joinNow(int client, String memberId, String instanceId) {
        return send(client, join(memberId, instanceId), JoinGroupResponse.class);
    }

    SyncGroupResponse sync(int client, int generation, String memberId, String instanceId, List<SyncGroupAssignment> assignments) {
        return send(client, new SyncGroupRequest(correlation(), GROUP, generation, memberId, instanceId, "range", assignments), SyncGroupResponse.class);
    }

    Errors heartbeat(int client, int generation, String memberId, String instanceId) {
        return send(client, new HeartbeatRequest(correlation(), GROUP, generation, memberId, instanceId), HeartbeatResponse.class).error();
    }

    Errors leave(int client, String memberId, String instanceId) {
        return send(client, new LeaveGroupRequest(correlation(), GROUP, List.of(new MemberIdentity(memberId, instanceId))),
                LeaveGroupResponse.class).error();
    }

    OffsetCommitRequest commitRequest(int generation, String memberId, String instanceId, TopicPartition tp, long offset) {
        return new OffsetCommitRequest(correlation(), GROUP, generation, memberId, instanceId, List.of(new OffsetCommitPartition(tp, offset, 0, "")));
    }

    /** The commit's error, or null while it waits for replication. */
    Errors commit(int client, int generation, String memberId, String instanceId, TopicPartition tp, long offset) {
        OffsetCommitResponse r = send(client, commitRequest(generation, memberId, instanceId, tp, offset), OffsetCommitResponse.class);
        return r == null ? null : r.responses().get(0).error();
    }

    /** The committed offset of {@code tp} as OffsetFetch answers it (-1: none). */
    long fetchOffset(TopicPartition tp) {
        OffsetFetchResponse r = send(100, new OffsetFetchRequest(correlation(), GROUP, List.of(tp), false), OffsetFetchResponse.class);
        if (r.error() != Errors.NONE) {
            throw new AssertionError("OffsetFetch failed: " + r.error());
        }
        OffsetFetchPartition p = r.partitions().get(0);
        return p.offset();
    }

    ClassicGroup group() {
        return gc.group(GROUP).orElse(null);
    }

    static SyncGroupAssignment assign(String memberId, TopicPartition... tps) {
        return new SyncGroupAssignment(memberId, new Assignment(List.of(tps)));
    }

    /** One member joins (MEMBER_ID_REQUIRED, then with its id) and completes generation 1 alone; returns its member id. */
    String singleMemberRound(int client, String instanceId) {
        String id = instanceId == null ? joinNow(client, "", null).memberId() : null;
        JoinGroupResponse j = instanceId == null ? joinNow(client, id, null) : joinNow(client, "", instanceId);
        if (j == null) {
            advanceByMs(1); // the initial delay (0) ends on its timer
            j = answerOfLastJoin(client);
        }
        SyncGroupResponse s = sync(client, j.generationId(), j.memberId(), instanceId, List.of(assign(j.memberId(), T0, T1)));
        if (s == null || s.error() != Errors.NONE) {
            throw new AssertionError("sync failed: " + s);
        }
        return j.memberId();
    }

    JoinGroupResponse answerOfLastJoin(int client) {
        List<JoinGroupResponse> l = new ArrayList<>();
        for (var s : ctx.outbox) {
            if (s.to() == client && s.message() instanceof JoinGroupResponse j) {
                l.add(j);
            }
        }
        return l.isEmpty() ? null : l.get(l.size() - 1);
    }
}
