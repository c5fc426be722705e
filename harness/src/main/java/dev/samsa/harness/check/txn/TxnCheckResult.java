package dev.samsa.harness.check.txn;

import java.util.List;
import java.util.Map;

/** The verdict on one txn or eos history: its anomalies (one per invariant and judgement) and counts. */
public record TxnCheckResult(List<Anomaly> anomalies, Counts counts) {

    public TxnCheckResult {
        anomalies = List.copyOf(anomalies);
    }

    /**
     * One kind of anomaly found in the history.
     *
     * @param invariantId an {@code Invariant} id, e.g. {@code txn.aborted-read}
     * @param expected Kafka does not promise to avoid it under this run's settings
     * @param whyExpected the reason when expected (empty otherwise)
     * @param evidence how many occurrences, then the first ones
     */
    public record Anomaly(String invariantId, boolean expected, String whyExpected, String evidence) {}

    /**
     * @param opsByTypeOutcome e.g. {@code "txn ok" -> 120}
     * @param committedWrites writes of OK transactions
     * @param abortedWrites writes of FAIL transactions
     * @param valuesRead distinct (key, value) pairs any read returned
     */
    public record Counts(Map<String, Integer> opsByTypeOutcome, long ops, long committedWrites, long abortedWrites, long valuesRead) {
        public Counts {
            opsByTypeOutcome = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(opsByTypeOutcome));
        }
    }

    public boolean ok() {
        return anomalies.stream().allMatch(Anomaly::expected);
    }

    public List<Anomaly> violations() {
        return anomalies.stream().filter(a -> !a.expected()).toList();
    }
}
