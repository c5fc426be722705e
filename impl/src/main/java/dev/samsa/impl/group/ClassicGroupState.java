package dev.samsa.impl.group;

/** The states of a classic group (Kafka's ClassicGroupState). */
public enum ClassicGroupState {
    /** No members; offsets may still be kept (and expire, KIP-211). */
    EMPTY,
    /** Waiting for the members to (re)join. */
    PREPARING_REBALANCE,
    /** Joined: waiting for the leader's assignment in SyncGroup. */
    COMPLETING_REBALANCE,
    /** Every member has its assignment of the current generation. */
    STABLE,
    /** Removed: no members and no offsets left, or its coordinator moved away. */
    DEAD
}
