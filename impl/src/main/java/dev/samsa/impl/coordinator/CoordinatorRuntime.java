package dev.samsa.impl.coordinator;

import dev.samsa.impl.log.ControlRecordType;
import dev.samsa.impl.log.EndTransactionMarker;
import dev.samsa.impl.log.Record;
import dev.samsa.impl.log.RecordBatch;
import dev.samsa.impl.node.Context;
import dev.samsa.impl.node.TimerHandle;
import dev.samsa.impl.protocol.Errors;
import dev.samsa.impl.protocol.TopicPartition;
import dev.samsa.impl.replication.Partition;
import dev.samsa.impl.replication.ReplicaManager;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Runs the coordinator shards of one internal topic on one broker (a small version of Kafka's
 * CoordinatorRuntime). When the broker becomes leader of a partition the runtime LOADS its shard
 * by replaying every record of the local log, start to end; when leadership goes it unloads it.
 * Shards write records to their partition as leader; a write completes once the high watermark
 * passes it (acks=all), and only then are its records replayed into the shard, so state a write
 * creates is never visible before it is replicated. Nothing here knows about groups or
 * transactions.
 */
public final class CoordinatorRuntime {

    /** Where a shard is in its life (Kafka's CoordinatorState, without FAILED). */
    public enum State {
        LOADING,
        ACTIVE,
        CLOSED
    }

    /** The outcome of a write: NONE when committed, else the append's error (the shard maps it, as Kafka does per API). */
    public interface WriteCallback {
        void onComplete(Errors error);
    }

    /** What a shard may do through the runtime. */
    public final class ShardContext {
        final TopicPartition tp;
        /** The leader epoch the shard was loaded in: its timers belong to this incarnation. */
        final int loadEpoch;
        /** The current leader epoch (raised when this broker is re-elected and the shard stays active). */
        int leaderEpoch;
        final CoordinatorShard shard;
        State state = State.LOADING;
        private final TreeMap<String, Long> timerSeqs = new TreeMap<>();
        private final TreeMap<String, TimerHandle> timerHandles = new TreeMap<>();
        private long nextTimerSeq;
        private int pendingWrites;

        private ShardContext(TopicPartition tp, int leaderEpoch, Function<ShardContext, CoordinatorShard> factory) {
            this.tp = tp;
            this.loadEpoch = leaderEpoch;
            this.leaderEpoch = leaderEpoch;
            this.shard = factory.apply(this);
        }

        public TopicPartition topicPartition() {
            return tp;
        }

        public int leaderEpoch() {
            return leaderEpoch;
        }

        public State state() {
            return state;
        }

        public CoordinatorShard shard() {
            return shard;
        }

        public Context ctx() {
            return ctx;
        }

        /** Writes still waiting for the high watermark. */
        public int pendingWrites() {
            return pendingWrites;
        }

        /**
         * Appends {@code records} as leader. {@code callback} gets NONE once they are committed (and,
         * if {@code replay}, after they were replayed into the shard), or the append's error:
         * NOT_LEADER_OR_FOLLOWER (also when the shard was unloaded meanwhile), NOT_ENOUGH_REPLICAS,
         * NOT_ENOUGH_REPLICAS_AFTER_APPEND or REQUEST_TIMED_OUT after {@code timeoutMs}. May complete
         * before it returns (a partition with one in-sync replica).
         */
        public void write(List<Record> records, boolean replay, long timeoutMs, WriteCallback callback) {
            writeBatch(RecordBatch.of(records), replay, timeoutMs, callback);
        }

        /**
         * As {@link #write}, as a transactional batch of {@code producerId} (no sequence: Kafka's
         * coordinator-origin append); replayed as transactional records, which wait for the
         * producer's marker. The log refuses an epoch older than the producer's (INVALID_PRODUCER_EPOCH).
         */
        public void writeTransactional(long producerId, short producerEpoch, List<Record> records, long timeoutMs,
                WriteCallback callback) {
            writeBatch(new RecordBatch(-1, -1, producerId, producerEpoch, -1, true, false, "none", records,
                    RecordBatch.uncompressedSize(records)), true, timeoutMs, callback);
        }

