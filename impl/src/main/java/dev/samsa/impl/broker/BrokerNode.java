package dev.samsa.impl.broker;

import dev.samsa.impl.controller.ControllerMessage;
import dev.samsa.impl.controller.ControllerMessage.BrokerHeartbeatRequest;
import dev.samsa.impl.controller.ControllerMessage.BrokerHeartbeatResponse;
import dev.samsa.impl.controller.ControllerMessage.BrokerRegistrationRequest;
import dev.samsa.impl.controller.ControllerMessage.BrokerRegistrationResponse;
import dev.samsa.impl.controller.ControllerMessage.AlterPartitionResponse;
import dev.samsa.impl.controller.ControllerMessage.CreateTopicsResponse;
import dev.samsa.impl.coordinator.CoordinatorLookup;
import dev.samsa.impl.coordinator.CoordinatorTimer;
import dev.samsa.impl.group.GroupCoordinator;
import dev.samsa.impl.protocol.GroupMessage;
import dev.samsa.impl.protocol.GroupMessage.FindCoordinatorRequest;
import dev.samsa.impl.metadata.ClusterImage;
import dev.samsa.impl.metadata.MetadataRecord;
import dev.samsa.impl.metadata.PartitionChangeRecord;
import dev.samsa.impl.metadata.PartitionRecord;
import dev.samsa.impl.protocol.ApiMessage;
import dev.samsa.impl.protocol.ApiMessage.InitProducerIdRequest;
import dev.samsa.impl.protocol.TxnMessage;
import dev.samsa.impl.protocol.TxnMessage.TxnOffsetCommitRequest;
import dev.samsa.impl.protocol.TopicPartition;
import dev.samsa.impl.replication.ReplicaManager;
import dev.samsa.impl.replication.ReplicationTimer;
import dev.samsa.impl.txn.TransactionCoordinator;
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

/**
 * A broker, as far as the controller quorum is concerned (KIP-631): it replicates the metadata
 * log as an observer, registers with the active controller (getting a broker epoch: the offset
 * of its registration record), heartbeats every {@code broker.heartbeat.interval.ms}, and is
 * unfenced once it has caught up. A STALE_BROKER_EPOCH answer makes it register again.
 *
 * <p>The data plane is its {@link ReplicaManager}. As Kafka's broker publishes metadata deltas,
 * the partitions changed by each batch of newly committed records are handed to it once, in
 * their latest state, so the broker leads and follows as the metadata log says — and, like
 * Kafka, may skip intermediate leader epochs it was too far behind to see.
 */
public final class BrokerNode implements Node {

    /** Where the broker is in its lifecycle. */
    public enum LifecycleState {
        REGISTERING,
        /** Registered, fenced: catching up with the metadata log. */
        RECOVERY,
        /** Unfenced: may lead and follow partitions. */
        RUNNING
    }

    /** Heartbeat period while fenced (Kafka's BrokerLifecycleManager: 10 ms until caught up). */
    private static final long RECOVERY_HEARTBEAT_NANOS = 10_000_000L;
    /** Backoff before registering again after NOT_CONTROLLER (Kafka's retry.backoff.ms is 100 ms). */
    private static final long REGISTER_RETRY_BACKOFF_NANOS = 100_000_000L;

    private final Context ctx;
    private final RaftClient raft;
    private final ReplicaManager replicaManager;
    private final GroupCoordinator groupCoordinator;
    private final TransactionCoordinator txnCoordinator;
    private final CoordinatorLookup coordinatorLookup;
    /** Partitions changed by the records committed in the current batch, with the offset of their last change. */
    private final java.util.TreeMap<TopicPartition, Long> changedPartitions = new java.util.TreeMap<>();
    private final ClusterImage image = new ClusterImage();
    private final List<Integer> voters;
    private final long incarnationId;
    private final long heartbeatIntervalNanos;
    private final long retryNanos;
    private LifecycleState lifecycle = LifecycleState.REGISTERING;
    private long brokerEpoch = -1;
    private long generation;
    private int controllerHint = -1;
    private boolean heartbeatAnswered = true;

