package dev.samsa.impl.client;

import dev.samsa.impl.log.EpochEndOffset;
import dev.samsa.impl.log.Record;
import dev.samsa.impl.log.RecordBatch;
import dev.samsa.impl.protocol.ApiMessage.FetchPartitionResponse;
import dev.samsa.impl.protocol.ApiMessage.FetchRequest;
import dev.samsa.impl.protocol.ApiMessage.FetchResponse;
import dev.samsa.impl.protocol.ApiMessage.MetadataRequest;
import dev.samsa.impl.protocol.ApiMessage.MetadataResponse;
import dev.samsa.impl.protocol.ApiMessage.PartitionMetadata;
import dev.samsa.impl.protocol.Errors;
import dev.samsa.impl.protocol.GroupMessage.Assignment;
import dev.samsa.impl.protocol.GroupMessage.FindCoordinatorRequest;
import dev.samsa.impl.protocol.GroupMessage.FindCoordinatorResponse;
import dev.samsa.impl.protocol.GroupMessage.HeartbeatRequest;
import dev.samsa.impl.protocol.GroupMessage.HeartbeatResponse;
import dev.samsa.impl.protocol.GroupMessage.JoinGroupMember;
import dev.samsa.impl.protocol.GroupMessage.JoinGroupRequest;
import dev.samsa.impl.protocol.GroupMessage.JoinGroupResponse;
import dev.samsa.impl.protocol.GroupMessage.OffsetCommitPartitionResponse;
import dev.samsa.impl.protocol.GroupMessage.OffsetCommitRequest;
import dev.samsa.impl.protocol.GroupMessage.OffsetCommitResponse;
import dev.samsa.impl.protocol.GroupMessage.OffsetFetchPartition;
import dev.samsa.impl.protocol.GroupMessage.OffsetFetchRequest;
import dev.samsa.impl.protocol.GroupMessage.OffsetFetchResponse;
import dev.samsa.impl.protocol.GroupMessage.Subscription;
import dev.samsa.impl.protocol.GroupMessage.SyncGroupRequest;
import dev.samsa.impl.protocol.GroupMessage.SyncGroupResponse;
import dev.samsa.impl.protocol.TopicPartition;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * A subscribed consumer driven by hand: the test plays broker and group coordinator (node 9)
 * with scripted answers, and records what the listener and the observer heard.
 */
final class GroupFixture {

    static final TopicPartition T0 = new TopicPartition("t", 0);
    static final TopicPartition T1 = new TopicPartition("t", 1);
    static final int COORDINATOR = 9;

    final ClientTestContext ctx = new ClientTestContext();
    KafkaConsumer consumer;
    final List<String> events = new ArrayList<>();
    final List<List<ConsumerRecord>> polls = new ArrayList<>();
    /** When false, the listener keeps done here instead of calling it. */
    boolean listenerCallsDone = true;
    final List<Runnable> heldDones = new ArrayList<>();

    GroupFixture() {
        ctx.set("group.id", "g");
    }

    GroupFixture set(String key, String value) {
        ctx.set(key, value);
        return this;
    }

