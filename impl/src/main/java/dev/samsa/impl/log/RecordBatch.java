package dev.samsa.impl.log;

import java.util.List;

/**
 * A record batch in Kafka's v2 format: the unit a producer sends, a log stores and a fetch
 * returns. Immutable; the leader stamps the offsets and its leader epoch on append
 * ({@link #assign}). Producer fields are -1 for a non-idempotent producer.
 *
 * @param baseOffset offset of the first record (-1 before the leader assigned it)
 * @param partitionLeaderEpoch epoch of the leader that appended it (-1 before)
 * @param producerId -1 when not idempotent
 * @param producerEpoch -1 when not idempotent
 * @param baseSequence sequence number of the first record, -1 when not idempotent
 * @param transactional part of a transaction (issue: transactions)
 * @param control a control batch (a transaction marker); its one record carries the marker
 * @param compression codec name as in {@code compression.type}
 * @param sizeBytes size on disk and on the wire (after compression)
 */
public record RecordBatch(
        long baseOffset,
        int partitionLeaderEpoch,
        long producerId,
        short producerEpoch,
        int baseSequence,
        boolean transactional,
        boolean control,
        String compression,
        List<Record> records,
        int sizeBytes) {

    /** Kafka's batch header is 61 bytes. */
    public static final int HEADER_BYTES = 61;

    public RecordBatch {
        records = List.copyOf(records);
        if (records.isEmpty()) {
            throw new IllegalArgumentException("a batch holds at least one record");
        }
    }

    /** An uncompressed batch from a producer that is not idempotent. */
    public static RecordBatch of(List<Record> records) {
        return new RecordBatch(-1, -1, -1, (short) -1, -1, false, false, "none", records, uncompressedSize(records));
    }

    public static int uncompressedSize(List<Record> records) {
        int size = HEADER_BYTES;
        for (Record r : records) {
            size += r.sizeBytes();
        }
        return size;
    }

    /** The same batch placed at {@code offset} by a leader of {@code leaderEpoch}. */
    public RecordBatch assign(long offset, int leaderEpoch) {
        return new RecordBatch(offset, leaderEpoch, producerId, producerEpoch, baseSequence, transactional, control, compression, records, sizeBytes);
    }

    public int recordCount() {
        return records.size();
    }

    public long lastOffset() {
        return baseOffset + records.size() - 1;
    }

    /** The offset after this batch. */
    public long nextOffset() {
        return baseOffset + records.size();
    }

    public int lastSequence() {
        return baseSequence < 0 ? -1 : (int) ((baseSequence + (long) records.size() - 1) % ((long) Integer.MAX_VALUE + 1));
    }

    public boolean hasProducerId() {
        return producerId >= 0;
    }

    public long maxTimestampMs() {
        long max = Long.MIN_VALUE;
        for (Record r : records) {
            max = Math.max(max, r.timestampMs());
        }
        return max;
    }

    @Override
    public String toString() {
        return "Batch[" + baseOffset + ".." + lastOffset() + " e" + partitionLeaderEpoch
                + (producerId >= 0 ? " pid " + producerId + "/" + producerEpoch + " seq " + baseSequence : "") + (control ? " control" : "") + "]";
    }
}
