package dev.samsa.impl.client;

import dev.samsa.impl.log.Record;
import dev.samsa.impl.log.RecordBatch;
import dev.samsa.impl.protocol.Errors;
import dev.samsa.impl.protocol.TopicPartition;
import java.util.ArrayList;
import java.util.List;

/**
 * A batch of records for one partition as the producer builds, sends and retries it, like
 * Kafka's {@code ProducerBatch}. Its producer id, epoch and base sequence are fixed when it is
 * first drained and kept across retries (only an epoch bump under the KAFKA-14034 bug rewrites
 * them). It remembers whether any attempt may have reached a log, for {@link SendResult#maybeAppended}.
 */
final class ProducerBatch {

    final TopicPartition tp;
    final long createdNanos;
    private final List<Record> records = new ArrayList<>();
    private final List<Callback> callbacks = new ArrayList<>();
    private int uncompressedBytes = RecordBatch.HEADER_BYTES;

    /** No more records once drained: a sent batch is immutable, retries resend the same records. */
    private boolean closed;
    private boolean done;
    int attempts;
    boolean inFlight;
    long retryNotBeforeNanos;
    /** Some attempt's outcome is unknown, or it was acknowledged as appended. */
    boolean maybeAppended;

    long producerId = -1;
    short producerEpoch = -1;
    int baseSequence = -1;
    /** Part of a transaction: set by a transactional producer (the transactional KafkaProducer comes with the coordinator). */
    boolean transactional;

    ProducerBatch(TopicPartition tp, long createdNanos) {
        this.tp = tp;
        this.createdNanos = createdNanos;
    }

    /** Appends if there is room under {@code batchSizeBytes} (an empty batch takes any record, as in Kafka). */
    boolean tryAppend(Record record, Callback callback, int batchSizeBytes) {
        if (closed) {
            return false;
        }
        if (!records.isEmpty() && uncompressedBytes + record.sizeBytes() > batchSizeBytes) {
            return false;
        }
        records.add(record);
        callbacks.add(callback);
        uncompressedBytes += record.sizeBytes();
        return true;
    }

    int recordCount() {
        return records.size();
    }

    int uncompressedBytes() {
        return uncompressedBytes;
    }

    boolean isFull(int batchSizeBytes) {
        return uncompressedBytes >= batchSizeBytes;
    }

    void close() {
        closed = true;
    }

    boolean isClosed() {
        return closed;
    }

    boolean hasSequence() {
        return baseSequence >= 0;
    }

    boolean isDone() {
        return done;
    }

    /** Stamps producer id, epoch and sequence on a batch's first drain (idempotent producer only). */
    void setProducerState(long producerId, short producerEpoch, int baseSequence) {
        this.producerId = producerId;
        this.producerEpoch = producerEpoch;
        this.baseSequence = baseSequence;
    }

    /** The wire form; records are stamped by the leader. Compressed size modelled by {@link Compression}. */
    RecordBatch toRecordBatch(String compression) {
        int size = Compression.sizeBytes(compression, uncompressedBytes);
        return new RecordBatch(-1, -1, producerId, producerEpoch, baseSequence, transactional, false, compression, records, size);
    }

    /** Success: record i of the batch is at {@code baseOffset + i} (-1 stays unknown). */
    void complete(long baseOffset) {
        finish();
        for (int i = 0; i < callbacks.size(); i++) {
            long offset = baseOffset < 0 ? -1 : baseOffset + i;
            callbacks.get(i).onCompletion(new SendResult(tp, offset, Errors.NONE, true));
        }
    }

    void fail(Errors error) {
        if (error == Errors.NONE) {
            throw new IllegalStateException("a failure needs an error");
        }
        finish();
        for (Callback cb : callbacks) {
            cb.onCompletion(new SendResult(tp, -1, error, maybeAppended));
        }
    }

    private void finish() {
        if (done) {
            throw new IllegalStateException("batch of " + tp + " completed twice");
        }
        done = true;
    }

    int lastSequence() {
        return baseSequence + records.size() - 1;
    }

    @Override
    public String toString() {
        return "ProducerBatch[" + tp + " n=" + records.size() + " seq=" + baseSequence + " e=" + producerEpoch + " attempts=" + attempts + "]";
    }
}
