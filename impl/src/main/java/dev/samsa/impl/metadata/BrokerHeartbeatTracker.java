package dev.samsa.impl.metadata;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The active controller's view of broker sessions (KIP-631): when each broker epoch was last
 * heard from. Kept in memory by the active controller only; a new active controller starts
 * every session afresh, which gives each broker a full session timeout to find it.
 */
public final class BrokerHeartbeatTracker {

    private final long sessionTimeoutNanos;
    /** brokerId → (epoch, last contact) */
    private final TreeMap<Integer, long[]> sessions = new TreeMap<>();

    public BrokerHeartbeatTracker(long sessionTimeoutNanos) {
        if (sessionTimeoutNanos <= 0) {
            throw new IllegalArgumentException("broker.session.timeout.ms must be positive");
        }
        this.sessionTimeoutNanos = sessionTimeoutNanos;
    }

    /** Starts a session for every registered, unfenced broker (on becoming the active controller). */
    public void resetAll(ClusterImage image, long nowNanos) {
        sessions.clear();
        for (BrokerRegistration b : image.brokers().values()) {
            if (!b.fenced()) {
                sessions.put(b.brokerId(), new long[] {b.epoch(), nowNanos});
            }
        }
    }

    public void touch(int brokerId, long epoch, long nowNanos) {
        sessions.put(brokerId, new long[] {epoch, nowNanos});
    }

    /** Unfenced brokers of {@code image} whose session has expired: the controller fences them. */
    public List<BrokerRegistration> expired(ClusterImage image, long nowNanos) {
        List<BrokerRegistration> out = new ArrayList<>();
        for (BrokerRegistration b : image.brokers().values()) {
            if (b.fenced()) {
                continue;
            }
            long[] s = sessions.get(b.brokerId());
            if (s == null || s[0] != b.epoch()) {
                // unfenced but never heard from under this epoch by this controller: start its clock now
                sessions.put(b.brokerId(), new long[] {b.epoch(), nowNanos});
                continue;
            }
            if (nowNanos - s[1] > sessionTimeoutNanos) {
                out.add(b);
            }
        }
        return out;
    }

    /** For traces and tests: last contact per broker. */
    public Map<Integer, Long> lastContactNanos() {
        TreeMap<Integer, Long> m = new TreeMap<>();
        sessions.forEach((id, s) -> m.put(id, s[1]));
        return m;
    }
}
