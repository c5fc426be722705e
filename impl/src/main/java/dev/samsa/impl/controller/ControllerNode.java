package dev.samsa.impl.controller;

import dev.samsa.impl.controller.ControllerMessage.AlterPartitionRequest;
import dev.samsa.impl.controller.ControllerMessage.AlterPartitionResponse;
import dev.samsa.impl.controller.ControllerMessage.BrokerHeartbeatRequest;
import dev.samsa.impl.controller.ControllerMessage.BrokerHeartbeatResponse;
import dev.samsa.impl.controller.ControllerMessage.BrokerRegistrationRequest;
import dev.samsa.impl.controller.ControllerMessage.BrokerRegistrationResponse;
import dev.samsa.impl.controller.ControllerMessage.CreateTopicsRequest;
import dev.samsa.impl.controller.ControllerMessage.CreateTopicsResponse;
import dev.samsa.impl.controller.ControllerMessage.ReadMetadataRequest;
import dev.samsa.impl.controller.ControllerMessage.ReadMetadataResponse;
import dev.samsa.impl.controller.ControllerMessage.WriteMetadataRequest;
import dev.samsa.impl.controller.ControllerMessage.WriteMetadataResponse;
import dev.samsa.impl.metadata.BrokerHeartbeatTracker;
import dev.samsa.impl.metadata.BrokerRegistration;
import dev.samsa.impl.metadata.ClientRecord;
import dev.samsa.impl.metadata.ClusterImage;
import dev.samsa.impl.metadata.FenceBrokerRecord;
import dev.samsa.impl.metadata.MetadataRecord;
import dev.samsa.impl.metadata.RegisterBrokerRecord;
import dev.samsa.impl.metadata.UnfenceBrokerRecord;
import dev.samsa.impl.node.Context;
import dev.samsa.impl.node.Message;
import dev.samsa.impl.node.Node;
import dev.samsa.impl.node.Timer;
import dev.samsa.impl.protocol.Errors;
import dev.samsa.impl.raft.LogEntry;
import dev.samsa.impl.raft.RaftClient;
import dev.samsa.impl.raft.RaftMessage;
import dev.samsa.impl.raft.RaftTimer;
import dev.samsa.impl.raft.RaftView;
import java.util.List;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * A KRaft controller process: a voter of the metadata quorum with the quorum controller on
 * top. Every controller applies the committed log to its {@link ClusterImage} (the same code
 * path for live updates and for replay after a restart); the active one (the Raft leader)
 * serves brokers and clients, fences brokers whose sessions expire, creates topics and
 * decides on partition leadership and ISRs ({@link ReplicationControlManager}).
 *
 * <p>As in Kafka, the active controller applies its records as it appends them: it decides on
 * a speculative image = the committed image + its uncommitted suffix, rebuilt by replay on
 * becoming leader and dropped on losing leadership (Kafka reverts to the last committed state).
 */
public final class ControllerNode implements Node {

    private final Context ctx;
    private final RaftClient raft;
    private final ClusterImage image = new ClusterImage();
    /** writeId → offset of every committed client record. */
    private final TreeMap<Long, Long> committedWrites = new TreeMap<>();
    private final BrokerHeartbeatTracker sessions;
    private final long sessionCheckNanos;
    /** Active controller only (else null): the committed image plus every record appended but not yet committed. */
    private ClusterImage speculative;
    private final ReplicationControlManager replication;

    public ControllerNode(Context ctx, List<Integer> voterIds) {
        this.ctx = ctx;
        this.sessions = new BrokerHeartbeatTracker(ctx.settings().getMsAsNanos("broker.session.timeout.ms"));
        this.sessionCheckNanos = Math.max(1, Math.min(500_000_000L, ctx.settings().getMsAsNanos("broker.session.timeout.ms") / 4));
        this.raft = new RaftClient(ctx, voterIds, new RaftClient.Listener() {
            @Override
            public void onCommit(LogEntry e) {
                apply(e);
            }

            @Override
            public void onBecomeLeader(int epoch) {
                speculative = replayUncommitted();
                sessions.resetAll(speculative, ctx.nowNanos());
                ctx.setTimer(sessionCheckNanos, new ControllerTimer(epoch));
                replication.reconcile(); // finish what a previous controller decided only in part
            }

            @Override
            public void onLoseLeadership(int epoch) {
                speculative = null;
            }
        });
        this.replication = new ReplicationControlManager(ctx, new ReplicationControlManager.ActiveLog() {
            @Override
            public ClusterImage speculative() {
                return active();
            }

            @Override
            public long append(MetadataRecord record) {
                return ControllerNode.this.append(record);
            }

            @Override
            public void whenCommitted(long offset, Runnable action) {
                raft.whenCommitted(offset, action);
            }

            @Override
            public long lastOffset() {
                return raft.logEndOffset() - 1;
            }
        });
    }

