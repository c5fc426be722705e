package dev.samsa.harness.check.queue;

import java.util.Map;
import java.util.TreeMap;

/**
 * What a run's configuration promises about its queue history, decided by the workload from the
 * seed's settings and fault plan. The checker reports an anomaly Kafka does not promise to avoid
 * under these settings as expected, with the reason given here, never as a violation.
 *
 * @param durable acknowledged sends survive (acks=all, unclean.leader.election.enable=false,
 *     power losses of in-sync replicas within min.insync.replicas-1, ...)
 * @param whyNotDurable the reason when {@code durable} is false (empty otherwise)
 * @param idempotent retries never write a record twice (enable.idempotence=true)
 * @param whyNotIdempotent the reason when {@code idempotent} is false (empty otherwise)
 * @param finalReadsDone the run ended with consumers reading every key to its end, so a value
 *     nobody read can be judged unseen
 * @param retentionHorizon per key, the highest log start offset any replica reached: records
 *     below it may have been deleted by retention before anyone read them
 */
public record QueuePromise(
        boolean durable,
        String whyNotDurable,
        boolean idempotent,
        String whyNotIdempotent,
        boolean finalReadsDone,
        Map<Integer, Long> retentionHorizon) {

    public QueuePromise {
        if (!durable && whyNotDurable.isBlank()) {
            throw new IllegalStateException("a run that is not durable must say why");
        }
        if (!idempotent && whyNotIdempotent.isBlank()) {
            throw new IllegalStateException("a run that is not idempotent must say why");
        }
        retentionHorizon = java.util.Collections.unmodifiableMap(new TreeMap<>(retentionHorizon));
    }

    /** Everything promised: durable, idempotent, final reads done, nothing deleted by retention. */
    public static QueuePromise strict() {
        return new QueuePromise(true, "", true, "", true, new TreeMap<>());
    }

    /** The highest log start offset of {@code key} (0 when retention deleted nothing). */
    public long horizon(int key) {
        return retentionHorizon.getOrDefault(key, 0L);
    }

    public QueuePromise withDurable(boolean d, String why) {
        return new QueuePromise(d, why, idempotent, whyNotIdempotent, finalReadsDone, retentionHorizon);
    }

    public QueuePromise withIdempotent(boolean i, String why) {
        return new QueuePromise(durable, whyNotDurable, i, why, finalReadsDone, retentionHorizon);
    }

    public QueuePromise withFinalReadsDone(boolean f) {
        return new QueuePromise(durable, whyNotDurable, idempotent, whyNotIdempotent, f, retentionHorizon);
    }

    public QueuePromise withRetentionHorizon(int key, long logStartOffset) {
        Map<Integer, Long> h = new TreeMap<>(retentionHorizon);
        h.put(key, logStartOffset);
        return new QueuePromise(durable, whyNotDurable, idempotent, whyNotIdempotent, finalReadsDone, h);
    }
}
