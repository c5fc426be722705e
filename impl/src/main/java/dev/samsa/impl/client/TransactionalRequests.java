package dev.samsa.impl.client;

import dev.samsa.impl.client.TransactionManager.State;
import dev.samsa.impl.node.Message;
import dev.samsa.impl.protocol.ApiMessage;
import dev.samsa.impl.protocol.ApiMessage.InitProducerIdRequest;
import dev.samsa.impl.protocol.ApiMessage.InitProducerIdResponse;
import dev.samsa.impl.protocol.Errors;
import dev.samsa.impl.protocol.GroupMessage;
import dev.samsa.impl.protocol.GroupMessage.CoordinatorType;
import dev.samsa.impl.protocol.GroupMessage.FindCoordinatorRequest;
import dev.samsa.impl.protocol.GroupMessage.FindCoordinatorResponse;
import dev.samsa.impl.protocol.TopicPartition;
import dev.samsa.impl.protocol.TxnMessage;
import dev.samsa.impl.protocol.TxnMessage.AddOffsetsToTxnRequest;
import dev.samsa.impl.protocol.TxnMessage.AddOffsetsToTxnResponse;
import dev.samsa.impl.protocol.TxnMessage.AddPartitionsToTxnRequest;
import dev.samsa.impl.protocol.TxnMessage.AddPartitionsToTxnResponse;
import dev.samsa.impl.protocol.TxnMessage.EndTxnRequest;
import dev.samsa.impl.protocol.TxnMessage.EndTxnResponse;
import dev.samsa.impl.protocol.TxnMessage.PartitionResult;
import dev.samsa.impl.protocol.TxnMessage.TxnOffsetCommitPartition;
import dev.samsa.impl.protocol.TxnMessage.TxnOffsetCommitRequest;
import dev.samsa.impl.protocol.TxnMessage.TxnOffsetCommitResponse;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongFunction;

/**
 * The requests of a transactional producer (the request handlers of Kafka's
 * {@code TransactionManager}): FindCoordinator (TRANSACTION for the transactional id, GROUP for
 * sendOffsetsToTransaction), InitProducerId, AddPartitionsToTxn, AddOffsetsToTxn, TxnOffsetCommit
 * and EndTxn. One is in flight at a time; the next is chosen by Kafka's priorities (coordinator
 * lookup, InitProducerId, AddPartitions, AddOffsets / TxnOffsetCommit, EndTxn). EndTxn waits until
 * every batch of the transaction is done (a commit flushes them first). Each answer is classified
 * as Kafka does: retriable (again after retry.backoff.ms; NOT_COORDINATOR and
 * COORDINATOR_NOT_AVAILABLE, timeouts and disconnects look the coordinator up again), abortable
 * (ABORTABLE_ERROR) or fatal (FATAL_ERROR).
 */
final class TransactionalRequests {

    /** One sendOffsetsToTransaction: AddOffsetsToTxn, then TxnOffsetCommit to the group coordinator. */
    private static final class OffsetsOp {
        final Map<TopicPartition, OffsetAndMetadata> offsets;
        final ConsumerGroupMetadata group;
        final Consumer<Errors> done;
        boolean added;

        OffsetsOp(Map<TopicPartition, OffsetAndMetadata> offsets, ConsumerGroupMetadata group, Consumer<Errors> done) {
            this.offsets = offsets;
            this.group = group;
            this.done = done;
        }
    }

    private record InFlight(long correlationId, int broker, Message request, long deadlineNanos) {}

    private final KafkaProducer producer;
    private final TransactionManager txn;
    private final String transactionalId;
    private final int transactionTimeoutMs;
    private int transactionCoordinator = -1;
    private int groupCoordinator = -1;
    private String groupCoordinatorKey;
    private InFlight inFlight;
    private long notBeforeNanos;
    private Consumer<Errors> initDone;
    private Consumer<Errors> endDone;
    /** After an abort without a new epoch from EndTxn (transaction.version 1): InitProducerId with the current id bumps it (KIP-360). */
    private boolean epochBumpRequired;
    private final ArrayDeque<OffsetsOp> offsetOps = new ArrayDeque<>();