        private void writeBatch(RecordBatch batch, boolean replay, long timeoutMs, WriteCallback callback) {
            List<Record> records = batch.records();
            if (state != State.ACTIVE || contexts.get(tp) != this) {
                callback.onComplete(Errors.NOT_LEADER_OR_FOLLOWER);
                return;
            }
            pendingWrites++;
            replicaManager.appendToLeader(tp, batch, timeoutMs, (error, firstOffset) -> {
                pendingWrites--;
                if (contexts.get(tp) != this || state != State.ACTIVE) {
                    callback.onComplete(Errors.NOT_LEADER_OR_FOLLOWER); // unloaded meanwhile: its state is gone
                    return;
                }
                if (error == Errors.NONE && replay) {
                    for (int i = 0; i < records.size(); i++) {
                        replayRecord(shard, batch, firstOffset + i, records.get(i), false);
                    }
                }
                callback.onComplete(error);
            });
        }

        /** Schedules (or reschedules: the older one is cancelled) the timer {@code key}. */
        public void schedule(String key, long delayNanos) {
            cancel(key);
            long seq = nextTimerSeq++;
            timerSeqs.put(key, seq);
            timerHandles.put(key, ctx.setTimer(delayNanos, new CoordinatorTimer(tp.topic(), tp.partition(), loadEpoch, key, seq)));
        }

        public void cancel(String key) {
            timerSeqs.remove(key);
            TimerHandle h = timerHandles.remove(key);
            if (h != null) {
                h.cancel();
            }
        }

        public boolean isScheduled(String key) {
            return timerSeqs.containsKey(key);
        }

        private void cancelAll() {
            for (TimerHandle h : timerHandles.values()) {
                h.cancel();
            }
            timerHandles.clear();
            timerSeqs.clear();
        }
    }

    private final Context ctx;
    private final ReplicaManager replicaManager;
    private final String topic;
    private final boolean reloadOnNewEpoch;
    private final Function<ShardContext, CoordinatorShard> factory;
    private final TreeMap<TopicPartition, ShardContext> contexts = new TreeMap<>();

    /**
     * {@code reloadOnNewEpoch}: whether a shard that is active when this broker is re-elected
     * leader in a newer epoch is reloaded from the log (Kafka's TransactionStateManager replaces
     * its cache on every load) or kept with its in-memory state, only its epoch raised (Kafka's
     * CoordinatorRuntime, which runs the group coordinator: "already active").
     */
    public CoordinatorRuntime(Context ctx, ReplicaManager replicaManager, String topic, boolean reloadOnNewEpoch,
            Function<ShardContext, CoordinatorShard> factory) {
        this.ctx = ctx;
        this.replicaManager = replicaManager;
        this.topic = topic;
        this.reloadOnNewEpoch = reloadOnNewEpoch;
        this.factory = factory;
    }

    public String topic() {
        return topic;
    }

    /**
     * This broker now leads {@code tp} in {@code leaderEpoch}: load its shard from the local log.
     * A shard already active under an older epoch of this broker's leadership is reloaded or
     * kept, as {@code reloadOnNewEpoch} says. Kept, it keeps what the log does not hold yet —
     * members that joined but whose group was not stored — as Kafka's group coordinator does; a
     * reload would fence live static members whose new member ids were never persisted.
     */
    public void onBecameLeader(TopicPartition tp, int leaderEpoch) {
        if (!tp.topic().equals(topic)) {
            return;
        }
        ShardContext old = contexts.get(tp);
        if (old != null && old.leaderEpoch >= leaderEpoch) {
            return;
        }
        if (old != null && !reloadOnNewEpoch && old.state == State.ACTIVE) {
            ctx.reached("coordinator.kept-active-on-new-epoch");
            if (ctx.tracing()) {
                ctx.trace(tp + " coordinator already active: leader epoch " + old.leaderEpoch + " -> " + leaderEpoch);
            }
            old.leaderEpoch = leaderEpoch;
            return;
        }
        unload(tp);
        ShardContext c = new ShardContext(tp, leaderEpoch, factory);
        contexts.put(tp, c);
        load(c);
    }