    void subscribe() {
        consumer = new KafkaConsumer(ctx, List.of(1, 2, 3), ctx.settings);
        consumer.setGroupObserver(new ConsumerGroupObserver() {
            @Override
            public void onJoinStarted(String reason) {
                events.add("join-started:" + reason);
            }

            @Override
            public void onJoined(int generationId, String memberId, List<TopicPartition> assigned) {
                events.add("joined:" + generationId + ":" + memberId + ":" + assigned);
            }

            @Override
            public void onCommitSent(Map<TopicPartition, OffsetAndMetadata> offsets, boolean onRevocation) {
                events.add("commit-sent:" + offsets.keySet() + ":" + onRevocation);
            }

            @Override
            public void onCommitCompleted(Map<TopicPartition, OffsetAndMetadata> offsets, boolean onRevocation, Errors error, int generationId,
                    String memberId) {
                events.add("commit-done:" + error + "@" + generationId + ":" + memberId);
            }

            @Override
            public void onFatal(Errors error) {
                events.add("fatal:" + error);
            }
        });
        consumer.subscribe(List.of("t"), new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions, Runnable done) {
                listen("revoked:" + partitions, done);
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions, Runnable done) {
                listen("assigned:" + partitions, done);
            }

            @Override
            public void onPartitionsLost(Collection<TopicPartition> partitions, Runnable done) {
                listen("lost:" + partitions, done);
            }
        });
    }

    private void listen(String event, Runnable done) {
        events.add(event);
        if (listenerCallsDone) {
            done.run();
        } else {
            heldDones.add(done);
        }
    }

    void poll(long timeoutMs) {
        consumer.poll(timeoutMs, (records, resets) -> polls.add(records));
    }

    void advance(long ms) {
        ctx.advanceMs(ms, consumer::onTimer);
    }

    void answerMetadata() {
        MetadataRequest req = ctx.last(MetadataRequest.class);
        consumer.onMessage(1, new MetadataResponse(req.correlationId(), List.of(1, 2, 3), List.of(
                new PartitionMetadata(T0, Errors.NONE, 1, 1, List.of(1, 2), List.of(1, 2)),
                new PartitionMetadata(T1, Errors.NONE, 1, 1, List.of(1, 2), List.of(1, 2)))));
    }

    void answerFindCoordinator() {
        consumer.onMessage(1, new FindCoordinatorResponse(ctx.last(FindCoordinatorRequest.class).correlationId(), Errors.NONE, COORDINATOR));
    }

    JoinGroupRequest lastJoin() {
        return ctx.last(JoinGroupRequest.class);
    }

    void answerJoin(Errors error, int generation, String memberId, String leader, List<JoinGroupMember> members) {
        consumer.onMessage(COORDINATOR, new JoinGroupResponse(lastJoin().correlationId(), error, generation,
                lastJoin().protocols().get(0).name(), leader, false, memberId, members));
    }

    void answerJoinWithProtocol(String protocol, int generation, String memberId, String leader, List<JoinGroupMember> members) {
        consumer.onMessage(COORDINATOR, new JoinGroupResponse(lastJoin().correlationId(), Errors.NONE, generation, protocol, leader,
                false, memberId, members));
    }

    static JoinGroupMember member(String id, int generation, TopicPartition... owned) {
        return new JoinGroupMember(id, null, new Subscription(List.of("t"), List.of(owned), generation));
    }

    void answerSync(Errors error, TopicPartition... assigned) {
        SyncGroupRequest req = ctx.last(SyncGroupRequest.class);
        consumer.onMessage(COORDINATOR, new SyncGroupResponse(req.correlationId(), error, req.protocolName(), new Assignment(List.of(assigned))));
    }

    void answerHeartbeat(Errors error) {
        consumer.onMessage(COORDINATOR, new HeartbeatResponse(ctx.last(HeartbeatRequest.class).correlationId(), error));
    }

    void answerOffsetFetch(long... offsets) {
        OffsetFetchRequest req = ctx.last(OffsetFetchRequest.class);
        List<OffsetFetchPartition> parts = new ArrayList<>();
        for (int i = 0; i < req.partitions().size(); i++) {
            parts.add(new OffsetFetchPartition(req.partitions().get(i), offsets[i], -1, "", Errors.NONE));
        }
        consumer.onMessage(COORDINATOR, new OffsetFetchResponse(req.correlationId(), Errors.NONE, parts));
    }

    void answerCommit(Errors error) {
        OffsetCommitRequest req = ctx.last(OffsetCommitRequest.class);
        List<OffsetCommitPartitionResponse> parts = new ArrayList<>();
        req.partitions().forEach(p -> parts.add(new OffsetCommitPartitionResponse(p.tp(), error)));
        consumer.onMessage(COORDINATOR, new OffsetCommitResponse(req.correlationId(), parts));
    }

    void answerFetch(FetchRequest req, TopicPartition tp, long base, int count) {
        List<Record> records = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            records.add(new Record(null, "v" + (base + i), 1000));
        }
        RecordBatch batch = RecordBatch.of(records).assign(base, 1);
        long hw = base + count;
        consumer.onMessage(1, new FetchResponse(req.correlationId(), Errors.NONE, List.of(
                new FetchPartitionResponse(tp, Errors.NONE, hw, hw, 0, EpochEndOffset.UNDEFINED, -1, -1, List.of(batch), List.of()))));
    }

    /**
     * Subscribes, polls, and takes this consumer through a first join as the leader of itself
     * and {@code others} at generation 1 as member m1; the committed offsets of what it is
     * assigned are {@code committed}.
     */
    void joinAsLeader(List<JoinGroupMember> others, long... committed) {
        subscribe();
        poll(1_000_000);
        answerMetadata();
        answerFindCoordinator();
        List<JoinGroupMember> members = new ArrayList<>();
        members.add(new JoinGroupMember("m1", null, lastJoin().protocols().get(0).subscription()));
        members.addAll(others);
        answerJoinWithProtocol(lastJoin().protocols().get(0).name(), 1, "m1", "m1", members);
        SyncGroupRequest sync = ctx.last(SyncGroupRequest.class);
        List<TopicPartition> mine = sync.assignments().stream().filter(a -> a.memberId().equals("m1")).findFirst().orElseThrow()
                .assignment().partitions();
        answerSync(Errors.NONE, mine.toArray(TopicPartition[]::new));
        if (!mine.isEmpty()) {
            answerOffsetFetch(committed);
        }
    }
}
