package dev.samsa.harness.check.queue;

import java.util.List;
import java.util.Map;

/**
 * The verdict on one queue history: its anomalies (at most one per invariant and judgement) and
 * the counts a summary shows.
 */
public record QueueCheckResult(List<Anomaly> anomalies, Counts counts) {

    public QueueCheckResult {
        anomalies = List.copyOf(anomalies);
    }

    /**
     * One kind of anomaly found in the history.
     *
     * @param invariantId an {@code Invariant} id, e.g. {@code queue.lost-write}
     * @param expected Kafka does not promise to avoid it under this run's settings
     * @param whyExpected the reason when expected (empty otherwise)
     * @param evidence how many occurrences, then the first ones: processes, op indexes, keys,
     *     offsets and values
     */
    public record Anomaly(String invariantId, boolean expected, String whyExpected, String evidence) {}

    /**
     * Counts over the history. Values are counted per key (a value is unique per key).
     *
     * @param opsByTypeOutcome e.g. {@code "send ok" -> 120}
     * @param valuesSent distinct values in any send
     * @param valuesAcked distinct values in an OK send
     * @param valuesRead distinct values returned by any poll
     * @param lost acknowledged values judged lost (lost-write)
     * @param unseen acknowledged values nobody read that are not lost-writes (only with final reads)
     * @param duplicates values found at more than one offset of their key
     */
    public record Counts(
            Map<String, Integer> opsByTypeOutcome,
            long ops,
            long valuesSent,
            long valuesAcked,
            long valuesRead,
            long lost,
            long unseen,
            long duplicates) {

        public Counts {
            opsByTypeOutcome = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(opsByTypeOutcome));
        }
    }

    /** True when every anomaly is expected under the run's settings. */
    public boolean ok() {
        return anomalies.stream().allMatch(Anomaly::expected);
    }

    public List<Anomaly> violations() {
        return anomalies.stream().filter(a -> !a.expected()).toList();
    }
}