    TransactionalRequests(KafkaProducer producer, TransactionManager txn, int transactionTimeoutMs) {
        this.producer = producer;
        this.txn = txn;
        this.transactionalId = txn.transactionalId;
        this.transactionTimeoutMs = transactionTimeoutMs;
    }

    // ================================================================== operations

    void initTransactions(Consumer<Errors> done) {
        if (txn.state() != State.UNINITIALIZED) {
            throw new IllegalStateException("initTransactions in state " + txn.state());
        }
        initDone = done;
        txn.transitionTo(State.INITIALIZING);
    }

    void beginTransaction() {
        if (txn.hasError()) {
            throw new IllegalStateException("beginTransaction after " + txn.lastError() + " in state " + txn.state());
        }
        txn.transitionTo(State.IN_TRANSACTION);
    }

    void sendOffsetsToTransaction(Map<TopicPartition, OffsetAndMetadata> offsets, ConsumerGroupMetadata group, Consumer<Errors> done) {
        if (txn.hasError()) {
            done.accept(txn.lastError());
            return;
        }
        if (txn.state() != State.IN_TRANSACTION) {
            throw new IllegalStateException("sendOffsetsToTransaction in state " + txn.state());
        }
        offsetOps.add(new OffsetsOp(offsets, group, done));
    }

    void commitTransaction(Consumer<Errors> done) {
        if (txn.hasError()) {
            done.accept(txn.lastError()); // Kafka throws: an abortable error must be aborted, a fatal one closes
            return;
        }
        txn.transitionTo(State.COMMITTING_TRANSACTION);
        endDone = done;
        producer.accumulator.beginFlush(); // commit = flush + EndTxn: lingering batches go now
    }

    void abortTransaction(Consumer<Errors> done) {
        if (txn.state() == State.FATAL_ERROR) {
            done.accept(txn.lastError());
            return;
        }
        txn.transitionTo(State.ABORTING_TRANSACTION);
        txn.dropPartitionsToAdd();
        endDone = done;
    }

    /** Whether a record may be sent now; otherwise its callback gets the returned error. */
    Errors checkSend() {
        if (txn.hasError()) {
            return txn.lastError();
        }
        if (txn.state() != State.IN_TRANSACTION) {
            throw new IllegalStateException("send outside a transaction, in state " + txn.state());
        }
        return Errors.NONE;
    }

    // ================================================================== the sender's turn

    /** Aborts batches that must not go, then sends the next transactional request if one is due. */
    void run(long now) {
        if (txn.state() == State.ABORTING_TRANSACTION || txn.hasError()) {
            Errors e = txn.hasError() ? txn.lastError() : Errors.TRANSACTION_ABORTABLE;
            producer.abortUndrainedBatches(e);
        }
        if (txn.hasError() && inFlight == null) {
            failWaitingOperations(txn.lastError());
        }
        if (inFlight != null || now < notBeforeNanos) {
            return;
        }
        maybeSendNext(now);
    }

