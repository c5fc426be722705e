package dev.samsa.impl.txn;

import dev.samsa.impl.coordinator.CoordinatorRuntime.ShardContext;
import dev.samsa.impl.metadata.ClusterImage;
import dev.samsa.impl.metadata.PartitionRegistration;
import dev.samsa.impl.node.Context;
import dev.samsa.impl.protocol.Errors;
import dev.samsa.impl.protocol.TopicPartition;
import dev.samsa.impl.protocol.TxnMessage.PartitionResult;
import dev.samsa.impl.protocol.TxnMessage.WritableTxnMarker;
import dev.samsa.impl.protocol.TxnMessage.WritableTxnMarkerResult;
import dev.samsa.impl.protocol.TxnMessage.WriteTxnMarkersRequest;
import dev.samsa.impl.protocol.TxnMessage.WriteTxnMarkersResponse;
import dev.samsa.spec.bugs.Bug;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Writes the markers of transactions in Prepare{Commit,Abort} (Kafka's
 * TransactionMarkerChannelManager): a WriteTxnMarkers to the leader of each partition, as the
 * metadata image names it at the time of sending; a partition whose write failed (leader moved,
 * not enough replicas, timed out, connection lost) is sent again after {@code retry.backoff.ms}
 * to whoever leads it then, until every partition has its marker. Then the transaction's
 * completion is handed back, once, to the coordinator, which writes Complete{Commit,Abort}.
 * A leader answering TRANSACTION_COORDINATOR_FENCED or INVALID_PRODUCER_EPOCH means this
 * coordinator or this epoch is no longer current: sending stops (as in Kafka).
 */
final class TransactionMarkerChannelManager {

    /** Retry backoff (Kafka's retry.backoff.ms default). */
    static final long RETRY_BACKOFF_NANOS = 100_000_000L;
    static final String TIMER_PREFIX = "markers|";

    /** The markers of one transaction still to write. */
    static final class PendingCompleteTxn {
        final String transactionalId;
        final ShardContext sc;
        final TxnTransitMetadata prepared;
        final TreeSet<TopicPartition> remaining;
        /** Partitions with a request in flight, and its correlation id. */
        final TreeMap<TopicPartition, Long> inFlight = new TreeMap<>();
        boolean completed;

        PendingCompleteTxn(String transactionalId, ShardContext sc, TxnTransitMetadata prepared) {
            this.transactionalId = transactionalId;
            this.sc = sc;
            this.prepared = prepared;
            this.remaining = new TreeSet<>(prepared.topicPartitions());
        }

        int coordinatorEpoch() {
            return sc.leaderEpoch();
        }
    }

    private record InFlight(PendingCompleteTxn owner, int broker, List<TopicPartition> partitions, long sentAtNanos) {}

    private final Context ctx;
    /**
     * A request unanswered this long is taken as lost and its partitions are sent again: Kafka's
     * TransactionMarkerChannelManager uses the broker's request.timeout.ms (30 s by default).
     */
    private final long requestTimeoutNanos;
    private final Supplier<ClusterImage> image;
    private final Consumer<PendingCompleteTxn> onMarkersWritten;
    private final TreeMap<String, PendingCompleteTxn> pending = new TreeMap<>();
    private final TreeMap<Long, InFlight> requests = new TreeMap<>();
    private long nextCorrelationId = 1;

    TransactionMarkerChannelManager(Context ctx, Supplier<ClusterImage> image, Consumer<PendingCompleteTxn> onMarkersWritten) {
        this.ctx = ctx;
        this.requestTimeoutNanos = ctx.settings().getMsAsNanos("request.timeout.ms");
        this.image = image;
        this.onMarkersWritten = onMarkersWritten;
    }

    /** Starts writing the markers of a transaction whose Prepare* record committed (or was loaded). */
    void addTxnMarkersToSend(ShardContext sc, String transactionalId, TxnTransitMetadata prepared) {
        PendingCompleteTxn p = new PendingCompleteTxn(transactionalId, sc, prepared);
        pending.put(transactionalId, p);
        if (ctx.tracing()) {
            ctx.trace("txn " + transactionalId + " markers " + (prepared.state() == TransactionState.PREPARE_COMMIT ? "COMMIT" : "ABORT")
                    + " pid " + prepared.producerId() + " epoch " + prepared.producerEpoch() + " to " + prepared.topicPartitions());
        }
        send(p);
    }

