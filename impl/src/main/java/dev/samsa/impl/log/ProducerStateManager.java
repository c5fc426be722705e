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
 * producer is forgotten only after producer.id.expiration.ms without a write (KIP-854), and never
 * while a transaction of it is open.
 *
 * <p>Transactions (kafka-semantics §1.7): a producer's first transactional batch opens its
 * transaction on this partition at that batch's offset; its next control batch (COMMIT or ABORT
 * marker) closes it. Open transactions and completed ones whose marker is not yet below the high
 * watermark are "unstable": the last stable offset stops at the first of them.
 */
final class ProducerStateManager {

    /** The outcome of validating a leader append: an error, a duplicate of a cached batch, or accepted. */
    record Validation(Errors error, BatchMetadata duplicateOf) {
        static final Validation ACCEPTED = new Validation(Errors.NONE, null);
    }

    private final TreeMap<Long, ProducerStateEntry> producers = new TreeMap<>();

    /** Open transactions by first offset → producer id. */
    private final TreeMap<Long, Long> ongoingTxns = new TreeMap<>();
    /** Completed transactions whose marker is at or above the high watermark, by first offset (Kafka's unreplicatedTxns). */
    private final TreeMap<Long, CompletedTxn> unreplicatedTxns = new TreeMap<>();

    /**
     * The leader's checks, in Kafka's order: duplicate, fenced epoch, sequence, then a
     * non-transactional batch inside an open transaction (INVALID_TXN_STATE). Markers: fenced
     * producer epoch (INVALID_PRODUCER_EPOCH, as Kafka since 2.7) and fenced coordinator epoch
     * (TRANSACTION_COORDINATOR_FENCED).
     */
    Validation validate(RecordBatch batch) {
        ProducerStateEntry e = producers.get(batch.producerId());
        if (batch.control()) {
            return validateMarker(batch, e);
        }
        if (e == null) {
            return Validation.ACCEPTED; // unknown (or expired) producer: any sequence (KIP-360)
        }
        short epoch = batch.producerEpoch();
        if (batch.baseSequence() < 0) {
            // written by a coordinator (Kafka's AppendOrigin.COORDINATOR: transactional offsets): no sequence to check
            return epoch < e.producerEpoch() ? new Validation(Errors.INVALID_PRODUCER_EPOCH, null) : Validation.ACCEPTED;
        }
        BatchMetadata dup = e.findDuplicate(epoch, batch.baseSequence(), batch.lastSequence());
        if (dup != null) {
            return new Validation(Errors.NONE, dup);
        }
        if (epoch < e.producerEpoch()) {
            return new Validation(Errors.INVALID_PRODUCER_EPOCH, null);
        }
        if (epoch > e.producerEpoch()) {
            if (batch.baseSequence() != 0) {
                return new Validation(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER, null);
            }
        } else if (!inSequence(e.lastSeq(), batch.baseSequence())) {
            return new Validation(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER, null);
        }
        if (!batch.transactional() && e.currentTxnFirstOffset() >= 0) {
            return new Validation(Errors.INVALID_TXN_STATE, null); // Kafka: "expected transactional write"
        }
        return Validation.ACCEPTED;
    }

    private static Validation validateMarker(RecordBatch batch, ProducerStateEntry e) {
        if (e == null) {
            return Validation.ACCEPTED;
        }
        if (batch.producerEpoch() < e.producerEpoch()) {
            return new Validation(Errors.INVALID_PRODUCER_EPOCH, null);
        }
        EndTransactionMarker m = EndTransactionMarker.of(batch);
        if (m != null && e.coordinatorEpoch() > m.coordinatorEpoch()) {
            return new Validation(Errors.TRANSACTION_COORDINATOR_FENCED, null);
        }
        return Validation.ACCEPTED;
    }

    /** Sequences advance by one and wrap from Integer.MAX_VALUE to 0. */
    static boolean inSequence(int lastSeq, int nextSeq) {
        return nextSeq == lastSeq + 1 || (lastSeq == Integer.MAX_VALUE && nextSeq == 0);
    }

    /**
     * Records an appended batch (offsets assigned); no validation (follower appends, recovery).
     * Returns the transaction a marker completed, or null (not a marker, or a marker of a
     * producer with no open transaction here: it changes no stable offset and no index).
     */
    CompletedTxn update(RecordBatch batch) {
        if (!batch.hasProducerId()) {
            return null;
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
        // a marker's timestamp counts as activity too (KAFKA-9144)
        e.setLastTimestampMs(Math.max(e.lastTimestampMs(), batch.maxTimestampMs()));
        if (batch.control()) {
            return endTransaction(batch, e);
        }
        e.addBatch(new BatchMetadata(batch.baseSequence(), batch.lastSequence(), batch.baseOffset(), batch.lastOffset()));
        if (batch.transactional() && e.currentTxnFirstOffset() < 0) {
            e.setCurrentTxnFirstOffset(batch.baseOffset());
            ongoingTxns.put(batch.baseOffset(), batch.producerId());
        }
        return null;
    }

    private CompletedTxn endTransaction(RecordBatch marker, ProducerStateEntry e) {
        EndTransactionMarker m = EndTransactionMarker.of(marker);
        if (m == null) {
            return null; // not an end-transaction record: it ends nothing
        }
        e.setCoordinatorEpoch(m.coordinatorEpoch());
        long first = e.currentTxnFirstOffset();
        if (first < 0) {
            return null;
        }
        e.setCurrentTxnFirstOffset(-1);
        ongoingTxns.remove(first);
        CompletedTxn done = new CompletedTxn(e.producerId, first, marker.baseOffset(), m.type() == ControlRecordType.ABORT);
        unreplicatedTxns.put(first, done);
        return done;
    }

    /** The HW moved: completed transactions whose marker is now below it are stable. */
    void onHighWatermarkUpdated(long highWatermark) {
        unreplicatedTxns.values().removeIf(t -> t.lastOffset() < highWatermark);
    }

    /** The first offset of an open or not yet replicated transaction; {@code none} when there is none. */
    long firstUnstableOffset(long none) {
        long first = none;
        if (!ongoingTxns.isEmpty()) {
            first = Math.min(first, ongoingTxns.firstKey());
        }
        if (!unreplicatedTxns.isEmpty()) {
            first = Math.min(first, unreplicatedTxns.firstKey());
        }
        return first;
    }

    /** The LSO to record with a just completed transaction in the index: the first still open transaction, else past its marker. */
    long lastStableOffset(CompletedTxn completed) {
        return ongoingTxns.isEmpty() ? completed.lastOffset() + 1 : Math.min(ongoingTxns.firstKey(), completed.lastOffset() + 1);
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
            if (s.currentTxnFirstOffset() >= 0) {
                ongoingTxns.put(s.currentTxnFirstOffset(), s.producerId());
            }
        }
    }

    /** Drops producers idle for at least {@code expirationMs} (producer.id.expiration.ms, KIP-854), but none with an open transaction. */
    int removeExpired(long nowMs, long expirationMs) {
        int removed = 0;
        for (Iterator<ProducerStateEntry> it = producers.values().iterator(); it.hasNext(); ) {
            ProducerStateEntry e = it.next();
            if (e.currentTxnFirstOffset() < 0 && nowMs - e.lastTimestampMs() >= expirationMs) {
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
        ongoingTxns.clear();
        unreplicatedTxns.clear();
    }

    int producerCount() {
        return producers.size();
    }
}