    private void load(ShardContext c) {
        Partition p = replicaManager.partitions().get(c.tp);
        var log = p.log();
        long end = log.logEndOffset();
        int records = 0;
        for (RecordBatch b : log.allBatches()) {
            if (b.control()) {
                EndTransactionMarker m = EndTransactionMarker.of(b);
                if (m != null && b.baseOffset() >= log.logStartOffset() && b.baseOffset() < end) {
                    c.shard.replayEndTransactionMarker(b.producerId(), b.producerEpoch(), m.type() == ControlRecordType.COMMIT, true);
                }
                continue;
            }
            for (int i = 0; i < b.recordCount(); i++) {
                long offset = b.baseOffset() + i;
                if (offset >= log.logStartOffset() && offset < end) {
                    replayRecord(c.shard, b, offset, b.records().get(i), true);
                    records++;
                }
            }
        }
        c.state = State.ACTIVE;
        ctx.reached("coordinator.loaded");
        if (ctx.tracing()) {
            ctx.trace(c.tp + " coordinator loaded " + records + " records up to " + end + " in leader epoch " + c.leaderEpoch);
        }
        c.shard.onLoaded();
    }

    /** One path for load and live writes: a transactional batch's records go to the shard with their producer. */
    private static void replayRecord(CoordinatorShard shard, RecordBatch b, long offset, Record record, boolean loading) {
        if (b.transactional()) {
            shard.replay(offset, b.producerId(), b.producerEpoch(), record, loading);
        } else {
            shard.replay(offset, record, loading);
        }
    }

    /**
     * A transaction marker on {@code tp} was replicated (this broker wrote it as leader): the
     * active shard replays it, as a load would from the log.
     */
    public void onMarkerReplicated(TopicPartition tp, long producerId, short producerEpoch, boolean committed) {
        ShardContext c = contexts.get(tp);
        if (c != null && c.state == State.ACTIVE) {
            c.shard.replayEndTransactionMarker(producerId, producerEpoch, committed, false);
        }
    }

    /** Leadership of {@code tp} is gone: unload its shard (its waiting requests fail). */
    public void onResigned(TopicPartition tp, int leaderEpoch) {
        if (tp.topic().equals(topic)) {
            unload(tp);
        }
    }

    private void unload(TopicPartition tp) {
        ShardContext c = contexts.remove(tp);
        if (c == null) {
            return;
        }
        c.state = State.CLOSED;
        c.cancelAll();
        ctx.reached("coordinator.unloaded");
        if (ctx.tracing()) {
            ctx.trace(tp + " coordinator unloaded (leader epoch " + c.leaderEpoch + ")");
        }
        c.shard.onUnloaded();
    }

    public void onTimer(CoordinatorTimer t) {
        ShardContext c = contexts.get(new TopicPartition(t.topic(), t.partition()));
        if (c == null || c.loadEpoch != t.leaderEpoch() || c.state != State.ACTIVE) {
            return;
        }
        Long seq = c.timerSeqs.get(t.key());
        if (seq == null || seq != t.seq()) {
            return;
        }
        c.timerSeqs.remove(t.key());
        c.timerHandles.remove(t.key());
        c.shard.onTimer(t.key());
    }

    /** The shard context of {@code tp} if this broker leads it (loading or active). */
    public ShardContext context(TopicPartition tp) {
        return contexts.get(tp);
    }

    /** The loaded shards, by partition (read-only; for requests and invariants). */
    public NavigableMap<TopicPartition, CoordinatorShard> shards() {
        TreeMap<TopicPartition, CoordinatorShard> out = new TreeMap<>();
        for (var e : contexts.entrySet()) {
            out.put(e.getKey(), e.getValue().shard);
        }
        return Collections.unmodifiableNavigableMap(out);
    }

    public List<TopicPartition> loadedPartitions() {
        return new ArrayList<>(contexts.keySet());
    }
}
