package dev.samsa.impl.txn;

import dev.samsa.impl.protocol.TopicPartition;
import java.util.ArrayList;
import java.util.TreeSet;
import java.util.function.LongSupplier;

/**
 * The coordinator's view of one transactional id (Kafka's TransactionMetadata): the committed
 * state, as replayed from __transaction_state, and at most one transition being written
 * ({@code pending}): while it is, requests that would change the state get
 * CONCURRENT_TRANSACTIONS. The {@code prepare*} methods build transitions; they change nothing.
 */
public final class TransactionMetadata {

    /** Epochs run to Short.MAX_VALUE - 1; at that point the next bump takes a new producer id (KIP-360). */
    static final short MAX_EPOCH = Short.MAX_VALUE - 1;

    final String transactionalId;
    long producerId;
    long prevProducerId = -1;
    short producerEpoch = -1;
    short lastProducerEpoch = -1;
    long txnTimeoutMs;
    TransactionState state = TransactionState.EMPTY;
    final TreeSet<TopicPartition> topicPartitions = new TreeSet<>();
    long txnStartTimestampMs = -1;
    long txnLastUpdateTimestampMs;
    /** The transition being written, or null. */
    TxnTransitMetadata pending;

    TransactionMetadata(String transactionalId, long producerId, long txnTimeoutMs, long nowMs) {
        this.transactionalId = transactionalId;
        this.producerId = producerId;
        this.txnTimeoutMs = txnTimeoutMs;
        this.txnLastUpdateTimestampMs = nowMs;
    }

    /** The committed state becomes {@code t} (replay of a record, live or during a load). */
    void apply(TxnTransitMetadata t) {
        producerId = t.producerId();
        prevProducerId = t.prevProducerId();
        producerEpoch = t.producerEpoch();
        lastProducerEpoch = t.lastProducerEpoch();
        txnTimeoutMs = t.txnTimeoutMs();
        state = t.state();
        topicPartitions.clear();
        topicPartitions.addAll(t.topicPartitions());
        txnStartTimestampMs = t.txnStartTimestampMs();
        txnLastUpdateTimestampMs = t.txnLastUpdateTimestampMs();
    }

    TxnTransitMetadata current() {
        return new TxnTransitMetadata(producerId, prevProducerId, producerEpoch, lastProducerEpoch, txnTimeoutMs, state,
                new ArrayList<>(topicPartitions), txnStartTimestampMs, txnLastUpdateTimestampMs);
    }

    boolean isEpochExhausted() {
        return producerEpoch >= MAX_EPOCH;
    }

    /**
     * InitProducerId on an Empty or completed transaction: epoch + 1; a brand-new id's first epoch
     * 0; when the epoch is exhausted, a new producer id ({@code newProducerId}) at epoch 0.
     */
    TxnTransitMetadata prepareIncrementProducerEpoch(LongSupplier newProducerId, long nowMs) {
        if (producerEpoch < 0) {
            return new TxnTransitMetadata(producerId, -1, (short) 0, (short) -1, txnTimeoutMs, TransactionState.EMPTY, new ArrayList<>(), -1, nowMs);
        }
        if (isEpochExhausted()) {
            return new TxnTransitMetadata(newProducerId.getAsLong(), producerId, (short) 0, (short) -1, txnTimeoutMs, TransactionState.EMPTY,
                    new ArrayList<>(), -1, nowMs);
        }
        return new TxnTransitMetadata(producerId, prevProducerId, (short) (producerEpoch + 1), producerEpoch, txnTimeoutMs,
                TransactionState.EMPTY, new ArrayList<>(), -1, nowMs);
    }

    /** Partitions join the transaction; it starts (Ongoing) now if it was not running. */
    TxnTransitMetadata prepareAddPartitions(Iterable<TopicPartition> added, long nowMs) {
        TreeSet<TopicPartition> all = new TreeSet<>(topicPartitions);
        if (state != TransactionState.ONGOING) {
            all.clear();
        }
        for (TopicPartition tp : added) {
            all.add(tp);
        }
        long start = state == TransactionState.ONGOING ? txnStartTimestampMs : nowMs;
        return new TxnTransitMetadata(producerId, prevProducerId, producerEpoch, lastProducerEpoch, txnTimeoutMs,
                TransactionState.ONGOING, new ArrayList<>(all), start, nowMs);
    }

    /**
     * Ongoing → Prepare{Commit,Abort}, with the epoch the markers will carry: {@code bumpEpoch}
     * under transaction.version 2 (KIP-890 part 2: every transaction ends with a new epoch), the
     * same one otherwise. (Kafka switches to a new producer id when this bump exhausts the epoch;
     * samsa's runs never get near 32767 transactions per id, so that case is not modelled here.)
     */
    TxnTransitMetadata prepareAbortOrCommit(TransactionState next, boolean bumpEpoch, long nowMs) {
        short epoch = bumpEpoch ? (short) (producerEpoch + 1) : producerEpoch;
        short last = bumpEpoch ? producerEpoch : lastProducerEpoch;
        return new TxnTransitMetadata(producerId, prevProducerId, epoch, last, txnTimeoutMs, next, new ArrayList<>(topicPartitions),
                txnStartTimestampMs, nowMs);
    }

    /**
     * The coordinator aborts on its own (timeout, or a new InitProducerId while Ongoing): the epoch
     * is bumped first to fence the producer (Kafka's PrepareEpochFence, kept in memory only there;
     * here folded into the PrepareAbort record) unless {@code bumpEpoch} is false. The previous
     * epoch is not remembered, so the fenced producer's EndTxn cannot pass for a retry.
     */
    TxnTransitMetadata prepareFenceAndAbort(boolean bumpEpoch, long nowMs) {
        short epoch = bumpEpoch ? (short) (producerEpoch + 1) : producerEpoch;
        short last = bumpEpoch ? (short) -1 : lastProducerEpoch;
        return new TxnTransitMetadata(producerId, prevProducerId, epoch, last, txnTimeoutMs, TransactionState.PREPARE_ABORT, new ArrayList<>(topicPartitions),
                txnStartTimestampMs, nowMs);
    }

    /** Prepare* → Complete*: the markers are written; the partitions are no longer part of a transaction. */
    TxnTransitMetadata prepareComplete(long nowMs) {
        TransactionState next = state == TransactionState.PREPARE_COMMIT ? TransactionState.COMPLETE_COMMIT : TransactionState.COMPLETE_ABORT;
        return new TxnTransitMetadata(producerId, prevProducerId, producerEpoch, lastProducerEpoch, txnTimeoutMs, next, new ArrayList<>(),
                txnStartTimestampMs, nowMs);
    }

    @Override
    public String toString() {
        return transactionalId + "[pid " + producerId + " epoch " + producerEpoch + " " + state + " " + topicPartitions
                + (pending != null ? " pending " + pending.state() : "") + "]";
    }

    // ------------------------------------------------------------------ views

    public String transactionalId() {
        return transactionalId;
    }

    public long producerId() {
        return producerId;
    }

    public short producerEpoch() {
        return producerEpoch;
    }

    public short lastProducerEpoch() {
        return lastProducerEpoch;
    }

    public TransactionState state() {
        return state;
    }

    public TreeSet<TopicPartition> topicPartitions() {
        return new TreeSet<>(topicPartitions);
    }

    public boolean hasPendingTransition() {
        return pending != null;
    }

    public long txnStartTimestampMs() {
        return txnStartTimestampMs;
    }
}
