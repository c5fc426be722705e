package dev.samsa.impl.txn;

import dev.samsa.impl.node.Context;
import dev.samsa.impl.protocol.ApiMessage.InitProducerIdRequest;
import dev.samsa.impl.protocol.Errors;
import dev.samsa.impl.protocol.TopicPartition;
import dev.samsa.impl.protocol.TxnMessage.AddPartitionsToTxnRequest;
import dev.samsa.impl.protocol.TxnMessage.EndTxnRequest;
import dev.samsa.spec.bugs.Bug;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The rules of the transaction coordinator's requests (Kafka's TransactionCoordinator handlers):
 * InitProducerId, AddPartitionsToTxn (and its verifyOnly form), AddOffsetsToTxn, EndTxn, the
 * timeout sweep and the completion after the markers (§1.7). transaction.version 2 (KIP-890
 * part 2) is the default: every EndTxn bumps the epoch, which the markers carry and the
 * response returns.
 */
final class TransactionRequests {

    static final String COMPLETE_RETRY_PREFIX = "complete|";

    /** The outcome of a request that answers with a producer id and epoch. */
    interface ProducerIdCallback {
        void done(Errors error, long producerId, short producerEpoch);
    }

    private final TransactionCoordinator coordinator;
    private final Context ctx;
    /** Completions whose Complete* write failed for a retriable reason, to write again. */
    private final TreeMap<String, TxnTransitMetadata> completionRetries = new TreeMap<>();

    TransactionRequests(TransactionCoordinator coordinator, Context ctx) {
        this.coordinator = coordinator;
        this.ctx = ctx;
    }

    static TreeMap<TopicPartition, Errors> all(List<TopicPartition> tps, Errors e) {
        TreeMap<TopicPartition, Errors> out = new TreeMap<>();
        for (TopicPartition tp : tps) {
            out.put(tp, e);
        }
        return out;
    }

    /** The producer's transaction.timeout.ms from its request; the (per-seed) setting when the request has none. */
    private long transactionTimeoutMs(InitProducerIdRequest r) {
        return r.transactionTimeoutMs() >= 0 ? r.transactionTimeoutMs() : ctx.settings().getLong("transaction.timeout.ms");
    }

    // ================================================================== InitProducerId

    void initProducerId(TransactionCoordinatorShard shard, InitProducerIdRequest r, ProducerIdCallback cb) {
        long now = ctx.wallClockMs();
        TransactionMetadata md = shard.get(r.transactionalId());
        if (md == null) {
            md = shard.create(r.transactionalId(), transactionTimeoutMs(r), now);
        }
        if (r.producerId() >= 0 && !isValidProducerIdEpoch(md, r.producerId(), r.producerEpoch())) {
            cb.done(Errors.PRODUCER_FENCED, -1, (short) -1); // KIP-360: a producer recovering with an id and epoch no longer current
            return;
        }
        if (md.pending != null) {
            cb.done(Errors.CONCURRENT_TRANSACTIONS, -1, (short) -1);
            return;
        }
        switch (md.state) {
            case ONGOING -> {
                // a new incarnation of the producer: fence the old one (epoch bump) and abort its transaction; the client retries
                ctx.reached("txn.init-aborts-ongoing");
                fenceAndAbort(shard, md, true);
                cb.done(Errors.CONCURRENT_TRANSACTIONS, -1, (short) -1);
            }
            case EMPTY, COMPLETE_COMMIT, COMPLETE_ABORT -> {
                if (r.producerId() == md.producerId && r.producerEpoch() >= 0 && r.producerEpoch() == md.lastProducerEpoch
                        && md.state == TransactionState.EMPTY) {
                    cb.done(Errors.NONE, md.producerId, md.producerEpoch); // a retry of an InitProducerId that already bumped
                    return;
                }
                TxnTransitMetadata t = md.prepareIncrementProducerEpoch(shard::nextProducerId, now);
                if (md.producerEpoch >= 0) {
                    ctx.reached("txn.init-bumps-epoch");
                }
                coordinator.persist(shard, md, t, e -> cb.done(e, e == Errors.NONE ? t.producerId() : -1, e == Errors.NONE ? t.producerEpoch() : -1));
            }
            default -> cb.done(Errors.CONCURRENT_TRANSACTIONS, -1, (short) -1); // Prepare*: markers still being written
        }
    }

    private static boolean isValidProducerIdEpoch(TransactionMetadata md, long producerId, short producerEpoch) {
        return (producerId == md.producerId && (producerEpoch == md.producerEpoch || producerEpoch == md.lastProducerEpoch))
                || (producerId == md.prevProducerId && md.producerEpoch == 0);
    }

    /** The coordinator aborts an Ongoing transaction on its own, fencing its producer with a new epoch when {@code bump}. */
    private void fenceAndAbort(TransactionCoordinatorShard shard, TransactionMetadata md, boolean bump) {
        TxnTransitMetadata t = md.prepareFenceAndAbort(bump, ctx.wallClockMs());
        coordinator.persist(shard, md, t, e -> {
            if (e == Errors.NONE) {
                coordinator.sendMarkers(shard, md);
            }
        });
    }

