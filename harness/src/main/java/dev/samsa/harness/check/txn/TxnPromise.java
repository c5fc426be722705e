package dev.samsa.harness.check.txn;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a txn or eos run's configuration promises about its history, decided by the workload from
 * the seed's settings, fault plan and end state. The checker reports an anomaly Kafka does not
 * promise to avoid here as expected, with the reason given here, never as a violation.
 *
 * @param readCommitted the readers used isolation.level=read_committed (else aborted,
 *     intermediate and precommitted reads are expected)
 * @param durable acknowledged writes survive (acks=all, no unclean election, lossy crashes within
 *     min.insync.replicas-1...)
 * @param whyNotDurable the reason when {@code durable} is false (empty otherwise)
 * @param finalReadsDone the readers' positions reached every partition's end (the last stable
 *     offset under read_committed), so a committed write nobody read is lost
 * @param endOffsets per key, the partition leader's last stable offset and high watermark after the
 *     quiesce phase (empty for a key whose leader was unknown)
 * @param whyLsoMayLag why a last stable offset below the high watermark is not a hanging
 *     transaction (a client transaction was still open at the end...), empty when it would be
 * @param eos the history is the eos workload's: check exactly-once processing
 * @param retentionHorizon per key, the highest log start offset any replica reached: records below
 *     it may have been deleted by retention before anyone read them
 */
public record TxnPromise(
        boolean readCommitted,
        boolean durable,
        String whyNotDurable,
        boolean finalReadsDone,
        Map<Integer, End> endOffsets,
        String whyLsoMayLag,
        boolean eos,
        Map<Integer, Long> retentionHorizon) {

    /** A partition's offsets after the quiesce phase. */
    public record End(long lastStableOffset, long highWatermark) {}

    public TxnPromise {
        if (!durable && whyNotDurable.isBlank()) {
            throw new IllegalStateException("a run that is not durable must say why");
        }
        endOffsets = Collections.unmodifiableMap(new TreeMap<>(endOffsets));
        retentionHorizon = Collections.unmodifiableMap(new TreeMap<>(retentionHorizon));
    }

    /** Why a record below the retention horizon may be missing without any fault. */
    public static final String RETENTION = "deleted by retention before read";

    /** The highest log start offset of {@code key} (0 when retention deleted nothing). */
    public long horizon(int key) {
        return retentionHorizon.getOrDefault(key, 0L);
    }

    public TxnPromise withRetentionHorizon(int key, long logStartOffset) {
        TreeMap<Integer, Long> h = new TreeMap<>(retentionHorizon);
        h.put(key, logStartOffset);
        return new TxnPromise(readCommitted, durable, whyNotDurable, finalReadsDone, endOffsets, whyLsoMayLag, eos, h);
    }

    /** Everything promised, no end offsets known. */
    public static TxnPromise strict() {
        return new TxnPromise(true, true, "", true, new TreeMap<>(), "", false, new TreeMap<>());
    }

    public TxnPromise withReadCommitted(boolean rc) {
        return new TxnPromise(rc, durable, whyNotDurable, finalReadsDone, endOffsets, whyLsoMayLag, eos, retentionHorizon);
    }

    public TxnPromise withDurable(boolean d, String why) {
        return new TxnPromise(readCommitted, d, why, finalReadsDone, endOffsets, whyLsoMayLag, eos, retentionHorizon);
    }

    public TxnPromise withFinalReadsDone(boolean f) {
        return new TxnPromise(readCommitted, durable, whyNotDurable, f, endOffsets, whyLsoMayLag, eos, retentionHorizon);
    }

    public TxnPromise withEnd(int key, long lso, long hw) {
        TreeMap<Integer, End> m = new TreeMap<>(endOffsets);
        m.put(key, new End(lso, hw));
        return new TxnPromise(readCommitted, durable, whyNotDurable, finalReadsDone, m, whyLsoMayLag, eos, retentionHorizon);
    }

    public TxnPromise withWhyLsoMayLag(String why) {
        return new TxnPromise(readCommitted, durable, whyNotDurable, finalReadsDone, endOffsets, why, eos, retentionHorizon);
    }

    public TxnPromise withEos(boolean e) {
        return new TxnPromise(readCommitted, durable, whyNotDurable, finalReadsDone, endOffsets, whyLsoMayLag, e, retentionHorizon);
    }

    /** The reason read-isolation anomalies are expected, empty under read_committed. */
    public String whyNotIsolated() {
        return readCommitted ? "" : "isolation.level=read_uncommitted: readers see records of open and aborted transactions";
    }
}
