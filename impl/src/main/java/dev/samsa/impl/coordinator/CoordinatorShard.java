package dev.samsa.impl.coordinator;

import dev.samsa.impl.log.Record;

/**
 * The state machine of one partition of an internal topic (Kafka's CoordinatorShard): it is
 * rebuilt by replaying the partition's records, and live writes that ask for it go through the
 * same {@link #replay} once they are committed — one code path for updates and recovery.
 */
public interface CoordinatorShard {

    /**
     * Applies the record at {@code offset}. {@code loading} is true while the shard is rebuilt from
     * the log on a leadership change, false for a live write that just committed.
     */
    void replay(long offset, Record record, boolean loading);

    /**
     * A record of a transactional batch of {@code producerId} (Kafka's replay with a producer id):
     * it takes effect only with that producer's COMMIT marker. Shards without transactional
     * records treat it as any record.
     */
    default void replay(long offset, long producerId, short producerEpoch, Record record, boolean loading) {
        replay(offset, record, loading);
    }

    /**
     * The transaction marker of {@code producerId} (COMMIT when {@code committed}, else ABORT) is
     * in the log: on load in log order, live once it is replicated (Kafka's replayEndTransactionMarker).
     */
    default void replayEndTransactionMarker(long producerId, short producerEpoch, boolean committed, boolean loading) {}

    /** Every record of the log was replayed: the shard now serves requests (timers may be armed). */
    void onLoaded();

    /** Leadership is gone: fail whatever waits on this shard. It is dropped afterwards. */
    void onUnloaded();

    /** A timer this shard scheduled through its {@link CoordinatorRuntime.ShardContext} fired. */
    void onTimer(String key);
}