    // ================================================================== AddPartitionsToTxn, AddOffsetsToTxn

    private static Errors validateProducer(TransactionMetadata md, long producerId, short producerEpoch) {
        if (md == null || md.producerId != producerId) {
            return Errors.INVALID_PRODUCER_ID_MAPPING;
        }
        return md.producerEpoch != producerEpoch ? Errors.PRODUCER_FENCED : Errors.NONE;
    }

    void addPartitions(TransactionCoordinatorShard shard, String transactionalId, long producerId, short producerEpoch,
            List<TopicPartition> tps, Consumer<TreeMap<TopicPartition, Errors>> answer) {
        TransactionMetadata md = shard.get(transactionalId);
        Errors e = validateProducer(md, producerId, producerEpoch);
        if (e == Errors.NONE && (md.pending != null || md.state.isPrepare() || md.state == TransactionState.PREPARE_EPOCH_FENCE)) {
            e = Errors.CONCURRENT_TRANSACTIONS; // the previous transaction's markers are still being written
        }
        if (e != Errors.NONE) {
            if (e == Errors.PRODUCER_FENCED) {
                ctx.reached("txn.add-partitions-fenced");
            }
            answer.accept(all(tps, e));
            return;
        }
        if (md.state == TransactionState.ONGOING && md.topicPartitions.containsAll(tps)) {
            answer.accept(all(tps, Errors.NONE)); // nothing new: no write
            return;
        }
        TxnTransitMetadata t = md.prepareAddPartitions(tps, ctx.wallClockMs());
        coordinator.persist(shard, md, t, err -> answer.accept(all(tps, err)));
    }

    /**
     * KIP-890 part 1: a partition leader asks whether these partitions are in the producer's
     * ongoing transaction with this epoch (Kafka's handleVerifyPartitionsInTransaction). Reads
     * the committed state, writes nothing.
     */
    TreeMap<TopicPartition, Errors> verifyPartitionsInTransaction(TransactionCoordinatorShard shard, AddPartitionsToTxnRequest r) {
        TransactionMetadata md = shard.get(r.transactionalId());
        Errors e = validateProducer(md, r.producerId(), r.producerEpoch());
        if (e == Errors.NONE && md.state.isPrepare()) {
            e = Errors.CONCURRENT_TRANSACTIONS;
        }
        if (e != Errors.NONE) {
            return all(r.partitions(), e);
        }
        TreeMap<TopicPartition, Errors> out = new TreeMap<>();
        for (TopicPartition tp : r.partitions()) {
            boolean added = md.state == TransactionState.ONGOING && md.topicPartitions.contains(tp);
            if (!added) {
                ctx.reached("txn.verification-rejected");
            }
            out.put(tp, added ? Errors.NONE : Errors.INVALID_TXN_STATE);
        }
        return out;
    }

    // ================================================================== EndTxn

    void endTransaction(TransactionCoordinatorShard shard, EndTxnRequest r, ProducerIdCallback cb) {
        // KAFKA-17754's fix is transaction.version 2 (KIP-890 part 2): the epoch is bumped at the end of every
        // transaction. The faulty rule (TV1) keeps (producer id, epoch) across transactions, so a delayed EndTxn or
        // Produce of one transaction is taken for one of the next.
        // KAFKA-12671's faulty rule belongs to brokers before KIP-890 (3.5): they ran transaction.version 1 too (TV2 came
        // in 4.0 and closes the same hole by fencing the late produce's epoch), so that flag keeps TV1 as well.
        boolean tv2 = !ctx.bug(Bug.KAFKA_17754) && !ctx.bug(Bug.KAFKA_12671);
        TransactionMetadata md = shard.get(r.transactionalId());
        if (md == null || md.producerId != r.producerId()) {
            cb.done(Errors.INVALID_PRODUCER_ID_MAPPING, -1, (short) -1);
            return;
        }
        boolean commit = r.committed();
        TransactionState s = md.state;
        boolean ended = s.isPrepare() || s.isComplete();
        boolean sameResult = (commit && (s == TransactionState.PREPARE_COMMIT || s == TransactionState.COMPLETE_COMMIT))
                || (!commit && (s == TransactionState.PREPARE_ABORT || s == TransactionState.COMPLETE_ABORT));
        // a retry of the EndTxn that ended the transaction: under TV2 it carries the epoch before the bump
        boolean isRetry = ended && sameResult
                && (tv2 ? md.lastProducerEpoch >= 0 && r.producerEpoch() == md.lastProducerEpoch && md.producerEpoch == md.lastProducerEpoch + 1
                        : r.producerEpoch() == md.producerEpoch);
        if (r.producerEpoch() != md.producerEpoch && !isRetry) {
            ctx.reached("txn.end-txn-fenced");
            cb.done(Errors.PRODUCER_FENCED, -1, (short) -1);
            return;
        }
        if (md.pending != null) {
            cb.done(Errors.CONCURRENT_TRANSACTIONS, -1, (short) -1);
            return;
        }
        long pidOut = tv2 ? md.producerId : -1;
        short epochOut = tv2 ? md.producerEpoch : -1;
        switch (s) {
            case ONGOING -> prepare(shard, md, commit ? TransactionState.PREPARE_COMMIT : TransactionState.PREPARE_ABORT, tv2, cb);
            case COMPLETE_COMMIT, COMPLETE_ABORT, EMPTY -> {
                if (isRetry) {
                    ctx.reached("txn.end-txn-retry");
                    cb.done(Errors.NONE, pidOut, epochOut);
                } else if (!commit && tv2) {
                    // TV2: aborting with no transaction open still ends with a new epoch (nothing to mark)
                    prepare(shard, md, TransactionState.PREPARE_ABORT, true, cb);
                } else {
                    cb.done(Errors.INVALID_TXN_STATE, -1, (short) -1);
                }
            }
            case PREPARE_COMMIT, PREPARE_ABORT -> cb.done(sameResult ? Errors.CONCURRENT_TRANSACTIONS : Errors.INVALID_TXN_STATE, -1, (short) -1);
            default -> cb.done(Errors.INVALID_TXN_STATE, -1, (short) -1);
        }
    }

