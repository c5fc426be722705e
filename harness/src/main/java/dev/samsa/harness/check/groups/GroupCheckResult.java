package dev.samsa.harness.check.groups;

import java.util.List;
import java.util.Map;

/**
 * The verdict on one groups history: its anomalies (at most one per invariant and judgement),
 * the rebalances it went through, and the counts a summary shows.
 */
public record GroupCheckResult(List<Anomaly> anomalies, List<Rebalance> rebalances, Map<String, Long> counts) {

    public GroupCheckResult {
        anomalies = List.copyOf(anomalies);
        rebalances = List.copyOf(rebalances);
        counts = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(counts));
    }

    /**
     * One kind of anomaly found in the history.
     *
     * @param invariantId an {@code Invariant} id, e.g. {@code group.single-owner}
     * @param expected Kafka does not promise to avoid it under this run's settings
     * @param whyExpected the reason when expected (empty otherwise)
     * @param evidence how many occurrences, then the first ones: processes, member ids,
     *     generations, partitions, offsets and history indexes
     */
    public record Anomaly(String invariantId, boolean expected, String whyExpected, String evidence) {}

    /**
     * One rebalance of a group in simulated time: from the first member's join to the last
     * member's arrival in the new generation.
     */
    public record Rebalance(String group, int generation, long startNs, long endNs, int members) {
        public long durationNs() {
            return endNs - startNs;
        }
    }

    public boolean ok() {
        return anomalies.stream().allMatch(Anomaly::expected);
    }

    public List<Anomaly> violations() {
        return anomalies.stream().filter(a -> !a.expected()).toList();
    }
}
