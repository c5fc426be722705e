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

    /** Every record of the log was replayed: the shard now serves requests (timers may be armed). */
    void onLoaded();

    /** Leadership is gone: fail whatever waits on this shard. It is dropped afterwards. */
    void onUnloaded();

    /** A timer this shard scheduled through its {@link CoordinatorRuntime.ShardContext} fired. */
    void onTimer(String key);
}