    private void maybeSendNext(long now) {
        State s = txn.state();
        if (s == State.FATAL_ERROR || s == State.UNINITIALIZED) {
            return;
        }
        boolean needTxnCoordinator = s == State.INITIALIZING || txn.hasPartitionsToAdd() || endTxnDue()
                || (!offsetOps.isEmpty() && !offsetOps.peekFirst().added);
        if (needTxnCoordinator && transactionCoordinator < 0) {
            send(producer.metadata.anyBroker(), id -> new FindCoordinatorRequest(id, CoordinatorType.TRANSACTION, transactionalId), now);
            return;
        }
        if (s == State.INITIALIZING) {
            long pid = epochBumpRequired ? txn.producerId() : -1;
            short epoch = epochBumpRequired ? txn.producerEpoch() : -1;
            send(transactionCoordinator, id -> new InitProducerIdRequest(id, transactionalId, pid, epoch, transactionTimeoutMs), now);
            return;
        }
        if (s == State.ABORTING_TRANSACTION && !offsetOps.isEmpty()) {
            // offsets not sent yet have no transaction left to join (Kafka fails their result)
            List<OffsetsOp> ops = new ArrayList<>(offsetOps);
            offsetOps.clear();
            for (OffsetsOp o : ops) {
                complete(o.done, Errors.TRANSACTION_ABORTABLE);
            }
        }
        boolean adding = s == State.IN_TRANSACTION || s == State.COMMITTING_TRANSACTION;
        if (txn.hasPartitionsToAdd() && adding) {
            List<TopicPartition> tps = txn.takePartitionsToAdd();
            send(transactionCoordinator, id -> new AddPartitionsToTxnRequest(id, transactionalId, txn.producerId(), txn.producerEpoch(),
                    tps, false), now);
            return;
        }
        OffsetsOp op = adding ? offsetOps.peekFirst() : null;
        if (op != null && !op.added) {
            send(transactionCoordinator, id -> new AddOffsetsToTxnRequest(id, transactionalId, txn.producerId(), txn.producerEpoch(),
                    op.group.groupId()), now);
            return;
        }
        if (op != null) {
            if (groupCoordinator < 0 || !op.group.groupId().equals(groupCoordinatorKey)) {
                groupCoordinatorKey = op.group.groupId();
                send(producer.metadata.anyBroker(), id -> new FindCoordinatorRequest(id, CoordinatorType.GROUP, op.group.groupId()), now);
                return;
            }
            send(groupCoordinator, id -> txnOffsetCommit(id, op), now);
            return;
        }
        if (endTxnDue()) {
            if (!txn.transactionStarted()) {
                finishEnd(-1, (short) -1); // nothing was added at the coordinator: nothing to end (Kafka skips EndTxn)
                return;
            }
            boolean commit = s == State.COMMITTING_TRANSACTION;
            send(transactionCoordinator, id -> new EndTxnRequest(id, transactionalId, txn.producerId(), txn.producerEpoch(), commit), now);
        }
    }

    /** EndTxn goes once the transaction's batches and additions are all done (Kafka: hasIncompleteBatches). */
    private boolean endTxnDue() {
        return txn.isCompleting() && endDone != null && !producer.hasIncompleteBatches() && !txn.hasPendingAddPartitions()
                && (!txn.hasPartitionsToAdd() || txn.state() == State.ABORTING_TRANSACTION) && offsetOps.isEmpty();
    }

    private TxnOffsetCommitRequest txnOffsetCommit(long id, OffsetsOp op) {
        List<TxnOffsetCommitPartition> parts = new ArrayList<>();
        op.offsets.forEach((tp, o) -> parts.add(new TxnOffsetCommitPartition(tp, o.offset(), o.leaderEpoch(), o.metadata())));
        ConsumerGroupMetadata g = op.group;
        return new TxnOffsetCommitRequest(id, transactionalId, g.groupId(), txn.producerId(), txn.producerEpoch(), g.generationId(),
                g.memberId(), g.groupInstanceId(), parts);
    }

    private void send(int broker, LongFunction<Message> builder, long now) {
        long id = producer.nextCorrelationId();
        Message m = builder.apply(id);
        inFlight = new InFlight(id, broker, m, now + producer.requestTimeoutNanos);
        producer.ctx.send(broker, m);
    }

    long nextDeadlineNanos() {
        return inFlight != null ? inFlight.deadlineNanos() : notBeforeNanos;
    }

    void checkTimeout(long now) {
        if (inFlight != null && now >= inFlight.deadlineNanos()) {
            lostRequest(now);
        }
    }

    void onDisconnect(int peer, long now) {
        if (inFlight != null && inFlight.broker() == peer) {
            lostRequest(now);
        }
    }

    /** Timed out or disconnected: the coordinator may have moved; the same request goes again. */
    private void lostRequest(long now) {
        Message m = inFlight.request();
        inFlight = null;
        if (m instanceof TxnOffsetCommitRequest) {
            groupCoordinator = -1;
        } else if (!(m instanceof FindCoordinatorRequest)) {
            transactionCoordinator = -1;
        }
        if (m instanceof AddPartitionsToTxnRequest) {
            txn.partitionsNotAdded(true);
        }
        notBeforeNanos = now + producer.retryBackoffNanos;
    }

    // ================================================================== responses

