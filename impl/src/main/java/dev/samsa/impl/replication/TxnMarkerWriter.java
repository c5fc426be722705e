package dev.samsa.impl.replication;

import dev.samsa.impl.log.AppendResult;
import dev.samsa.impl.log.ControlRecordType;
import dev.samsa.impl.log.EndTransactionMarker;
import dev.samsa.impl.node.Context;
import dev.samsa.impl.protocol.Errors;
import dev.samsa.impl.protocol.TopicPartition;
import dev.samsa.impl.protocol.TxnMessage.WritableTxnMarker;
import dev.samsa.impl.protocol.TxnMessage.WriteTxnMarkersRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The partition-leader side of WriteTxnMarkers (Kafka's {@code KafkaApis.handleWriteTxnMarkersRequest}
 * appending with required acks -1): each marker's control batch is appended to each of its
 * partitions this broker leads, and the request is answered once every one is replicated or
 * failed — NOT_LEADER_OR_FOLLOWER, NOT_ENOUGH_REPLICAS(_AFTER_APPEND), INVALID_PRODUCER_EPOCH (a
 * zombie producer epoch), TRANSACTION_COORDINATOR_FENCED (a deposed coordinator),
 * REQUEST_TIMED_OUT. The coordinator retries the retriable ones. Owned by the replica manager,
 * which wakes it when a partition's high watermark may have moved.
 */
final class TxnMarkerWriter {

    /** Kafka appends markers with the broker's request.timeout.ms (default 30 s) as the acks=all timeout. */
    static final long MARKER_TIMEOUT_MS = 30_000;

    private final Context ctx;
    private final Function<TopicPartition, Partition> partitions;
    /** Called after a marker was appended to a partition (its leader-side change may complete other parked requests). */
    private final Consumer<Partition> afterAppend;
    private final TreeMap<Long, DelayedTxnMarkers> delayed = new TreeMap<>();
    private ReplicaManager.TxnMarkerListener listener;

    TxnMarkerWriter(Context ctx, Function<TopicPartition, Partition> partitions, Consumer<Partition> afterAppend) {
        this.ctx = ctx;
        this.partitions = partitions;
        this.afterAppend = afterAppend;
    }

    void setListener(ReplicaManager.TxnMarkerListener listener) {
        this.listener = listener;
    }

    /** Appends the markers; answers at once or parks the request as {@code delayedId}. */
    void onWriteTxnMarkers(int from, WriteTxnMarkersRequest r, long delayedId) {
        List<DelayedTxnMarkers.Slot> slots = new ArrayList<>();
        for (int i = 0; i < r.markers().size(); i++) {
            WritableTxnMarker m = r.markers().get(i);
            EndTransactionMarker marker = new EndTransactionMarker(m.committed() ? ControlRecordType.COMMIT : ControlRecordType.ABORT, m.coordinatorEpoch());
            for (TopicPartition tp : m.partitions()) {
                Partition p = partitions.apply(tp);
                if (p == null) {
                    slots.add(new DelayedTxnMarkers.Slot(i, tp, -1, -1, Errors.NOT_LEADER_OR_FOLLOWER));
                    continue;
                }
                AppendResult a = p.appendRecordsToLeader(marker.toBatch(m.producerId(), m.producerEpoch(), ctx.wallClockMs()), (short) -1);
                if (a.error() != Errors.NONE) {
                    slots.add(new DelayedTxnMarkers.Slot(i, tp, -1, -1, a.error()));
                    continue;
                }
                ctx.reached("txn.marker-written");
                slots.add(new DelayedTxnMarkers.Slot(i, tp, a.lastOffset() + 1, p.leaderEpoch(), null));
                afterAppend.accept(p);
            }
        }
        DelayedTxnMarkers d = new DelayedTxnMarkers(delayedId, from, r.correlationId(), r.markers(), slots);
        if (!tryComplete(d)) {
            delayed.put(d.id, d);
            ctx.setTimer(MARKER_TIMEOUT_MS * 1_000_000L, new ReplicationTimer(ReplicationTimer.Kind.TXN_MARKERS_TIMEOUT, d.id));
        }
    }

    /** Answers the request if every slot is decided; true when answered. */
    private boolean tryComplete(DelayedTxnMarkers d) {
        boolean allDone = true;
        for (DelayedTxnMarkers.Slot s : d.slots) {
            if (s.result == null) {
                Partition p = partitions.apply(s.tp);
                s.result = p == null ? Errors.NOT_LEADER_OR_FOLLOWER : p.checkEnoughReplicasReachOffset(s.requiredOffset, s.leaderEpoch);
                allDone &= s.result != null;
                if (s.result == Errors.NONE && listener != null) {
                    WritableTxnMarker m = d.markers.get(s.marker);
                    listener.onMarkerReplicated(s.tp, m.producerId(), m.producerEpoch(), m.committed());
                }
            }
        }
        if (allDone) {
            ctx.send(d.client, d.response());
        }
        return allDone;
    }

    /** {@code tp} changed on the leader side (HW, ISR, leadership): complete what it unblocks. */
    void complete(TopicPartition tp) {
        if (delayed.isEmpty()) {
            return;
        }
        List<Long> ids = new ArrayList<>();
        for (DelayedTxnMarkers d : delayed.values()) {
            if (d.involves(tp)) {
                ids.add(d.id);
            }
        }
        for (long id : ids) {
            DelayedTxnMarkers d = delayed.get(id);
            if (d != null && tryComplete(d)) {
                delayed.remove(id);
            }
        }
    }

    void onTimeout(long id) {
        DelayedTxnMarkers d = delayed.remove(id);
        if (d != null) {
            for (DelayedTxnMarkers.Slot s : d.slots) {
                if (s.result == null) {
                    s.result = Errors.REQUEST_TIMED_OUT;
                }
            }
            ctx.send(d.client, d.response());
        }
    }

    /** Requests parked for that peer can no longer be answered on its connection. */
    void onDisconnect(int peer) {
        delayed.values().removeIf(d -> d.client == peer);
    }
}
