package dev.samsa.impl.client;

import dev.samsa.impl.node.Context;
import dev.samsa.impl.protocol.ApiMessage.InitProducerIdRequest;
import dev.samsa.impl.protocol.ApiMessage.InitProducerIdResponse;
import dev.samsa.impl.protocol.Errors;
import dev.samsa.impl.protocol.TopicPartition;
import dev.samsa.spec.bugs.Bug;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The idempotent producer's state, as Kafka's {@code TransactionManager} keeps it for a producer
 * without a transactional id: the producer id and epoch (InitProducerId), and per partition the
 * next sequence number, the batches that hold a sequence and are not resolved yet, and whether a
 * failed batch left the partition's sequences unresolved.
 *
 * <p>Epoch bump (KIP-360, done locally as Kafka's idempotent producer does): a sequenced batch
 * that fails leaves a gap the broker would answer with OUT_OF_ORDER_SEQUENCE_NUMBER, so its
 * partition becomes unresolved and stops taking new batches. Once the partition has no unresolved
 * batch left (KAFKA-14034's fix) the epoch is bumped; each partition restarts at sequence 0 under
 * the new epoch at its next batch (KAFKA-12152: lazily, and only once its own old-epoch batches
 * are resolved). With {@code Bug.KAFKA_14034} the bump happens at once and the partition's
 * unresolved batches are rewritten with the new epoch and sequences from 0.
 *
 * <p>With a {@code transactional.id} it is also Kafka's transactional state machine ({@link State}):
 * which partitions the ongoing transaction holds, which still need AddPartitionsToTxn (their
 * batches wait), and the last error. The requests themselves are in {@link TransactionalRequests}.
 * Epoch bumps then come from the coordinator (EndTxn under KIP-890), never locally.
 */
public final class TransactionManager {

    /** Kafka's TransactionManager.State. */
    enum State {
        UNINITIALIZED,
        INITIALIZING,
        READY,
        IN_TRANSACTION,
        COMMITTING_TRANSACTION,
        ABORTING_TRANSACTION,
        ABORTABLE_ERROR,
        FATAL_ERROR
    }

    /** Errors after which a transactional producer can only be closed (Kafka's fatal exceptions). */
    private static final EnumSet<Errors> FATAL = EnumSet.of(Errors.PRODUCER_FENCED, Errors.INVALID_PRODUCER_EPOCH,
            Errors.INVALID_TXN_STATE, Errors.INVALID_TRANSACTION_TIMEOUT, Errors.TRANSACTIONAL_ID_NOT_FOUND,
            Errors.UNKNOWN_SERVER_ERROR, Errors.INVALID_REQUEST);

    /**
     * Whether {@code error}, returned by a transactional operation, leaves the producer unusable
     * (close it; a fenced producer has a newer instance) rather than in an abortable transaction.
     */
    public static boolean isFatal(Errors error) {
        return FATAL.contains(error);
    }

    /** Per-partition sequence state (Kafka's {@code TxnPartitionEntry}). */
    private static final class PartitionEntry {
        long producerId = -1;
        short producerEpoch = -1;
        int nextSequence;
        boolean unresolved;
        /** Sequenced batches not completed yet, by base sequence. */
        final TreeMap<Integer, ProducerBatch> incomplete = new TreeMap<>();
    }

    private final Context ctx;
    private final long backoffNanos;
    private final long requestTimeoutNanos;
    private final TreeMap<TopicPartition, PartitionEntry> partitions = new TreeMap<>();

    /** Null for an idempotent (non-transactional) producer. */
    final String transactionalId;
    private State state = State.UNINITIALIZED;
    private Errors lastError = Errors.NONE;
    /** Partitions the coordinator added to the ongoing transaction: their batches may be sent. */
    private final TreeSet<TopicPartition> partitionsInTransaction = new TreeSet<>();
    /** Partitions written to and not yet asked for (the next AddPartitionsToTxn). */
    private final TreeSet<TopicPartition> newPartitionsInTransaction = new TreeSet<>();
    /** Partitions of the AddPartitionsToTxn in flight. */
    private final TreeSet<TopicPartition> pendingPartitionsInTransaction = new TreeSet<>();
    /** Something (a partition or offsets) was added at the coordinator: the transaction needs EndTxn. */
    private boolean transactionStarted;

    private long producerId = -1;
    private short producerEpoch = -1;
    private long initCorrelationId = -1;
    private int initBroker = -1;
    private long initDeadlineNanos;
    private long initNotBeforeNanos;

    TransactionManager(Context ctx, long backoffNanos, long requestTimeoutNanos) {
        this(ctx, backoffNanos, requestTimeoutNanos, null);
    }

    TransactionManager(Context ctx, long backoffNanos, long requestTimeoutNanos, String transactionalId) {
        this.ctx = ctx;
        this.transactionalId = transactionalId;
        this.backoffNanos = backoffNanos;
        this.requestTimeoutNanos = requestTimeoutNanos;
    }

    boolean hasProducerId() {
        return producerId >= 0;
    }

    long producerId() {
        return producerId;
    }

    short producerEpoch() {
        return producerEpoch;
    }

    // ------------------------------------------------------------------ transactional state

    boolean isTransactional() {
        return transactionalId != null;
    }

    State state() {
        return state;
    }

    Errors lastError() {
        return lastError;
    }

    boolean hasError() {
        return state == State.ABORTABLE_ERROR || state == State.FATAL_ERROR;
    }

    boolean isCompleting() {
        return state == State.COMMITTING_TRANSACTION || state == State.ABORTING_TRANSACTION;
    }

    /** Kafka's isTransitionValid: from which states each state may be entered. */
    private static boolean isTransitionValid(State from, State to) {
        return switch (to) {
            case UNINITIALIZED, FATAL_ERROR -> true;
            case INITIALIZING -> from == State.UNINITIALIZED || from == State.ABORTING_TRANSACTION;
            case READY -> from == State.INITIALIZING || from == State.COMMITTING_TRANSACTION || from == State.ABORTING_TRANSACTION;
            case IN_TRANSACTION -> from == State.READY;
            case COMMITTING_TRANSACTION -> from == State.IN_TRANSACTION;
            case ABORTING_TRANSACTION -> from == State.IN_TRANSACTION || from == State.ABORTABLE_ERROR;
            case ABORTABLE_ERROR -> from == State.IN_TRANSACTION || from == State.COMMITTING_TRANSACTION
                    || from == State.ABORTABLE_ERROR;
        };
    }

    void transitionTo(State to) {
        if (!isTransitionValid(state, to)) {
            throw new IllegalStateException("TransactionalId " + transactionalId + ": invalid transition " + state + " to " + to);
        }
        if (ctx.tracing()) {
            ctx.trace("transactional id " + transactionalId + " " + state + " -> " + to);
        }
        state = to;
    }

    /** Kafka's transitionToAbortableError: ignored while aborting (the abort already ends the transaction). */
    void transitionToAbortableError(Errors error) {
        if (!isTransitionValid(state, State.ABORTABLE_ERROR)) {
            return; // aborting already (the abort ends the transaction anyway), fatal, or no transaction open
        }
        ctx.reached("producer.txn-abortable-error");
        lastError = error;
        transitionTo(State.ABORTABLE_ERROR);
    }

    void transitionToFatalError(Errors error) {
        ctx.reached("producer.txn-fatal-error");
        lastError = error;
        transitionTo(State.FATAL_ERROR);
    }

    /** The producer id and epoch InitProducerId gave (transactional: through the coordinator). */
    void setProducerIdAndEpoch(long id, short epoch) {
        producerId = id;
        producerEpoch = epoch;
    }

    /**
     * A new producer id or epoch from the coordinator (EndTxn under KIP-890, or InitProducerId
     * bumping the epoch, KIP-360): every partition restarts at sequence 0.
     */
    void bumpedEpoch(long id, short epoch) {
        producerId = id;
        producerEpoch = epoch;
        partitions.clear();
    }

    /** Whether a failed batch left a sequence gap: an abort without a new epoch must then bump it (KIP-360). */
    boolean hasUnresolvedSequences() {
        for (PartitionEntry e : partitions.values()) {
            if (e.unresolved) {
                return true;
            }
        }
        return false;
    }

    /**
     * A transaction ended (EndTxn answered): forget its partitions; a bumped epoch restarts every
     * sequence at 0. {@code next}: READY, or INITIALIZING when the epoch must still be bumped.
     */
    void completeTransaction(long bumpedId, short bumpedEpoch, State next) {
        if (bumpedId >= 0) {
            bumpedEpoch(bumpedId, bumpedEpoch);
        }
        partitionsInTransaction.clear();
        newPartitionsInTransaction.clear();
        pendingPartitionsInTransaction.clear();
        transactionStarted = false;
        lastError = Errors.NONE;
        transitionTo(next);
    }

    /** A record was placed in {@code tp} during the transaction: it must be added before its batch goes. */
    void maybeAddPartition(TopicPartition tp) {
        if (!partitionsInTransaction.contains(tp) && !pendingPartitionsInTransaction.contains(tp)) {
            newPartitionsInTransaction.add(tp);
        }
    }

    /** Batches of a transactional producer go only to partitions already in the transaction. */
    boolean isSendToPartitionAllowed(TopicPartition tp) {
        return transactionalId == null || (state != State.FATAL_ERROR && partitionsInTransaction.contains(tp));
    }

    boolean hasPartitionsToAdd() {
        return !newPartitionsInTransaction.isEmpty();
    }

    boolean hasPendingAddPartitions() {
        return !pendingPartitionsInTransaction.isEmpty();
    }

    /** Moves the partitions to add into the request about to be sent. */
    List<TopicPartition> takePartitionsToAdd() {
        pendingPartitionsInTransaction.addAll(newPartitionsInTransaction);
        newPartitionsInTransaction.clear();
        return new ArrayList<>(pendingPartitionsInTransaction);
    }

    void partitionsAdded() {
        partitionsInTransaction.addAll(pendingPartitionsInTransaction);
        pendingPartitionsInTransaction.clear();
        transactionStarted = true;
    }

    /** The AddPartitionsToTxn in flight failed: ask again for its partitions (retriable) or drop them. */
    void partitionsNotAdded(boolean retry) {
        if (retry) {
            newPartitionsInTransaction.addAll(pendingPartitionsInTransaction);
        }
        pendingPartitionsInTransaction.clear();
    }

    /** An abort drops the partitions never asked for: their batches are aborted, never sent. */
    void dropPartitionsToAdd() {
        newPartitionsInTransaction.clear();
    }

    void markTransactionStarted() {
        transactionStarted = true;
    }

    boolean transactionStarted() {
        return transactionStarted;
    }

    /** Partitions in the ongoing transaction (for tests). */
    TreeSet<TopicPartition> partitionsInTransaction() {
        return new TreeSet<>(partitionsInTransaction);
    }

    // ------------------------------------------------------------------ InitProducerId

    boolean initDue(long nowNanos) {
        return producerId < 0 && initCorrelationId < 0 && nowNanos >= initNotBeforeNanos;
    }

    InitProducerIdRequest newInitRequest(long correlationId, int broker, long nowNanos) {
        initCorrelationId = correlationId;
        initBroker = broker;
        initDeadlineNanos = nowNanos + requestTimeoutNanos;
        return new InitProducerIdRequest(correlationId, "", -1, (short) -1);
    }

    boolean isInitInFlight(long correlationId) {
        return initCorrelationId >= 0 && initCorrelationId == correlationId;
    }

    void handleInitResponse(InitProducerIdResponse response, long nowNanos) {
        initCorrelationId = -1;
        if (response.error() != Errors.NONE) {
            initNotBeforeNanos = nowNanos + backoffNanos; // e.g. COORDINATOR_NOT_AVAILABLE: ask again
            return;
        }
        producerId = response.producerId();
        producerEpoch = response.producerEpoch();
    }

    void checkTimeout(long nowNanos) {
        if (initCorrelationId >= 0 && nowNanos >= initDeadlineNanos) {
            initCorrelationId = -1;
            initNotBeforeNanos = nowNanos + backoffNanos;
        }
    }

    void onDisconnect(int peer, long nowNanos) {
        if (initCorrelationId >= 0 && initBroker == peer) {
            initCorrelationId = -1;
            initNotBeforeNanos = nowNanos + backoffNanos;
        }
    }

    long nextDeadlineNanos() {
        if (producerId >= 0) {
            return Long.MAX_VALUE;
        }
        return initCorrelationId >= 0 ? initDeadlineNanos : initNotBeforeNanos;
    }

    // ------------------------------------------------------------------ sequences

    private PartitionEntry entry(TopicPartition tp) {
        return partitions.computeIfAbsent(tp, k -> new PartitionEntry());
    }

    private boolean isStale(PartitionEntry e) {
        return e.producerId != producerId || e.producerEpoch != producerEpoch;
    }

    /**
     * Whether a new (unsequenced) batch of {@code tp} may be drained: not while the partition's
     * sequences are unresolved, nor while batches of an older epoch are still unresolved there.
     */
    boolean canDrainNew(TopicPartition tp) {
        if (producerId < 0) {
            return false;
        }
        PartitionEntry e = entry(tp);
        return !e.unresolved && !(isStale(e) && !e.incomplete.isEmpty());
    }

    /** Stamps a batch on its first drain; resets the partition to sequence 0 under a new epoch first (KAFKA-12152). */
    void assignSequence(ProducerBatch batch) {
        if (!canDrainNew(batch.tp) || batch.hasSequence()) {
            throw new IllegalStateException("cannot sequence " + batch);
        }
        PartitionEntry e = entry(batch.tp);
        if (isStale(e)) {
            e.producerId = producerId;
            e.producerEpoch = producerEpoch;
            e.nextSequence = 0;
        }
        batch.setProducerState(producerId, producerEpoch, e.nextSequence);
        batch.transactional = transactionalId != null;
        e.nextSequence = advance(e.nextSequence, batch.recordCount());
        e.incomplete.put(batch.baseSequence, batch);
    }

    /** Sequences wrap at Integer.MAX_VALUE to 0, as Kafka's do. */
    private static int advance(int sequence, int count) {
        return (int) ((sequence + (long) count) % ((long) Integer.MAX_VALUE + 1));
    }

    /** A sequenced batch may only be (re)sent when it is the first unresolved one of its partition (KAFKA-5494). */
    boolean isFirstIncomplete(ProducerBatch batch) {
        PartitionEntry e = entry(batch.tp);
        return !e.incomplete.isEmpty() && e.incomplete.firstEntry().getValue() == batch;
    }

    /** An earlier batch of the same partition is still unresolved: an OUT_OF_ORDER answer may be its fault. */
    boolean hasEarlierIncomplete(ProducerBatch batch) {
        PartitionEntry e = entry(batch.tp);
        return !e.incomplete.isEmpty() && e.incomplete.firstEntry().getValue() != batch
                && e.incomplete.containsValue(batch);
    }

    void onBatchCompleted(ProducerBatch batch) {
        if (batch.hasSequence()) {
            entry(batch.tp).incomplete.values().remove(batch);
        }
    }

    /** A sequenced batch failed (or expired after being sent): its sequence is now a gap. */
    void onBatchFailed(ProducerBatch batch) {
        if (!batch.hasSequence()) {
            return;
        }
        PartitionEntry e = entry(batch.tp);
        e.incomplete.values().remove(batch);
        if (batch.producerId != producerId || batch.producerEpoch != producerEpoch) {
            return; // a gap in an epoch we already left behind
        }
        e.unresolved = true;
        if (transactionalId != null) {
            return; // the transaction aborts; the coordinator's bumped epoch resets the sequences
        }
        if (ctx.bug(Bug.KAFKA_14034)) {
            bumpEpoch();
            if (producerId >= 0) {
                resequence(e); // the bug: rewrite the partition's unresolved batches at once
            }
        }
    }

    /** The fix of KAFKA-14034: bump only once an unresolved partition has no unresolved batch left. */
    void maybeBumpEpoch() {
        boolean ready = false;
        for (PartitionEntry e : partitions.values()) {
            ready |= e.unresolved && e.incomplete.isEmpty();
        }
        if (ready) {
            bumpEpoch();
        }
    }

    private void bumpEpoch() {
        ctx.reached("producer.epoch-bump");
        for (PartitionEntry e : partitions.values()) {
            e.unresolved = false; // partitions with old batches left wait for them as stale entries
        }
        if (producerEpoch == Short.MAX_VALUE) {
            producerId = -1; // the epoch would overflow: a new producer id (KIP-360)
            producerEpoch = -1;
            return;
        }
        producerEpoch++;
    }

    /** Bug path: the unresolved batches of a partition get the new epoch and sequences from 0. */
    private void resequence(PartitionEntry e) {
        List<ProducerBatch> batches = new ArrayList<>(e.incomplete.values());
        e.incomplete.clear();
        e.producerId = producerId;
        e.producerEpoch = producerEpoch;
        e.nextSequence = 0;
        for (ProducerBatch b : batches) {
            b.setProducerState(producerId, producerEpoch, e.nextSequence);
            e.nextSequence = advance(e.nextSequence, b.recordCount());
            e.incomplete.put(b.baseSequence, b);
        }
    }

    /** Partitions that currently hold unresolved sequences (for tests and traces). */
    TreeSet<TopicPartition> unresolvedPartitions() {
        TreeSet<TopicPartition> out = new TreeSet<>();
        partitions.forEach((tp, e) -> {
            if (e.unresolved) {
                out.add(tp);
            }
        });
        return out;
    }
}