    /** Returns true if {@code m} answered this producer's transactional request. */
    boolean onResponse(Message m, long now) {
        if (inFlight == null || correlationId(m) != inFlight.correlationId()) {
            return false;
        }
        Message request = inFlight.request();
        inFlight = null;
        if (m instanceof FindCoordinatorResponse r) {
            onFindCoordinator((FindCoordinatorRequest) request, r, now);
        } else if (m instanceof InitProducerIdResponse r) {
            onInitProducerId(r, now);
        } else if (m instanceof AddPartitionsToTxnResponse r) {
            onAddPartitions(r, now);
        } else if (m instanceof AddOffsetsToTxnResponse r) {
            onAddOffsets(r.error(), now);
        } else if (m instanceof TxnOffsetCommitResponse r) {
            onTxnOffsetCommit(r, now);
        } else if (m instanceof EndTxnResponse r) {
            onEndTxn(r, now);
        }
        return true;
    }

    private static long correlationId(Message m) {
        if (m instanceof TxnMessage t) {
            return t.correlationId();
        } else if (m instanceof GroupMessage g) {
            return g.correlationId();
        }
        return m instanceof ApiMessage a ? a.correlationId() : -1;
    }

    private void retry(long now, boolean rediscover, boolean group) {
        if (rediscover) {
            if (group) {
                groupCoordinator = -1;
            } else {
                transactionCoordinator = -1;
            }
        }
        notBeforeNanos = now + producer.retryBackoffNanos;
        producer.ctx.reached(group ? "producer.txn-group-retry" : "producer.txn-retry");
    }

    private static boolean isRediscover(Errors e) {
        return e == Errors.NOT_COORDINATOR || e == Errors.COORDINATOR_NOT_AVAILABLE || e == Errors.REQUEST_TIMED_OUT
                || e == Errors.NETWORK_EXCEPTION;
    }

    private static boolean isRetriable(Errors e) {
        return e == Errors.COORDINATOR_LOAD_IN_PROGRESS || e == Errors.CONCURRENT_TRANSACTIONS;
    }

    private void onFindCoordinator(FindCoordinatorRequest req, FindCoordinatorResponse r, long now) {
        if (r.error() != Errors.NONE || r.nodeId() < 0) {
            notBeforeNanos = now + producer.retryBackoffNanos;
            return;
        }
        if (req.keyType() == CoordinatorType.TRANSACTION) {
            transactionCoordinator = r.nodeId();
        } else if (req.key().equals(groupCoordinatorKey)) {
            groupCoordinator = r.nodeId();
        }
    }

    private void onInitProducerId(InitProducerIdResponse r, long now) {
        Errors e = r.error();
        if (e == Errors.NONE) {
            txn.bumpedEpoch(r.producerId(), r.producerEpoch());
            txn.transitionTo(State.READY);
            complete(initDone, Errors.NONE);
            initDone = null;
            if (epochBumpRequired) {
                epochBumpRequired = false;
                Consumer<Errors> done = endDone;
                endDone = null;
                complete(done, Errors.NONE);
            }
        } else if (isRediscover(e) || isRetriable(e)) {
            retry(now, isRediscover(e), false);
        } else {
            fatal(e);
        }
    }

    private void onAddPartitions(AddPartitionsToTxnResponse r, long now) {
        Errors worst = Errors.NONE;
        for (PartitionResult p : r.results()) {
            if (p.error() != Errors.NONE) {
                worst = p.error();
                break;
            }
        }
        if (worst == Errors.NONE) {
            txn.partitionsAdded();
            producer.ctx.reached("producer.txn-partitions-added");
        } else if (isRediscover(worst) || isRetriable(worst) || worst == Errors.UNKNOWN_TOPIC_OR_PARTITION) {
            txn.partitionsNotAdded(true);
            retry(now, isRediscover(worst), false);
        } else if (TransactionManager.isFatal(worst)) {
            txn.partitionsNotAdded(false);
            fatal(worst);
        } else {
            txn.partitionsNotAdded(false); // TRANSACTION_ABORTABLE, UNKNOWN_PRODUCER_ID...: abort the transaction
            txn.transitionToAbortableError(worst);
        }
    }

    private void onAddOffsets(Errors e, long now) {
        OffsetsOp op = offsetOps.peekFirst();
        if (e == Errors.NONE) {
            op.added = true;
            txn.markTransactionStarted();
        } else if (isRediscover(e) || isRetriable(e)) {
            retry(now, isRediscover(e), false);
        } else if (TransactionManager.isFatal(e)) {
            offsetOps.pollFirst();
            fatal(e);
            complete(op.done, e);
        } else {
            offsetOps.pollFirst();
            txn.transitionToAbortableError(e);
            complete(op.done, e);
        }
    }