    public BrokerNode(Context ctx, List<Integer> voterIds) {
        this.ctx = ctx;
        this.voters = List.copyOf(voterIds);
        this.incarnationId = ctx.random().nextLong();
        this.heartbeatIntervalNanos = ctx.settings().getMsAsNanos("broker.heartbeat.interval.ms");
        this.retryNanos = ctx.settings().getMsAsNanos("controller.quorum.request.timeout.ms");
        this.raft = new RaftClient(ctx, voterIds, new RaftClient.Listener() {
            @Override
            public void onCommit(LogEntry e) {
                if (e.record() instanceof MetadataRecord m) {
                    image.apply(e.offset(), m);
                    TopicPartition tp = m instanceof PartitionRecord p ? p.tp() : m instanceof PartitionChangeRecord c ? c.tp() : null;
                    if (tp != null) {
                        changedPartitions.put(tp, e.offset());
                    }
                } else {
                    image.skip(e.offset());
                }
            }

            @Override
            public void onCommitBatchEnd() {
                // Like Kafka's metadata publisher, the data plane sees the delta of a whole batch of
                // committed records: each changed partition once, in its latest state.
                for (var c : changedPartitions.entrySet()) {
                    image.partition(c.getKey()).ifPresent(reg -> replicaManager.onPartitionChange(reg, c.getValue()));
                }
                changedPartitions.clear();
            }
        });
        this.replicaManager = new ReplicaManager(ctx, new ReplicaManager.Host() {
            @Override
            public ClusterImage image() {
                return image;
            }

            @Override
            public long brokerEpoch() {
                return lifecycle == LifecycleState.REGISTERING ? -1 : brokerEpoch;
            }

            @Override
            public void sendToController(ControllerMessage m) {
                ctx.send(controller(), m);
            }
        });
        // the coordinators load and unload their shards as this broker leads internal-topic partitions
        this.groupCoordinator = new GroupCoordinator(ctx, replicaManager, () -> image);
        this.txnCoordinator = new TransactionCoordinator(ctx, replicaManager, () -> image);
        this.coordinatorLookup = new CoordinatorLookup(ctx, m -> ctx.send(controller(), m));
        // markers on __consumer_offsets complete transactional offset commits (KIP-98)
        replicaManager.setTxnMarkerListener((tp, producerId, producerEpoch, committed) -> {
            if (tp.topic().equals(CoordinatorLookup.GROUP_METADATA_TOPIC)) {
                groupCoordinator.runtime().onMarkerReplicated(tp, producerId, producerEpoch, committed);
            }
        });
        replicaManager.setLeadershipListener(new ReplicaManager.LeadershipListener() {
            @Override
            public void onBecameLeader(TopicPartition tp, int leaderEpoch) {
                if (tp.topic().equals(CoordinatorLookup.GROUP_METADATA_TOPIC)) {
                    groupCoordinator.onBecameLeader(tp, leaderEpoch);
                } else if (tp.topic().equals(CoordinatorLookup.TRANSACTION_STATE_TOPIC)) {
                    txnCoordinator.onBecameLeader(tp, leaderEpoch);
                }
            }

            @Override
            public void onResigned(TopicPartition tp, int leaderEpoch) {
                if (tp.topic().equals(CoordinatorLookup.GROUP_METADATA_TOPIC)) {
                    groupCoordinator.onResigned(tp, leaderEpoch);
                } else if (tp.topic().equals(CoordinatorLookup.TRANSACTION_STATE_TOPIC)) {
                    txnCoordinator.onResigned(tp, leaderEpoch);
                }
            }
        });
    }

    @Override
    public void onStart() {
        raft.start();
        replicaManager.start();
        register();
    }

