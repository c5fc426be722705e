package dev.samsa.impl.replication;

import dev.samsa.impl.protocol.Errors;
import dev.samsa.impl.protocol.TopicPartition;
import dev.samsa.impl.protocol.TxnMessage.PartitionResult;
import dev.samsa.impl.protocol.TxnMessage.WritableTxnMarker;
import dev.samsa.impl.protocol.TxnMessage.WritableTxnMarkerResult;
import dev.samsa.impl.protocol.TxnMessage.WriteTxnMarkersResponse;
import java.util.ArrayList;
import java.util.List;

/**
 * A WriteTxnMarkers request whose markers were appended and wait, like an acks=all produce, for
 * the high watermark to pass them (Kafka appends markers with required acks -1). One slot per
 * (marker, partition) of the request, in request order; a slot's result is set once decided.
 */
final class DelayedTxnMarkers {

    static final class Slot {
        final int marker;
        final TopicPartition tp;
        /** The offset after the appended marker; -1 when the slot was decided at once (an error). */
        final long requiredOffset;
        final int leaderEpoch;
        Errors result;

        Slot(int marker, TopicPartition tp, long requiredOffset, int leaderEpoch, Errors result) {
            this.marker = marker;
            this.tp = tp;
            this.requiredOffset = requiredOffset;
            this.leaderEpoch = leaderEpoch;
            this.result = result;
        }
    }

    final long id;
    final int client;
    final long correlationId;
    final List<WritableTxnMarker> markers;
    final List<Slot> slots;

    DelayedTxnMarkers(long id, int client, long correlationId, List<WritableTxnMarker> markers, List<Slot> slots) {
        this.id = id;
        this.client = client;
        this.correlationId = correlationId;
        this.markers = markers;
        this.slots = slots;
    }

    boolean involves(TopicPartition tp) {
        for (Slot s : slots) {
            if (s.result == null && s.tp.equals(tp)) {
                return true;
            }
        }
        return false;
    }

    WriteTxnMarkersResponse response() {
        List<WritableTxnMarkerResult> out = new ArrayList<>(markers.size());
        for (int i = 0; i < markers.size(); i++) {
            List<PartitionResult> parts = new ArrayList<>();
            for (Slot s : slots) {
                if (s.marker == i) {
                    parts.add(new PartitionResult(s.tp, s.result));
                }
            }
            out.add(new WritableTxnMarkerResult(markers.get(i).producerId(), parts));
        }
        return new WriteTxnMarkersResponse(correlationId, out);
    }
}