    private void onTxnOffsetCommit(TxnOffsetCommitResponse r, long now) {
        OffsetsOp op = offsetOps.peekFirst();
        Errors e = Errors.NONE;
        for (PartitionResult p : r.results()) {
            if (p.error() != Errors.NONE) {
                e = p.error();
                break;
            }
        }
        if (e == Errors.NONE) {
            offsetOps.pollFirst();
            producer.ctx.reached("producer.txn-offsets-committed");
            complete(op.done, Errors.NONE);
        } else if (isRediscover(e) || isRetriable(e) || e == Errors.UNKNOWN_TOPIC_OR_PARTITION) {
            retry(now, isRediscover(e), true);
        } else if (TransactionManager.isFatal(e)) {
            offsetOps.pollFirst();
            fatal(e);
            complete(op.done, e);
        } else {
            // KIP-447 fencing (UNKNOWN_MEMBER_ID, ILLEGAL_GENERATION, FENCED_INSTANCE_ID), TRANSACTION_ABORTABLE...
            offsetOps.pollFirst();
            producer.ctx.reached("producer.txn-offsets-fenced");
            txn.transitionToAbortableError(e);
            complete(op.done, e);
        }
    }

    private void onEndTxn(EndTxnResponse r, long now) {
        Errors e = r.error();
        if (e == Errors.NONE) {
            producer.ctx.reached(txn.state() == State.COMMITTING_TRANSACTION ? "producer.txn-committed" : "producer.txn-aborted");
            finishEnd(r.producerId(), r.producerEpoch());
        } else if (isRediscover(e) || isRetriable(e)) {
            retry(now, isRediscover(e), false);
        } else if (TransactionManager.isFatal(e)) {
            Consumer<Errors> done = endDone;
            endDone = null;
            fatal(e);
            complete(done, e);
        } else {
            Consumer<Errors> done = endDone; // e.g. TRANSACTION_ABORTABLE on commit: the transaction must be aborted
            endDone = null;
            producer.accumulator.endFlush();
            if (txn.state() == State.ABORTING_TRANSACTION) {
                fatal(e); // an abort that cannot complete leaves nothing to do but close
            } else {
                txn.transitionToAbortableError(e);
            }
            complete(done, e);
        }
    }

    /** The transaction ended: adopt the bumped producer id and epoch (KIP-890) and become READY. */
    private void finishEnd(long producerId, short producerEpoch) {
        producer.accumulator.endFlush();
        if (producerId < 0 && txn.state() == State.ABORTING_TRANSACTION && txn.hasUnresolvedSequences()) {
            producer.ctx.reached("producer.txn-epoch-bump");
            epochBumpRequired = true; // the abort completes once InitProducerId gave the new epoch
            txn.completeTransaction(-1, (short) -1, State.INITIALIZING);
            return;
        }
        txn.completeTransaction(producerId, producerEpoch, State.READY);
        Consumer<Errors> done = endDone;
        endDone = null;
        complete(done, Errors.NONE);
    }

    /** After an error, a commit and offsets still waiting fail with it (Kafka: their results fail). */
    private void failWaitingOperations(Errors e) {
        List<OffsetsOp> ops = new ArrayList<>(offsetOps);
        offsetOps.clear();
        for (OffsetsOp op : ops) {
            complete(op.done, e);
        }
        if (endDone != null && txn.state() != State.ABORTING_TRANSACTION) {
            Consumer<Errors> done = endDone;
            endDone = null;
            producer.accumulator.endFlush();
            complete(done, e);
        }
    }

    private void fatal(Errors e) {
        txn.transitionToFatalError(e);
        complete(initDone, e);
        initDone = null;
        List<OffsetsOp> ops = new ArrayList<>(offsetOps);
        offsetOps.clear();
        for (OffsetsOp op : ops) {
            complete(op.done, e);
        }
        Consumer<Errors> done = endDone;
        endDone = null;
        complete(done, e);
    }

    private static void complete(Consumer<Errors> done, Errors e) {
        if (done != null) {
            done.accept(e);
        }
    }
}