    private int controller() {
        if (controllerHint >= 0) {
            return controllerHint;
        }
        OptionalInt l = raft.leaderId();
        return l.isPresent() ? l.getAsInt() : voters.get(ctx.random().nextInt(voters.size()));
    }

    private void register() {
        generation++;
        lifecycle = LifecycleState.REGISTERING;
        ctx.send(controller(), new BrokerRegistrationRequest(ctx.nodeId(), incarnationId));
        ctx.setTimer(retryNanos, new BrokerTimer(BrokerTimer.Kind.REGISTER, generation));
    }

    private void heartbeat() {
        if (!heartbeatAnswered) {
            controllerHint = -1; // the last one went unanswered: that controller may be gone
        }
        heartbeatAnswered = false;
        ctx.send(controller(), new BrokerHeartbeatRequest(ctx.nodeId(), brokerEpoch, image.appliedOffset()));
        ctx.setTimer(heartbeatIntervalNanos, new BrokerTimer(BrokerTimer.Kind.HEARTBEAT, generation));
    }

    @Override
    public void onMessage(int from, Message message) {
        if (message instanceof ApiMessage a) {
            if (a instanceof InitProducerIdRequest i && i.transactionalId() != null && !i.transactionalId().isEmpty()) {
                txnCoordinator.handleInitProducerId(from, i); // idempotent producers keep the replica manager's ids
            } else {
                replicaManager.handle(from, a);
            }
            return;
        }
        if (message instanceof TxnOffsetCommitRequest t) {
            groupCoordinator.handleTxnOffsetCommit(from, t);
            return;
        }
        if (message instanceof TxnMessage t) {
            switch (t.kind()) {
                case ADD_PARTITIONS_TO_TXN_REQUEST, ADD_OFFSETS_TO_TXN_REQUEST, END_TXN_REQUEST, WRITE_TXN_MARKERS_RESPONSE ->
                        txnCoordinator.handle(from, t);
                default -> replicaManager.handleTxn(from, t); // WriteTxnMarkers, verification answers
            }
            return;
        }
        if (message instanceof RaftMessage r) {
            raft.handle(from, r);
            return;
        }
        if (message instanceof GroupMessage g) {
            if (g instanceof FindCoordinatorRequest f) {
                ctx.send(from, coordinatorLookup.find(image, f));
            } else {
                groupCoordinator.handle(from, g);
            }
            return;
        }
        if (!(message instanceof ControllerMessage c)) {
            return;
        }
        switch (c.kind()) {
            case REGISTRATION_RESPONSE -> onRegistered((BrokerRegistrationResponse) c);
            case HEARTBEAT_RESPONSE -> onHeartbeatResponse((BrokerHeartbeatResponse) c);
            case ALTER_PARTITION_RESPONSE -> {
                AlterPartitionResponse r = (AlterPartitionResponse) c;
                if (r.error() == Errors.NOT_CONTROLLER) {
                    controllerHint = r.leaderHint().orElse(-1);
                }
                replicaManager.onAlterPartitionResponse(r);
            }
            case CREATE_TOPICS_RESPONSE -> {
                CreateTopicsResponse r = (CreateTopicsResponse) c;
                if (r.error() == Errors.NOT_CONTROLLER) {
                    controllerHint = r.leaderHint().orElse(-1);
                }
                coordinatorLookup.onCreateTopicsResponse(r);
            }
            default -> {}
        }
    }

