package dev.samsa.harness.run;

import java.util.List;
import java.util.Map;

/**
 * What one seed found. {@code passed} is false iff a violation is not expected under the
 * seed's settings and fault plan.
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
        long wallNanos) {

    /** One violated invariant, with evidence. */
    public record Finding(String invariant, String statement, long atNanos, boolean expected, String evidence) {}
}
