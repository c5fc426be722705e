package dev.samsa.impl.group;

import dev.samsa.impl.coordinator.CoordinatorLookup;
import dev.samsa.impl.coordinator.CoordinatorRuntime;
import dev.samsa.impl.coordinator.CoordinatorRuntime.ShardContext;
import dev.samsa.impl.coordinator.CoordinatorShard;
import dev.samsa.impl.coordinator.CoordinatorTimer;
import dev.samsa.impl.metadata.ClusterImage;
import dev.samsa.impl.node.Context;
import dev.samsa.impl.protocol.Errors;
import dev.samsa.impl.protocol.GroupMessage;
import dev.samsa.impl.protocol.GroupMessage.Assignment;
import dev.samsa.impl.protocol.GroupMessage.HeartbeatRequest;
import dev.samsa.impl.protocol.GroupMessage.HeartbeatResponse;
import dev.samsa.impl.protocol.GroupMessage.JoinGroupRequest;
import dev.samsa.impl.protocol.GroupMessage.JoinGroupResponse;
import dev.samsa.impl.protocol.GroupMessage.LeaveGroupRequest;
import dev.samsa.impl.protocol.GroupMessage.LeaveGroupResponse;
import dev.samsa.impl.protocol.GroupMessage.OffsetCommitPartition;
import dev.samsa.impl.protocol.GroupMessage.OffsetCommitPartitionResponse;
import dev.samsa.impl.protocol.GroupMessage.OffsetCommitRequest;
import dev.samsa.impl.protocol.GroupMessage.OffsetCommitResponse;
import dev.samsa.impl.protocol.GroupMessage.OffsetFetchRequest;
import dev.samsa.impl.protocol.GroupMessage.OffsetFetchResponse;
import dev.samsa.impl.protocol.GroupMessage.SyncGroupRequest;
import dev.samsa.impl.protocol.GroupMessage.SyncGroupResponse;
import dev.samsa.impl.protocol.TopicPartition;
import dev.samsa.impl.protocol.TxnMessage.PartitionResult;
import dev.samsa.impl.protocol.TxnMessage.TxnOffsetCommitPartition;
import dev.samsa.impl.protocol.TxnMessage.TxnOffsetCommitRequest;
import dev.samsa.impl.protocol.TxnMessage.TxnOffsetCommitResponse;
import dev.samsa.impl.replication.ReplicaManager;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The group coordinator of one broker (Kafka's GroupCoordinator for the classic protocol): the
 * shards of the {@code __consumer_offsets} partitions this broker leads, run by a
 * {@link CoordinatorRuntime}. A request goes to the shard of its group's partition;
 * NOT_COORDINATOR when this broker does not lead it, COORDINATOR_LOAD_IN_PROGRESS while loading.
 */
public final class GroupCoordinator {

    private final Context ctx;
    private final Supplier<ClusterImage> image;
    private final CoordinatorRuntime runtime;
    /** Per client: how many times its connection closed, so answers parked for an older connection are dropped. */
    private final TreeMap<Integer, Long> connections = new TreeMap<>();

    public GroupCoordinator(Context ctx, ReplicaManager replicaManager, Supplier<ClusterImage> image) {
        this.ctx = ctx;
        this.image = image;
        ResponseSink sink = (to, response) -> {
            if (connections.getOrDefault(to.client(), 0L) == to.connection()) {
                ctx.send(to.client(), response);
            }
        };
        this.runtime = new CoordinatorRuntime(ctx, replicaManager, CoordinatorLookup.GROUP_METADATA_TOPIC, false,
                sc -> new GroupCoordinatorShard(sc, sink));
    }

    public CoordinatorRuntime runtime() {
        return runtime;
    }

    /** The {@code __consumer_offsets} partition of {@code groupId}: by the topic's partition count, else the setting. */
    public TopicPartition partitionFor(String groupId) {
        var n = image.get().topic(CoordinatorLookup.GROUP_METADATA_TOPIC);
        int count = n.isPresent() ? n.getAsInt() : ctx.settings().getInt("offsets.topic.num.partitions");
        return new TopicPartition(CoordinatorLookup.GROUP_METADATA_TOPIC, CoordinatorLookup.partitionFor(groupId, count));
    }

    // ================================================================== requests

    public void handle(int from, GroupMessage m) {
        Responder r = new Responder(from, m.correlationId(), connections.getOrDefault(from, 0L));
        switch (m.kind()) {
            case JOIN_GROUP_REQUEST -> {
                JoinGroupRequest req = (JoinGroupRequest) m;
                GroupCoordinatorShard s = shardOrError(r, m, req.groupId(), false);
                if (s != null) {
                    s.groupMetadata().joinGroup(r, req);
                }
            }
            case SYNC_GROUP_REQUEST -> {
                SyncGroupRequest req = (SyncGroupRequest) m;
                GroupCoordinatorShard s = shardOrError(r, m, req.groupId(), false);
                if (s != null) {
                    s.groupMetadata().syncGroup(r, req);
                }
            }
            case HEARTBEAT_REQUEST -> {
                HeartbeatRequest req = (HeartbeatRequest) m;
                GroupCoordinatorShard s = shardOrError(r, m, req.groupId(), false);
                if (s != null) {
                    s.groupMetadata().heartbeat(r, req);
                }
            }
            case LEAVE_GROUP_REQUEST -> {
                LeaveGroupRequest req = (LeaveGroupRequest) m;
                GroupCoordinatorShard s = shardOrError(r, m, req.groupId(), false);
                if (s != null) {
                    s.groupMetadata().leaveGroup(r, req);
                }
            }
            case OFFSET_COMMIT_REQUEST -> {
                OffsetCommitRequest req = (OffsetCommitRequest) m;
                GroupCoordinatorShard s = shardOrError(r, m, req.groupId(), true);
                if (s != null) {
                    s.commitOffsets(r, req);
                }
            }
            case OFFSET_FETCH_REQUEST -> {
                OffsetFetchRequest req = (OffsetFetchRequest) m;
                GroupCoordinatorShard s = shardOrError(r, m, req.groupId(), true);
                if (s != null) {
                    s.fetchOffsets(r, req);
                }
            }
            default -> {} // FindCoordinator is answered by the broker; responses are not for brokers
        }
    }

    /** TxnOffsetCommit goes to the shard of its group, like OffsetCommit. */
    public void handleTxnOffsetCommit(int from, TxnOffsetCommitRequest req) {
        Responder r = new Responder(from, req.correlationId(), connections.getOrDefault(from, 0L));
        Errors e;
        ShardContext c = null;
        if (req.groupId() == null) {
            e = Errors.INVALID_GROUP_ID;
        } else {
            c = runtime.context(partitionFor(req.groupId()));
            e = c == null || c.state() == CoordinatorRuntime.State.CLOSED ? Errors.NOT_COORDINATOR
                    : c.state() == CoordinatorRuntime.State.LOADING ? Errors.COORDINATOR_LOAD_IN_PROGRESS : Errors.NONE;
        }
        if (e != Errors.NONE) {
            ctx.send(from, txnOffsetCommitError(req, e));
            return;
        }
        ((GroupCoordinatorShard) c.shard()).commitTransactionalOffsets(r, req);
    }

    static TxnOffsetCommitResponse txnOffsetCommitError(TxnOffsetCommitRequest req, Errors e) {
        List<PartitionResult> l = new ArrayList<>();
        for (TxnOffsetCommitPartition p : req.partitions()) {
            l.add(new PartitionResult(p.tp(), e));
        }
        return new TxnOffsetCommitResponse(req.correlationId(), l);
    }

    /**
     * The shard serving {@code groupId}, or null after answering the group-level error. Empty
     * group ids are refused except for offsets (Kafka keeps them for old clients).
     */
    private GroupCoordinatorShard shardOrError(Responder r, GroupMessage m, String groupId, boolean emptyIdAllowed) {
        Errors e;
        ShardContext c = null;
        if (groupId == null || (groupId.isEmpty() && !emptyIdAllowed)) {
            e = Errors.INVALID_GROUP_ID;
        } else {
            c = runtime.context(partitionFor(groupId));
            e = c == null || c.state() == CoordinatorRuntime.State.CLOSED ? Errors.NOT_COORDINATOR
                    : c.state() == CoordinatorRuntime.State.LOADING ? Errors.COORDINATOR_LOAD_IN_PROGRESS : Errors.NONE;
        }
        if (e == Errors.NONE) {
            return (GroupCoordinatorShard) c.shard();
        }
        if (e == Errors.COORDINATOR_LOAD_IN_PROGRESS && m instanceof HeartbeatRequest) {
            e = Errors.NONE; // as Kafka: the group is loading, answer the heartbeat blindly
        }
        ctx.send(r.client(), errorResponse(m, e));
        return null;
    }

    static GroupMessage errorResponse(GroupMessage m, Errors e) {
        if (m instanceof JoinGroupRequest j) {
            return new JoinGroupResponse(j.correlationId(), e, GroupMessage.NO_GENERATION, null, "", false, j.memberId(), List.of());
        } else if (m instanceof SyncGroupRequest s) {
            return new SyncGroupResponse(s.correlationId(), e, null, Assignment.EMPTY);
        } else if (m instanceof HeartbeatRequest h) {
            return new HeartbeatResponse(h.correlationId(), e);
        } else if (m instanceof LeaveGroupRequest l) {
            return new LeaveGroupResponse(l.correlationId(), e);
        } else if (m instanceof OffsetCommitRequest c) {
            List<OffsetCommitPartitionResponse> l = new ArrayList<>();
            for (OffsetCommitPartition p : c.partitions()) {
                l.add(new OffsetCommitPartitionResponse(p.tp(), e));
            }
            return new OffsetCommitResponse(c.correlationId(), l);
        } else if (m instanceof OffsetFetchRequest f) {
            return new OffsetFetchResponse(f.correlationId(), e, List.of());
        }
        throw new IllegalArgumentException("not a group request: " + m);
    }

    // ================================================================== broker events

    public void onBecameLeader(TopicPartition tp, int leaderEpoch) {
        runtime.onBecameLeader(tp, leaderEpoch);
    }

    public void onResigned(TopicPartition tp, int leaderEpoch) {
        runtime.onResigned(tp, leaderEpoch);
    }

    public void onTimer(CoordinatorTimer t) {
        runtime.onTimer(t);
    }

    public void onDisconnect(int peer) {
        connections.merge(peer, 1L, Long::sum);
    }

    // ================================================================== views (for invariants and tests)

    /** The shards this broker has loaded, by {@code __consumer_offsets} partition. */
    public NavigableMap<TopicPartition, GroupCoordinatorShard> shards() {
        TreeMap<TopicPartition, GroupCoordinatorShard> out = new TreeMap<>();
        for (var e : runtime.shards().entrySet()) {
            out.put(e.getKey(), (GroupCoordinatorShard) e.getValue());
        }
        return out;
    }

    /** The group as this broker's coordinator holds it, if it leads the group's partition and knows it. */
    public Optional<ClassicGroup> group(String groupId) {
        CoordinatorShard s = runtime.shards().get(partitionFor(groupId));
        return s == null ? Optional.empty() : Optional.ofNullable(((GroupCoordinatorShard) s).groups().get(groupId));
    }

    /** The committed (replicated) offsets of {@code groupId} on this broker, if it leads the group's partition. */
    public Optional<NavigableMap<TopicPartition, OffsetAndMetadata>> committedOffsets(String groupId) {
        CoordinatorShard s = runtime.shards().get(partitionFor(groupId));
        return s == null ? Optional.empty() : Optional.of(((GroupCoordinatorShard) s).offsets().offsets(groupId));
    }
}