    private void onRegistered(BrokerRegistrationResponse r) {
        if (lifecycle != LifecycleState.REGISTERING || r.incarnationId() != incarnationId) {
            return; // an answer to a previous incarnation of this broker
        }
        if (r.error() == Errors.NOT_CONTROLLER) {
            controllerHint = r.leaderHint().orElse(-1);
            // retry soon (at the hinted controller, or another voter) rather than after a full request timeout
            ctx.setTimer(REGISTER_RETRY_BACKOFF_NANOS, new BrokerTimer(BrokerTimer.Kind.REGISTER_RETRY, generation));
            return;
        }
        if (r.error() != Errors.NONE) {
            return;
        }
        brokerEpoch = r.brokerEpoch();
        lifecycle = LifecycleState.RECOVERY;
        generation++;
        if (ctx.tracing()) {
            ctx.trace("registered with broker epoch " + brokerEpoch + ", fenced until caught up");
        }
        heartbeat();
        replicaManager.onBrokerEpochChanged();
    }

    private void onHeartbeatResponse(BrokerHeartbeatResponse r) {
        if (lifecycle == LifecycleState.REGISTERING) {
            return;
        }
        heartbeatAnswered = true;
        switch (r.error()) {
            case NONE -> {
                LifecycleState next = r.fenced() ? LifecycleState.RECOVERY : LifecycleState.RUNNING;
                if (next != lifecycle && ctx.tracing()) {
                    ctx.trace("lifecycle " + lifecycle + " -> " + next + " (broker epoch " + brokerEpoch + ")");
                }
                lifecycle = next;
                if (r.fenced()) {
                    // Kafka's BrokerLifecycleManager heartbeats every 10 ms while it is catching up
                    // (STARTING) and at once when it is ready to unfence, so a restarted broker is
                    // unfenced within tens of ms, not a heartbeat interval later
                    generation++; // supersedes the interval timer heartbeat() set
                    ctx.setTimer(RECOVERY_HEARTBEAT_NANOS, new BrokerTimer(BrokerTimer.Kind.HEARTBEAT, generation));
                }
            }
            case STALE_BROKER_EPOCH -> {
                ctx.reached("broker.re-register-stale-epoch");
                register();
            }
            case NOT_CONTROLLER -> controllerHint = r.leaderHint().orElse(-1);
            default -> {}
        }
    }

    @Override
    public void onTimer(Timer timer) {
        if (timer instanceof ReplicationTimer t) {
            replicaManager.onTimer(t);
        } else if (timer instanceof RaftTimer t) {
            raft.onTimer(t);
        } else if (timer instanceof CoordinatorTimer t) {
            if (t.topic().equals(CoordinatorLookup.TRANSACTION_STATE_TOPIC)) {
                txnCoordinator.onTimer(t);
            } else if (t.topic().equals(CoordinatorLookup.GROUP_METADATA_TOPIC)) {
                groupCoordinator.onTimer(t);
            }
        } else if (timer instanceof BrokerTimer t && t.generation() == generation) {
            switch (t.kind()) {
                case REGISTER -> {
                    controllerHint = -1; // no answer: ask whoever the metadata log says leads, or anyone
                    register();
                }
                case REGISTER_RETRY -> register();
                case HEARTBEAT -> heartbeat();
            }
        }
    }

    @Override
    public void onDisconnect(int peer) {
        raft.onDisconnect(peer);
        replicaManager.onDisconnect(peer);
        groupCoordinator.onDisconnect(peer);
        txnCoordinator.onDisconnect(peer);
        if (peer == controllerHint) {
            controllerHint = -1;
        }
    }

    public RaftView raft() {
        return raft;
    }

    public ClusterImage image() {
        return image;
    }

    public ReplicaManager replicaManager() {
        return replicaManager;
    }

    /** The group coordinator: the groups and offsets of the {@code __consumer_offsets} partitions this broker leads. */
    public GroupCoordinator groupCoordinator() {
        return groupCoordinator;
    }

    /** The transaction coordinator: the transactional ids of the {@code __transaction_state} partitions this broker leads. */
    public TransactionCoordinator transactionCoordinator() {
        return txnCoordinator;
    }

    public LifecycleState lifecycle() {
        return lifecycle;
    }

    public long brokerEpoch() {
        return brokerEpoch;
    }

    public long incarnationId() {
        return incarnationId;
    }
}