    private void send(PendingCompleteTxn p) {
        if (p.remaining.isEmpty()) {
            complete(p);
            return;
        }
        TreeMap<Integer, List<TopicPartition>> byLeader = new TreeMap<>();
        boolean unknownLeader = false;
        ClusterImage img = image.get();
        for (TopicPartition tp : p.remaining) {
            if (p.inFlight.containsKey(tp)) {
                continue;
            }
            Optional<PartitionRegistration> reg = img.partition(tp);
            if (reg.isEmpty() || !reg.get().hasLeader()) {
                unknownLeader = true;
                continue;
            }
            byLeader.computeIfAbsent(reg.get().leader(), k -> new ArrayList<>()).add(tp);
        }
        for (var e : byLeader.entrySet()) {
            long correlationId = nextCorrelationId++;
            TxnTransitMetadata t = p.prepared;
            WritableTxnMarker m = new WritableTxnMarker(t.producerId(), t.producerEpoch(), t.state() == TransactionState.PREPARE_COMMIT,
                    e.getValue(), p.coordinatorEpoch());
            requests.put(correlationId, new InFlight(p, e.getKey(), e.getValue(), ctx.nowNanos()));
            for (TopicPartition tp : e.getValue()) {
                p.inFlight.put(tp, correlationId);
            }
            ctx.send(e.getKey(), new WriteTxnMarkersRequest(correlationId, List.of(m)));
        }
        // come back after a backoff for partitions without a leader, else to look for lost requests
        p.sc.schedule(TIMER_PREFIX + p.transactionalId, unknownLeader ? RETRY_BACKOFF_NANOS : requestTimeoutNanos);
    }

    void onResponse(WriteTxnMarkersResponse r) {
        InFlight f = requests.remove(r.correlationId());
        if (f == null) {
            return;
        }
        PendingCompleteTxn p = f.owner;
        if (pending.get(p.transactionalId) != p) {
            return; // a later transaction of the id, or no longer this broker's
        }
        boolean retry = false;
        for (WritableTxnMarkerResult mr : r.markers()) {
            for (PartitionResult pr : mr.partitions()) {
                Long c = p.inFlight.get(pr.tp());
                if (c != null && c == r.correlationId()) {
                    p.inFlight.remove(pr.tp());
                }
                switch (pr.error()) {
                    case NONE -> p.remaining.remove(pr.tp());
                    case TRANSACTION_COORDINATOR_FENCED, INVALID_PRODUCER_EPOCH -> {
                        // this coordinator (or this producer epoch) is stale: Kafka stops sending this transaction's markers
                        ctx.reached("txn.markers-fenced");
                        pending.remove(p.transactionalId);
                        p.sc.cancel(TIMER_PREFIX + p.transactionalId);
                        return;
                    }
                    case UNKNOWN_TOPIC_OR_PARTITION -> p.remaining.remove(pr.tp()); // the partition is gone
                    default -> retry = true; // NOT_LEADER_OR_FOLLOWER, NOT_ENOUGH_REPLICAS(_AFTER_APPEND), REQUEST_TIMED_OUT
                }
            }
        }
        if (p.remaining.isEmpty()) {
            complete(p);
        } else if (retry) {
            ctx.reached("txn.markers-retry");
            p.sc.schedule(TIMER_PREFIX + p.transactionalId, RETRY_BACKOFF_NANOS);
        }
    }

    /** Every marker is written: hand the completion to the coordinator, once. */
    private void complete(PendingCompleteTxn p) {
        if (ctx.bug(Bug.KAFKA_10080)) {
            // KAFKA-10080's faulty rule: the completion is not taken out of the pending set by the
            // one caller that completes it, so a late answer for a marker of this transaction
            // completes it again, writing the Complete* of this (by then older) transaction
            if (p.completed) {
                ctx.reached("txn.duplicate-completion");
            }
            p.completed = true;
        } else {
            if (pending.get(p.transactionalId) != p) {
                return;
            }
            pending.remove(p.transactionalId);
            p.completed = true;
        }
        p.sc.cancel(TIMER_PREFIX + p.transactionalId);
        onMarkersWritten.accept(p);
    }

    /** The retry timer of a transaction fired: drop lost requests, send what is left. */
    void onRetryTimer(String transactionalId) {
        PendingCompleteTxn p = pending.get(transactionalId);
        if (p == null || p.completed) {
            return;
        }
        long now = ctx.nowNanos();
        for (var it = p.inFlight.entrySet().iterator(); it.hasNext();) {
            InFlight f = requests.get(it.next().getValue());
            if (f == null || now - f.sentAtNanos >= requestTimeoutNanos) {
                it.remove(); // sent again below; a late answer to the old request still counts
            }
        }
        send(p);
    }

    /** The connection to {@code peer} closed: what was in flight to it is sent again after a backoff. */
    void onDisconnect(int peer) {
        List<Long> lost = new ArrayList<>();
        for (var e : requests.entrySet()) {
            if (e.getValue().broker == peer) {
                lost.add(e.getKey());
            }
        }
        for (long c : lost) {
            InFlight f = requests.remove(c);
            PendingCompleteTxn p = f.owner;
            for (TopicPartition tp : f.partitions) {
                Long cur = p.inFlight.get(tp);
                if (cur != null && cur == c) {
                    p.inFlight.remove(tp);
                }
            }
            if (pending.get(p.transactionalId) == p && !p.completed) {
                p.sc.schedule(TIMER_PREFIX + p.transactionalId, RETRY_BACKOFF_NANOS);
            }
        }
    }

    /** The shard of {@code sc} was unloaded: its transactions' markers are the next coordinator's to write. */
    void removeForShard(ShardContext sc) {
        pending.values().removeIf(p -> p.sc == sc);
        requests.values().removeIf(f -> f.owner.sc == sc);
    }
}
