package dev.samsa.impl.log;

import java.util.ArrayDeque;

/**
 * The state of one producer id on one partition: its epoch, the metadata of its last
 * {@value #NUM_BATCHES_TO_RETAIN} batches of that epoch (to recognize retries), the timestamp of
 * its last write (for producer.id.expiration.ms), the first offset of its open transaction on
 * this partition (-1 when none) and the epoch of the coordinator that wrote its last marker (-1
 * before any), which fences markers of a deposed coordinator.
 */
final class ProducerStateEntry {

    /** As Kafka: a producer may have at most this many batches in flight per partition. */
    static final int NUM_BATCHES_TO_RETAIN = 5;

    final long producerId;
    private short producerEpoch;
    private final ArrayDeque<BatchMetadata> batches = new ArrayDeque<>(NUM_BATCHES_TO_RETAIN + 1);
    private long lastTimestampMs;
    private long currentTxnFirstOffset = -1;
    private int coordinatorEpoch = -1;

    ProducerStateEntry(long producerId, short producerEpoch) {
        this.producerId = producerId;
        this.producerEpoch = producerEpoch;
    }

    short producerEpoch() {
        return producerEpoch;
    }

    /** A new epoch starts a new sequence space: forget the old epoch's batches. */
    void maybeUpdateEpoch(short epoch) {
        if (epoch != producerEpoch) {
            producerEpoch = epoch;
            batches.clear();
        }
    }

    Checkpoints.ProducerSnapshotEntry toSnapshot() {
        return new Checkpoints.ProducerSnapshotEntry(producerId, producerEpoch, new java.util.ArrayList<>(batches), lastTimestampMs,
                currentTxnFirstOffset, coordinatorEpoch);
    }

    static ProducerStateEntry fromSnapshot(Checkpoints.ProducerSnapshotEntry s) {
        ProducerStateEntry e = new ProducerStateEntry(s.producerId(), s.producerEpoch());
        for (BatchMetadata b : s.batches()) {
            e.addBatch(b);
        }
        e.setLastTimestampMs(s.lastTimestampMs());
        e.currentTxnFirstOffset = s.currentTxnFirstOffset();
        e.coordinatorEpoch = s.coordinatorEpoch();
        return e;
    }

    void addBatch(BatchMetadata batch) {
        batches.addLast(batch);
        if (batches.size() > NUM_BATCHES_TO_RETAIN) {
            batches.removeFirst();
        }
    }

    /** The cached batch with exactly this epoch and sequence range, or null. */
    BatchMetadata findDuplicate(short epoch, int firstSeq, int lastSeq) {
        if (epoch != producerEpoch) {
            return null;
        }
        for (BatchMetadata b : batches) {
            if (b.firstSeq() == firstSeq && b.lastSeq() == lastSeq) {
                return b;
            }
        }
        return null;
    }

    /** Last sequence of this epoch, -1 when no batch of it is known. */
    int lastSeq() {
        return batches.isEmpty() ? -1 : batches.peekLast().lastSeq();
    }

    /** Last offset written by this producer, -1 when none of this epoch is known. */
    long lastOffset() {
        return batches.isEmpty() ? -1 : batches.peekLast().lastOffset();
    }

    long lastTimestampMs() {
        return lastTimestampMs;
    }

    void setLastTimestampMs(long ms) {
        lastTimestampMs = ms;
    }

    boolean hasBatches() {
        return !batches.isEmpty();
    }

    long currentTxnFirstOffset() {
        return currentTxnFirstOffset;
    }

    void setCurrentTxnFirstOffset(long offset) {
        currentTxnFirstOffset = offset;
    }

    int coordinatorEpoch() {
        return coordinatorEpoch;
    }

    void setCoordinatorEpoch(int epoch) {
        coordinatorEpoch = epoch;
    }
}
