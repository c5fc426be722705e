package dev.samsa.impl.log;

import dev.samsa.impl.protocol.Errors;
import java.util.Iterator;
import java.util.TreeMap;

/**
 * Idempotent-producer state of one partition (kafka-semantics §1.6): per producer id, its epoch
 * and last 5 batches. Leader appends are validated ({@link #validate}); every append, leader or
 * follower, updates the state ({@link #update}); recovery and truncation rebuild it by replaying
 * the log through {@link #update}.
 *
 * <p>A producer's state survives the deletion of its batches by retention (KAFKA-7190): when the
 * log start passes a producer's last batch, the log writes the state of every such producer to
 * its {@code producer-snapshot} file ({@link #retiredBelow}), and recovery loads that file before
 * replaying the log ({@link #load}). Kafka snapshots all producers at every segment roll; samsa
 * snapshots only those whose records are gone, since the others are rebuilt from the log. A
 * producer is forgotten only after producer.id.expiration.ms without a write (KIP-854).
 */
final class ProducerStateManager {

    /** The outcome of validating a leader append: an error, a duplicate of a cached batch, or accepted. */
    record Validation(Errors error, BatchMetadata duplicateOf) {
        static final Validation ACCEPTED = new Validation(Errors.NONE, null);
    }

    private final TreeMap<Long, ProducerStateEntry> producers = new TreeMap<>();

    /** The leader's checks, in Kafka's order: duplicate, fenced epoch, sequence. */
    Validation validate(RecordBatch batch) {
        ProducerStateEntry e = producers.get(batch.producerId());
        if (e == null) {
            return Validation.ACCEPTED; // unknown (or expired) producer: any sequence (KIP-360)
        }
        short epoch = batch.producerEpoch();
        BatchMetadata dup = e.findDuplicate(epoch, batch.baseSequence(), batch.lastSequence());
        if (dup != null && !batch.control()) {
            return new Validation(Errors.NONE, dup);
        }
        if (epoch < e.producerEpoch()) {
            return new Validation(Errors.INVALID_PRODUCER_EPOCH, null);
        }
        if (batch.control()) {
            return Validation.ACCEPTED; // a marker has no sequence
        }
        if (epoch > e.producerEpoch()) {
            return batch.baseSequence() == 0 ? Validation.ACCEPTED : new Validation(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER, null);
        }
        return inSequence(e.lastSeq(), batch.baseSequence()) ? Validation.ACCEPTED : new Validation(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER, null);
    }

    /** Sequences advance by one and wrap from Integer.MAX_VALUE to 0. */
    static boolean inSequence(int lastSeq, int nextSeq) {
        return nextSeq == lastSeq + 1 || (lastSeq == Integer.MAX_VALUE && nextSeq == 0);
    }

    /** Records an appended batch (offsets assigned); no validation (follower appends, recovery). */
    void update(RecordBatch batch) {
        if (!batch.hasProducerId()) {
            return;
        }
        if (batch.baseOffset() < 0) {
            throw new IllegalStateException("producer state updated with an unassigned batch " + batch);
        }
        ProducerStateEntry e = producers.get(batch.producerId());
        if (e == null) {
            e = new ProducerStateEntry(batch.producerId(), batch.producerEpoch());
            producers.put(batch.producerId(), e);
        }
        e.maybeUpdateEpoch(batch.producerEpoch());
        if (!batch.control()) {
            e.addBatch(new BatchMetadata(batch.baseSequence(), batch.lastSequence(), batch.baseOffset(), batch.lastOffset()));
        }
        // a marker's timestamp counts as activity too (KAFKA-9144)
        e.setLastTimestampMs(Math.max(e.lastTimestampMs(), batch.maxTimestampMs()));
    }

    /**
     * The producers whose every batch is now below the log start: their state must outlive their
     * records (KAFKA-7190), or a late retry of their last batch would be appended again. The log
     * writes them to its producer snapshot; they stay here until producer.id.expiration.ms.
     */
    java.util.List<Checkpoints.ProducerSnapshotEntry> retiredBelow(long logStartOffset) {
        java.util.List<Checkpoints.ProducerSnapshotEntry> out = new java.util.ArrayList<>();
        for (ProducerStateEntry e : producers.values()) {
            if (e.hasBatches() && e.lastOffset() < logStartOffset) {
                out.add(e.toSnapshot());
            }
        }
        return out;
    }

    /** Loads the state of producers whose records are gone (from the log's producer snapshot). */
    void load(java.util.List<Checkpoints.ProducerSnapshotEntry> entries) {
        for (Checkpoints.ProducerSnapshotEntry s : entries) {
            producers.put(s.producerId(), ProducerStateEntry.fromSnapshot(s));
        }
    }

    /** Drops producers idle for at least {@code expirationMs} (producer.id.expiration.ms, KIP-854). */
    int removeExpired(long nowMs, long expirationMs) {
        int removed = 0;
        for (Iterator<ProducerStateEntry> it = producers.values().iterator(); it.hasNext(); ) {
            ProducerStateEntry e = it.next();
            if (nowMs - e.lastTimestampMs() >= expirationMs) {
                it.remove();
                removed++;
            }
        }
        return removed;
    }

    ProducerStateEntry get(long producerId) {
        return producers.get(producerId);
    }

    void clear() {
        producers.clear();
    }

    int producerCount() {
        return producers.size();
    }
}
