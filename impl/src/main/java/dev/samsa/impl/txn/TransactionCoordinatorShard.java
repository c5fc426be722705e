package dev.samsa.impl.txn;

import dev.samsa.impl.coordinator.CoordinatorRuntime.ShardContext;
import dev.samsa.impl.coordinator.CoordinatorShard;
import dev.samsa.impl.log.Record;
import java.util.Collections;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The transactional ids of one {@code __transaction_state} partition on the broker that leads
 * it (the state half of Kafka's TransactionStateManager): their metadata, rebuilt by replaying
 * the partition's records; live writes replay the same records once committed. The requests
 * themselves are the {@link TransactionCoordinator}'s.
 *
 * <p>Producer ids for transactional ids are allocated here, deterministically and unique in the
 * cluster without asking the controller: bit 62 set (idempotent producers' ids, a broker epoch
 * shifted by 20 bits, stay far below it), then this partition (20 bits), the leader epoch of this
 * load (22 bits) and a counter of this load (20 bits). A partition has one leader per epoch, so
 * two loads never hand out the same id; an id handed out but never committed is simply unused.
 */
public final class TransactionCoordinatorShard implements CoordinatorShard {

    static final String ABORT_TIMED_OUT = "abort-timed-out";

    /** What the shard tells its coordinator. */
    interface Listener {
        /** The shard was loaded: resume what its transactions were doing (markers of Prepare* ones). */
        void onLoaded(TransactionCoordinatorShard shard);

        void onUnloaded(TransactionCoordinatorShard shard);

        void onTimer(TransactionCoordinatorShard shard, String key);
    }

    private final ShardContext sc;
    private final Listener listener;
    private final TreeMap<String, TransactionMetadata> metadata = new TreeMap<>();
    private long nextProducerIdSeq;

    TransactionCoordinatorShard(ShardContext sc, Listener listener) {
        this.sc = sc;
        this.listener = listener;
    }

    ShardContext context() {
        return sc;
    }

    @Override
    public void replay(long offset, Record record, boolean loading) {
        String id = record.key() == null ? null : TransactionLog.parseKey(record.key());
        if (id == null) {
            return;
        }
        if (record.value() == null) {
            metadata.remove(id);
            return;
        }
        TxnTransitMetadata t = TransactionLog.parseValue(record.value());
        metadata.computeIfAbsent(id, k -> new TransactionMetadata(k, t.producerId(), t.txnTimeoutMs(), t.txnLastUpdateTimestampMs())).apply(t);
    }

    @Override
    public void onLoaded() {
        listener.onLoaded(this);
    }

    @Override
    public void onUnloaded() {
        listener.onUnloaded(this);
    }

    @Override
    public void onTimer(String key) {
        listener.onTimer(this, key);
    }

    long nextProducerId() {
        long partition = sc.topicPartition().partition() & 0xFFFFFL;
        long epoch = sc.leaderEpoch() & 0x3FFFFFL;
        return (1L << 62) | (partition << 42) | (epoch << 20) | (nextProducerIdSeq++ & 0xFFFFFL);
    }

    TransactionMetadata get(String transactionalId) {
        return metadata.get(transactionalId);
    }

    /** A new id's metadata, in memory until its first record commits (epoch -1: no producer has it yet). */
    TransactionMetadata create(String transactionalId, long timeoutMs, long nowMs) {
        TransactionMetadata md = new TransactionMetadata(transactionalId, nextProducerId(), timeoutMs, nowMs);
        metadata.put(transactionalId, md);
        return md;
    }

    /** The transactional ids of this partition (read-only). */
    public NavigableMap<String, TransactionMetadata> metadata() {
        return Collections.unmodifiableNavigableMap(metadata);
    }
}
