package dev.samsa.harness.run;

import java.util.List;
import java.util.Map;

/**
 * What one seed found. {@code passed} is false iff a violation is not expected under the
 * seed's settings and fault plan. {@code faultSchedule} is what the Nemesis injected, as the
 * lines of a {@link dev.samsa.harness.fault.FaultSchedule} ({@code faults-start}, then one
 * line per event): {@code FaultSchedule.parse} reads it back, and replaying it reproduces the run.
 * {@code rebalanceNanos} lists how long each consumer-group rebalance took, in simulated time.
 * {@code latencyNanos} holds latency samples by name in simulated nanoseconds (the txn and eos
 * workloads' {@code txn.commit}: commitTransaction() to its successful completion).
 */
public record SeedResult(
        long seed,
        String workload,
        boolean passed,
        List<Finding> findings,
        String faultPlan,
        Map<String, String> settings,
        Map<String, Long> counters,
        Map<String, Long> reachedPaths,
        Map<String, Long> stats,
        String traceHash,
        long simulatedNanos,
        long events,
        long wallNanos,
        List<String> faultSchedule,
        List<Long> rebalanceNanos,
        Map<String, List<Long>> latencyNanos) {

    public SeedResult {
        faultSchedule = List.copyOf(faultSchedule);
        rebalanceNanos = rebalanceNanos == null ? List.of() : List.copyOf(rebalanceNanos); // absent in results of workloads without groups
        // absent in results of workloads without latencies, and in results.jsonl written before them
        java.util.TreeMap<String, List<Long>> l = new java.util.TreeMap<>();
        if (latencyNanos != null) {
            latencyNanos.forEach((k, v) -> l.put(k, List.copyOf(v)));
        }
        latencyNanos = java.util.Collections.unmodifiableMap(l);
    }

    /** A result without rebalances or latency samples. */
    public SeedResult(long seed, String workload, boolean passed, List<Finding> findings, String faultPlan, Map<String, String> settings,
            Map<String, Long> counters, Map<String, Long> reachedPaths, Map<String, Long> stats, String traceHash, long simulatedNanos,
            long events, long wallNanos, List<String> faultSchedule) {
        this(seed, workload, passed, findings, faultPlan, settings, counters, reachedPaths, stats, traceHash, simulatedNanos, events,
                wallNanos, faultSchedule, List.of(), Map.of());
    }

    /** A result without a recorded fault schedule (a seed the harness could not run). */
    public SeedResult(long seed, String workload, boolean passed, List<Finding> findings, String faultPlan, Map<String, String> settings,
            Map<String, Long> counters, Map<String, Long> reachedPaths, Map<String, Long> stats, String traceHash, long simulatedNanos,
            long events, long wallNanos) {
        this(seed, workload, passed, findings, faultPlan, settings, counters, reachedPaths, stats, traceHash, simulatedNanos, events,
                wallNanos, List.of());
    }

    /** The ids of the invariants violated against the promise (not expected), in order of first violation. */
    public List<String> violatedInvariants() {
        return findings.stream().filter(f -> !f.expected()).map(Finding::invariant).distinct().toList();
    }

    /** One violated invariant, with evidence. */
    public record Finding(String invariant, String statement, long atNanos, boolean expected, String evidence) {}
}
