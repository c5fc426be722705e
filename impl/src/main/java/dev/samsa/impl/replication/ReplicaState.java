package dev.samsa.impl.replication;

/**
 * What a partition leader knows of one follower replica (Kafka's {@code Replica}): the log end
 * offset it last fetched from, when it was last caught up, and under which broker epoch
 * (KIP-903) it fetched.
 */
final class ReplicaState {

    final int brokerId;
    long brokerEpoch = -1;
    long logEndOffset = -1;
    long lastCaughtUpTimeMs;
    long lastFetchTimeMs;
    /** The leader's LEO at the follower's previous fetch: reaching it then means caught up since then. */
    long lastFetchLeaderLogEndOffset = -1;

    ReplicaState(int brokerId, long nowMs) {
        this.brokerId = brokerId;
        // a replica is given a full replica.lag.time.max.ms from the moment its leader starts
        this.lastCaughtUpTimeMs = nowMs;
    }

    /**
     * A fetch at {@code fetchOffset}: the follower has everything below it. Caught up if it
     * reached the leader's current LEO, or the LEO the leader had at its previous fetch (then it
     * was caught up as of that previous fetch), as Kafka's {@code Replica.updateFetchState}.
     */
    void updateFetchState(long fetchOffset, long leaderLogEndOffset, long nowMs, long epoch) {
        if (fetchOffset >= leaderLogEndOffset) {
            lastCaughtUpTimeMs = Math.max(lastCaughtUpTimeMs, nowMs);
        } else if (fetchOffset >= lastFetchLeaderLogEndOffset) {
            lastCaughtUpTimeMs = Math.max(lastCaughtUpTimeMs, lastFetchTimeMs);
        }
        logEndOffset = fetchOffset;
        brokerEpoch = epoch;
        lastFetchLeaderLogEndOffset = leaderLogEndOffset;
        lastFetchTimeMs = nowMs;
    }

    /** In sync: at the leader's log end, or caught up within replica.lag.time.max.ms. */
    boolean isCaughtUp(long leaderLogEndOffset, long nowMs, long lagTimeMaxMs) {
        return logEndOffset >= leaderLogEndOffset || nowMs - lastCaughtUpTimeMs <= lagTimeMaxMs;
    }

    @Override
    public String toString() {
        return "replica " + brokerId + " leo " + logEndOffset + " epoch " + brokerEpoch;
    }
}
