package dev.samsa.impl.log;

import java.util.List;

/**
 * The one record of a control batch that ends a transaction (Kafka's {@code EndTransactionMarker}):
 * COMMIT or ABORT, and the epoch of the transaction coordinator that wrote it, so a deposed
 * coordinator's late marker can be fenced (TRANSACTION_COORDINATOR_FENCED). The record's key is
 * the control key ({@link ControlRecordType#recordKey}); its value is version 0 and the
 * coordinator epoch, written here as "0:&lt;epoch&gt;".
 */
public record EndTransactionMarker(ControlRecordType type, int coordinatorEpoch) {

    /** The control batch a partition leader appends for this marker (offsets assigned by the log). */
    public RecordBatch toBatch(long producerId, short producerEpoch, long timestampMs) {
        List<Record> rs = List.of(new Record(type.recordKey(), "0:" + coordinatorEpoch, timestampMs));
        return new RecordBatch(-1, -1, producerId, producerEpoch, -1, true, true, "none", rs, RecordBatch.uncompressedSize(rs));
    }

    /** The marker a control batch carries; null when its record is not one (not a control batch, or a malformed key). */
    public static EndTransactionMarker of(RecordBatch batch) {
        if (!batch.control()) {
            return null;
        }
        Record r = batch.records().get(0);
        ControlRecordType t = ControlRecordType.fromRecordKey(r.key());
        if (t == null || r.value() == null || !r.value().startsWith("0:")) {
            return null;
        }
        return new EndTransactionMarker(t, Integer.parseInt(r.value().substring(2)));
    }
}