    /** The committed image with the log's uncommitted suffix applied: what this new leader decides on. */
    private ClusterImage replayUncommitted() {
        ClusterImage s = image.copy();
        for (long o = image.appliedOffset() + 1; o < raft.logEndOffset(); o++) {
            LogEntry e = raft.entryAt(o);
            if (e.record() instanceof MetadataRecord m) {
                s.apply(o, m);
            } else {
                s.skip(o);
            }
        }
        return s;
    }

    private ClusterImage active() {
        if (speculative == null || !raft.isLeader()) {
            throw new IllegalStateException("the speculative image exists only on the active controller");
        }
        return speculative;
    }

    /** Appends as leader and applies the record to the speculative image at once. */
    private long append(MetadataRecord record) {
        ClusterImage s = active();
        long offset = raft.appendAsLeader(record).orElseThrow(() -> new IllegalStateException("append while not leader"));
        s.apply(offset, record);
        return offset;
    }

    private void apply(LogEntry e) {
        if (e.record() instanceof MetadataRecord m) {
            image.apply(e.offset(), m);
            if (m instanceof ClientRecord c) {
                committedWrites.put(c.writeId(), e.offset());
            }
        } else {
            image.skip(e.offset());
        }
    }

    @Override
    public void onStart() {
        raft.start();
    }

    @Override
    public void onMessage(int from, Message message) {
        if (message instanceof RaftMessage r) {
            raft.handle(from, r);
        } else if (message instanceof ControllerMessage c) {
            switch (c.kind()) {
                case WRITE_REQUEST -> onWrite(from, (WriteMetadataRequest) c);
                case READ_REQUEST -> onRead(from, (ReadMetadataRequest) c);
                case REGISTRATION_REQUEST -> onRegistration(from, (BrokerRegistrationRequest) c);
                case HEARTBEAT_REQUEST -> onHeartbeat(from, (BrokerHeartbeatRequest) c);
                case CREATE_TOPICS_REQUEST -> onCreateTopics(from, (CreateTopicsRequest) c);
                case ALTER_PARTITION_REQUEST -> onAlterPartition(from, (AlterPartitionRequest) c);
                default -> {} // responses are not addressed to controllers
            }
        }
    }

    @Override
    public void onTimer(Timer timer) {
        if (timer instanceof RaftTimer t) {
            raft.onTimer(t);
        } else if (timer instanceof ControllerTimer t && raft.isLeader() && raft.epoch() == t.epoch()) {
            fenceExpiredBrokers();
            replication.reconcile();
            ctx.setTimer(sessionCheckNanos, t);
        }
    }

    @Override
    public void onDisconnect(int peer) {
        raft.onDisconnect(peer);
    }

    // ------------------------------------------------------------------ client writes and reads

    private void onWrite(int from, WriteMetadataRequest r) {
        if (!raft.isLeader()) {
            ctx.send(from, new WriteMetadataResponse(r.writeId(), Errors.NOT_CONTROLLER, -1, raft.leaderId()));
            return;
        }
        Long committed = committedWrites.get(r.writeId());
        if (committed != null) {
            ctx.reached("controller.write-deduplicated");
            ctx.send(from, new WriteMetadataResponse(r.writeId(), Errors.NONE, committed, OptionalInt.of(ctx.nodeId())));
            return;
        }
        OptionalLong pending = uncommittedOffsetOf(r.writeId());
        if (pending.isPresent()) {
            ctx.reached("controller.write-deduplicated"); // a retry of a write still on its way to commit
        }
        long offset = pending.isPresent() ? pending.getAsLong() : append(new ClientRecord(r.writeId(), r.clientId(), r.payload()));
        raft.whenCommitted(offset, () -> ctx.send(from, new WriteMetadataResponse(r.writeId(), Errors.NONE, offset, OptionalInt.of(ctx.nodeId()))));
    }

    /** The offset of {@code writeId} in the uncommitted suffix of the leader's log, if it is there. */
    private OptionalLong uncommittedOffsetOf(long writeId) {
        for (long o = raft.highWatermark(); o < raft.logEndOffset(); o++) {
            if (raft.entryAt(o).record() instanceof ClientRecord c && c.writeId() == writeId) {
                return OptionalLong.of(o);
            }
        }
        return OptionalLong.empty();
    }

    private void onRead(int from, ReadMetadataRequest r) {
        if (!raft.isLeader()) {
            ctx.send(from, new ReadMetadataResponse(r.requestId(), Errors.NOT_CONTROLLER, List.of(), -1, raft.leaderId()));
            return;
        }
        long hw = raft.highWatermark();
        long start = Math.min(Math.max(0, r.fromOffset()), hw);
        long end = Math.min(hw, start + Math.max(0, r.maxRecords()));
        ctx.send(from, new ReadMetadataResponse(r.requestId(), Errors.NONE, raft.read(start, end), hw, OptionalInt.of(ctx.nodeId())));
    }

