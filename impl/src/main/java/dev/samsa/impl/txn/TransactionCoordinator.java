package dev.samsa.impl.txn;

import dev.samsa.impl.coordinator.CoordinatorLookup;
import dev.samsa.impl.coordinator.CoordinatorRuntime;
import dev.samsa.impl.coordinator.CoordinatorRuntime.ShardContext;
import dev.samsa.impl.coordinator.CoordinatorShard;
import dev.samsa.impl.coordinator.CoordinatorTimer;
import dev.samsa.impl.metadata.ClusterImage;
import dev.samsa.impl.node.Context;
import dev.samsa.impl.node.Message;
import dev.samsa.impl.protocol.ApiMessage.InitProducerIdRequest;
import dev.samsa.impl.protocol.ApiMessage.InitProducerIdResponse;
import dev.samsa.impl.protocol.Errors;
import dev.samsa.impl.protocol.TopicPartition;
import dev.samsa.impl.protocol.TxnMessage;
import dev.samsa.impl.protocol.TxnMessage.AddOffsetsToTxnRequest;
import dev.samsa.impl.protocol.TxnMessage.AddOffsetsToTxnResponse;
import dev.samsa.impl.protocol.TxnMessage.AddPartitionsToTxnRequest;
import dev.samsa.impl.protocol.TxnMessage.AddPartitionsToTxnResponse;
import dev.samsa.impl.protocol.TxnMessage.EndTxnRequest;
import dev.samsa.impl.protocol.TxnMessage.EndTxnResponse;
import dev.samsa.impl.protocol.TxnMessage.PartitionResult;
import dev.samsa.impl.protocol.TxnMessage.WriteTxnMarkersResponse;
import dev.samsa.impl.replication.ReplicaManager;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The transaction coordinator of one broker (Kafka's TransactionCoordinator): the shards of the
 * {@code __transaction_state} partitions it leads, run by a {@link CoordinatorRuntime}; a
 * transactional id lives in partition {@code abs(id.hashCode()) % partitions}, and this
 * partition's leader epoch is the coordinator epoch its markers carry. Every state change is
 * written there (acks=all) before the request is answered. The request rules are in
 * {@link TransactionRequests}; this class routes, persists and drives markers and timeouts.
 */
public final class TransactionCoordinator {

    /** Kafka appends to the transaction log with request.timeout.ms as the acks=all timeout. */
    static final long WRITE_TIMEOUT_MS = 30_000;

    /** Where a response goes: the client, and the generation of its connection (answers for closed ones are dropped). */
    record Responder(int client, long connection) {}

    private final Context ctx;
    private final Supplier<ClusterImage> image;
    private final CoordinatorRuntime runtime;
    private final TransactionMarkerChannelManager markers;
    private final TransactionRequests requests;
    private final TreeMap<Integer, Long> connections = new TreeMap<>();

    public TransactionCoordinator(Context ctx, ReplicaManager replicaManager, Supplier<ClusterImage> image) {
        this.ctx = ctx;
        this.image = image;
        this.markers = new TransactionMarkerChannelManager(ctx, image, this::onMarkersWritten);
        this.requests = new TransactionRequests(this, ctx);
        TransactionCoordinatorShard.Listener listener = new TransactionCoordinatorShard.Listener() {
            @Override
            public void onLoaded(TransactionCoordinatorShard shard) {
                TransactionCoordinator.this.onLoaded(shard);
            }

            @Override
            public void onUnloaded(TransactionCoordinatorShard shard) {
                markers.removeForShard(shard.context());
            }

            @Override
            public void onTimer(TransactionCoordinatorShard shard, String key) {
                TransactionCoordinator.this.onShardTimer(shard, key);
            }
        };
        this.runtime = new CoordinatorRuntime(ctx, replicaManager, CoordinatorLookup.TRANSACTION_STATE_TOPIC, true,
                sc -> new TransactionCoordinatorShard(sc, listener));
    }

    public CoordinatorRuntime runtime() {
        return runtime;
    }

    /** The {@code __transaction_state} partition of {@code transactionalId}: by the topic's partition count, else the setting. */
    public TopicPartition partitionFor(String transactionalId) {
        var n = image.get().topic(CoordinatorLookup.TRANSACTION_STATE_TOPIC);
        int count = n.isPresent() ? n.getAsInt() : ctx.settings().getInt("transaction.state.log.num.partitions");
        return new TopicPartition(CoordinatorLookup.TRANSACTION_STATE_TOPIC, CoordinatorLookup.partitionFor(transactionalId, count));
    }

    /** The {@code __consumer_offsets} partition of {@code groupId} (AddOffsetsToTxn adds it to the transaction). */
    TopicPartition offsetsPartitionFor(String groupId) {
        var n = image.get().topic(CoordinatorLookup.GROUP_METADATA_TOPIC);
        int count = n.isPresent() ? n.getAsInt() : ctx.settings().getInt("offsets.topic.num.partitions");
        return new TopicPartition(CoordinatorLookup.GROUP_METADATA_TOPIC, CoordinatorLookup.partitionFor(groupId, count));
    }

    // ================================================================== requests

    /** InitProducerId with a non-empty transactional id (idempotent producers are the replica manager's). */
    public void handleInitProducerId(int from, InitProducerIdRequest r) {
        Responder to = responder(from);
        Lookup l = lookup(r.transactionalId());
        if (l.error != Errors.NONE) {
            respond(to, new InitProducerIdResponse(r.correlationId(), l.error, -1, (short) -1));
            return;
        }
        requests.initProducerId(l.shard, r, (e, pid, epoch) -> respond(to, new InitProducerIdResponse(r.correlationId(), e, pid, epoch)));
    }

    public void handle(int from, TxnMessage m) {
        Responder to = responder(from);
        switch (m.kind()) {
            case ADD_PARTITIONS_TO_TXN_REQUEST -> {
                AddPartitionsToTxnRequest r = (AddPartitionsToTxnRequest) m;
                Lookup l = lookup(r.transactionalId());
                Consumer<TreeMap<TopicPartition, Errors>> answer = results -> {
                    List<PartitionResult> out = new ArrayList<>();
                    for (var e : results.entrySet()) {
                        out.add(new PartitionResult(e.getKey(), e.getValue()));
                    }
                    respond(to, new AddPartitionsToTxnResponse(r.correlationId(), out));
                };
                if (l.error != Errors.NONE) {
                    answer.accept(TransactionRequests.all(r.partitions(), l.error));
                } else if (r.verifyOnly()) {
                    answer.accept(requests.verifyPartitionsInTransaction(l.shard, r));
                } else {
                    requests.addPartitions(l.shard, r.transactionalId(), r.producerId(), r.producerEpoch(), r.partitions(), answer);
                }
            }
            case ADD_OFFSETS_TO_TXN_REQUEST -> {
                AddOffsetsToTxnRequest r = (AddOffsetsToTxnRequest) m;
                Lookup l = lookup(r.transactionalId());
                if (l.error != Errors.NONE) {
                    respond(to, new AddOffsetsToTxnResponse(r.correlationId(), l.error));
                } else {
                    TopicPartition tp = offsetsPartitionFor(r.groupId());
                    requests.addPartitions(l.shard, r.transactionalId(), r.producerId(), r.producerEpoch(), List.of(tp),
                            results -> respond(to, new AddOffsetsToTxnResponse(r.correlationId(), results.get(tp))));
                }
            }
            case END_TXN_REQUEST -> {
                EndTxnRequest r = (EndTxnRequest) m;
                Lookup l = lookup(r.transactionalId());
                if (l.error != Errors.NONE) {
                    respond(to, new EndTxnResponse(r.correlationId(), l.error, -1, (short) -1));
                } else {
                    requests.endTransaction(l.shard, r, (e, pid, epoch) -> respond(to, new EndTxnResponse(r.correlationId(), e, pid, epoch)));
                }
            }
            case WRITE_TXN_MARKERS_RESPONSE -> markers.onResponse((WriteTxnMarkersResponse) m);
            default -> {} // TxnOffsetCommit is the group coordinator's; WriteTxnMarkers requests the replica manager's
        }
    }

    private record Lookup(Errors error, TransactionCoordinatorShard shard) {}

    private Lookup lookup(String transactionalId) {
        if (transactionalId == null || transactionalId.isEmpty()) {
            return new Lookup(Errors.INVALID_REQUEST, null);
        }
        ShardContext c = runtime.context(partitionFor(transactionalId));
        if (c == null || c.state() == CoordinatorRuntime.State.CLOSED) {
            return new Lookup(Errors.NOT_COORDINATOR, null);
        }
        if (c.state() == CoordinatorRuntime.State.LOADING) {
            return new Lookup(Errors.COORDINATOR_LOAD_IN_PROGRESS, null);
        }
        return new Lookup(Errors.NONE, (TransactionCoordinatorShard) c.shard());
    }

    private Responder responder(int from) {
        return new Responder(from, connections.getOrDefault(from, 0L));
    }

    private void respond(Responder to, Message m) {
        if (connections.getOrDefault(to.client(), 0L) == to.connection()) {
            ctx.send(to.client(), m);
        }
    }

    // ================================================================== persistence and markers

    /**
     * Writes {@code t} as {@code md}'s next state; {@code done} gets NONE once it committed (and
     * was replayed into {@code md}), else the error the client should see (Kafka's mapping of
     * transaction-log append errors).
     */
    void persist(TransactionCoordinatorShard shard, TransactionMetadata md, TxnTransitMetadata t, Consumer<Errors> done) {
        md.pending = t;
        ShardContext sc = shard.context();
        sc.write(List.of(TransactionLog.record(md.transactionalId, t, ctx.wallClockMs())), true, WRITE_TIMEOUT_MS, error -> {
            if (md.pending == t) {
                md.pending = null;
            }
            done.accept(switch (error) {
                case NONE -> Errors.NONE;
                case UNKNOWN_TOPIC_OR_PARTITION, NOT_ENOUGH_REPLICAS, NOT_ENOUGH_REPLICAS_AFTER_APPEND, REQUEST_TIMED_OUT ->
                        Errors.COORDINATOR_NOT_AVAILABLE;
                case NOT_LEADER_OR_FOLLOWER, KAFKA_STORAGE_ERROR -> Errors.NOT_COORDINATOR;
                default -> Errors.UNKNOWN_SERVER_ERROR;
            });
        });
    }

    /** A Prepare* state committed: write its markers. */
    void sendMarkers(TransactionCoordinatorShard shard, TransactionMetadata md) {
        markers.addTxnMarkersToSend(shard.context(), md.transactionalId, md.current());
    }

    private void onMarkersWritten(TransactionMarkerChannelManager.PendingCompleteTxn p) {
        ShardContext sc = p.sc;
        if (sc.state() != CoordinatorRuntime.State.ACTIVE) {
            return;
        }
        requests.completeTransaction((TransactionCoordinatorShard) sc.shard(), p.transactionalId, p.prepared);
    }

    /** After a load: transactions caught in Prepare* resume their markers; timeouts are checked periodically. */
    private void onLoaded(TransactionCoordinatorShard shard) {
        for (TransactionMetadata md : shard.metadata().values()) {
            if (md.state.isPrepare()) {
                ctx.reached("txn.markers-resumed-after-load");
                sendMarkers(shard, md);
            }
        }
        shard.context().schedule(TransactionCoordinatorShard.ABORT_TIMED_OUT, abortIntervalNanos());
    }

    private long abortIntervalNanos() {
        return ctx.settings().getMsAsNanos("transaction.abort.timed.out.transaction.cleanup.interval.ms");
    }

    private void onShardTimer(TransactionCoordinatorShard shard, String key) {
        if (key.equals(TransactionCoordinatorShard.ABORT_TIMED_OUT)) {
            requests.abortTimedOutTransactions(shard);
            shard.context().schedule(TransactionCoordinatorShard.ABORT_TIMED_OUT, abortIntervalNanos());
        } else if (key.startsWith(TransactionMarkerChannelManager.TIMER_PREFIX)) {
            markers.onRetryTimer(key.substring(TransactionMarkerChannelManager.TIMER_PREFIX.length()));
        } else if (key.startsWith(TransactionRequests.COMPLETE_RETRY_PREFIX)) {
            requests.retryCompletion(shard, key.substring(TransactionRequests.COMPLETE_RETRY_PREFIX.length()));
        }
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
        markers.onDisconnect(peer);
    }

    // ================================================================== views (for invariants and tests)

    /** The metadata of {@code transactionalId} if this broker coordinates it and knows it. */
    public Optional<TransactionMetadata> metadata(String transactionalId) {
        CoordinatorShard s = runtime.shards().get(partitionFor(transactionalId));
        return s == null ? Optional.empty() : Optional.ofNullable(((TransactionCoordinatorShard) s).get(transactionalId));
    }

    /** The shards this broker has loaded, by {@code __transaction_state} partition. */
    public NavigableMap<TopicPartition, TransactionCoordinatorShard> shards() {
        TreeMap<TopicPartition, TransactionCoordinatorShard> out = new TreeMap<>();
        for (var e : runtime.shards().entrySet()) {
            out.put(e.getKey(), (TransactionCoordinatorShard) e.getValue());
        }
        return out;
    }
}