    /** Writes Prepare{Commit,Abort}; once committed, answers (with the new epoch under TV2) and sends the markers. */
    private void prepare(TransactionCoordinatorShard shard, TransactionMetadata md, TransactionState next, boolean tv2, ProducerIdCallback cb) {
        TxnTransitMetadata t = md.prepareAbortOrCommit(next, tv2, ctx.wallClockMs());
        coordinator.persist(shard, md, t, e -> {
            if (e != Errors.NONE) {
                cb.done(e, -1, (short) -1);
                return;
            }
            cb.done(Errors.NONE, tv2 ? t.producerId() : -1, tv2 ? t.producerEpoch() : -1);
            coordinator.sendMarkers(shard, md);
        });
    }

    // ================================================================== completion, timeouts

    /** Every marker of {@code prepared} is written: Prepare* → Complete*. */
    void completeTransaction(TransactionCoordinatorShard shard, String transactionalId, TxnTransitMetadata prepared) {
        TransactionMetadata md = shard.get(transactionalId);
        if (md == null) {
            return;
        }
        boolean stillPrepared = md.pending == null && md.state == prepared.state() && md.producerId == prepared.producerId()
                && md.producerEpoch == prepared.producerEpoch();
        TxnTransitMetadata t;
        if (stillPrepared) {
            t = md.prepareComplete(ctx.wallClockMs());
        } else if (ctx.bug(Bug.KAFKA_10080)) {
            // KAFKA-10080's faulty rule: the second completion writes the completed state of the transaction it was
            // created for over whatever the id holds now (a newer transaction's Ongoing state)
            ctx.reached("txn.completion-overwrites-newer-state");
            TransactionState done = prepared.state() == TransactionState.PREPARE_COMMIT ? TransactionState.COMPLETE_COMMIT
                    : TransactionState.COMPLETE_ABORT;
            t = new TxnTransitMetadata(prepared.producerId(), prepared.prevProducerId(), prepared.producerEpoch(),
                    prepared.lastProducerEpoch(), prepared.txnTimeoutMs(), done, List.of(), prepared.txnStartTimestampMs(), ctx.wallClockMs());
        } else {
            return; // completed already, or the id moved on: nothing to write
        }
        coordinator.persist(shard, md, t, e -> {
            if (e == Errors.COORDINATOR_NOT_AVAILABLE) {
                completionRetries.put(transactionalId, prepared); // Kafka retries the append while it is the coordinator
                shard.context().schedule(COMPLETE_RETRY_PREFIX + transactionalId, TransactionMarkerChannelManager.RETRY_BACKOFF_NANOS);
            } else if (e == Errors.NONE && ctx.tracing()) {
                ctx.trace("txn " + transactionalId + " " + t.state() + " pid " + t.producerId() + " epoch " + t.producerEpoch());
            }
        });
    }

    void retryCompletion(TransactionCoordinatorShard shard, String transactionalId) {
        TxnTransitMetadata prepared = completionRetries.remove(transactionalId);
        if (prepared != null) {
            completeTransaction(shard, transactionalId, prepared);
        }
    }

    /** Every transaction.abort.timed.out.transaction.cleanup.interval.ms: abort Ongoing transactions older than their timeout. */
    void abortTimedOutTransactions(TransactionCoordinatorShard shard) {
        long now = ctx.wallClockMs();
        for (TransactionMetadata md : new ArrayList<>(shard.metadata().values())) {
            if (md.state != TransactionState.ONGOING || md.pending != null || md.txnStartTimestampMs + md.txnTimeoutMs >= now) {
                continue;
            }
            ctx.reached("txn.timeout-abort");
            // KAFKA-6119's fix: fence the producer by bumping its epoch before aborting. The faulty rule aborts with
            // the same epoch, so the producer, still alive, adds partitions to a "new" transaction and commits it
            boolean bump = !ctx.bug(Bug.KAFKA_6119);
            if (!bump) {
                ctx.reached("txn.timeout-abort-without-fence");
            }
            fenceAndAbort(shard, md, bump);
        }
    }
}