    // ------------------------------------------------------------------ broker lifecycle (KIP-631)

    private void onRegistration(int from, BrokerRegistrationRequest r) {
        if (!raft.isLeader()) {
            ctx.send(from, new BrokerRegistrationResponse(Errors.NOT_CONTROLLER, -1, raft.leaderId(), r.incarnationId()));
            return;
        }
        var existing = active().broker(r.brokerId());
        if (existing.isPresent() && existing.get().incarnationId() == r.incarnationId()) {
            // a retry: the epoch is the offset of its registration record, committed or on its way
            long epoch = existing.get().epoch();
            raft.whenCommitted(epoch, () -> ctx.send(from, new BrokerRegistrationResponse(Errors.NONE, epoch, OptionalInt.of(ctx.nodeId()), r.incarnationId())));
            return;
        }
        long offset = append(new RegisterBrokerRecord(r.brokerId(), r.incarnationId()));
        ctx.reached("controller.broker-registered");
        if (existing.isPresent()) {
            // a new incarnation: its old replicas may have lost data (a wiped disk), so it leaves every ISR
            replication.brokerRemoved(r.brokerId());
        }
        raft.whenCommitted(offset, () -> ctx.send(from, new BrokerRegistrationResponse(Errors.NONE, offset, OptionalInt.of(ctx.nodeId()), r.incarnationId())));
    }

    private void onHeartbeat(int from, BrokerHeartbeatRequest r) {
        if (!raft.isLeader()) {
            ctx.send(from, new BrokerHeartbeatResponse(Errors.NOT_CONTROLLER, true, raft.leaderId()));
            return;
        }
        var b = active().broker(r.brokerId());
        if (b.isEmpty() || b.get().epoch() != r.brokerEpoch()) {
            // an older incarnation, or a registration this controller has not applied: register again
            ctx.send(from, new BrokerHeartbeatResponse(Errors.STALE_BROKER_EPOCH, true, OptionalInt.of(ctx.nodeId())));
            return;
        }
        BrokerRegistration reg = b.get();
        sessions.touch(reg.brokerId(), reg.epoch(), ctx.nowNanos());
        if (reg.fenced() && r.metadataOffset() >= reg.epoch()) {
            // caught up with the log up to its own registration: it may be unfenced, and lead again
            append(new UnfenceBrokerRecord(reg.brokerId(), reg.epoch()));
            replication.reconcile();
        }
        boolean unfencedHere = !active().broker(reg.brokerId()).orElseThrow().fenced();
        if (unfencedHere && committedFenced(reg)) {
            // answer "unfenced" only once the unfence is committed: it may still be on its way
            raft.whenCommitted(raft.logEndOffset() - 1,
                    () -> ctx.send(from, new BrokerHeartbeatResponse(Errors.NONE, committedFenced(reg), OptionalInt.of(ctx.nodeId()))));
            return;
        }
        ctx.send(from, new BrokerHeartbeatResponse(Errors.NONE, committedFenced(reg), OptionalInt.of(ctx.nodeId())));
    }

    /** Whether the committed image has this incarnation fenced (or does not know it yet). */
    private boolean committedFenced(BrokerRegistration reg) {
        return image.broker(reg.brokerId()).map(x -> x.epoch() != reg.epoch() || x.fenced()).orElse(true);
    }

    private void fenceExpiredBrokers() {
        for (BrokerRegistration b : sessions.expired(active(), ctx.nowNanos())) {
            append(new FenceBrokerRecord(b.brokerId(), b.epoch()));
            ctx.reached("controller.fence-broker-session-expired");
            if (ctx.tracing()) {
                ctx.trace("fence broker " + b.brokerId() + " epoch " + b.epoch() + ": no heartbeat within broker.session.timeout.ms");
            }
            replication.brokerRemoved(b.brokerId());
        }
    }

    // ------------------------------------------------------------------ topics and partitions

    private void onCreateTopics(int from, CreateTopicsRequest r) {
        if (!raft.isLeader()) {
            ctx.send(from, new CreateTopicsResponse(r.requestId(), Errors.NOT_CONTROLLER, raft.leaderId()));
            return;
        }
        replication.createTopics(from, r);
    }

    private void onAlterPartition(int from, AlterPartitionRequest r) {
        if (!raft.isLeader()) {
            ctx.send(from, new AlterPartitionResponse(r.tp(), Errors.NOT_CONTROLLER, -1, -1, List.of(), -1, raft.leaderId()));
            return;
        }
        replication.alterPartition(from, r);
    }

    // ------------------------------------------------------------------ views

    public RaftView raft() {
        return raft;
    }

    public ClusterImage image() {
        return image;
    }
}
