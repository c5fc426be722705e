package dev.samsa.harness.workload;

import dev.samsa.harness.fault.FaultBudget;
import dev.samsa.harness.fault.TargetOracle;
import dev.samsa.harness.run.Phase;
import java.util.NavigableMap;

/** One workload running in one simulation. */
public interface WorkloadRun {

    /** The node targeted faults aim at. */
    TargetOracle targetOracle();

    /** What the configuration promises to survive. */
    FaultBudget faultBudget();

    /**
     * Hands the workload where to report the moments worth a targeted fault at once (see
     * {@link dev.samsa.harness.fault.FaultTrigger}); the Nemesis decides whether to strike.
     * Workloads without such moments ignore it.
     */
    default void watchTriggers(java.util.function.Consumer<dev.samsa.harness.fault.FaultTrigger> nemesis) {}

    /** Called at the start of each phase. */
    void onPhase(Phase phase);

    /** End-of-run checks after quiesce; violations go to {@code sim.violation}. */
    void finish();

    /**
     * True when this run's faults went beyond what its configuration promises to survive (only
     * possible with {@code --faults unrestricted}): its violations are then reported as expected.
     */
    default boolean outsidePromise() {
        return false;
    }

    /**
     * Writes what a person needs to study this run besides its trace (the history, for the
     * queue workload) into {@code dir}. Called after the run for failing seeds and on request.
     */
    default void writeArtifacts(java.nio.file.Path dir, long seed, String cliOptions) {}

    /** The clients' operations, one row per client, for the seed's timeline page. */
    default java.util.List<dev.samsa.reports.timeline.Timeline.Row> timelineClients() {
        return java.util.List.of();
    }

    /**
     * Who led what over the run (the active controller; partition leaders and ISR), for the
     * seed's timeline page; spans still open end at {@code endNanos}.
     */
    default java.util.List<dev.samsa.reports.timeline.Timeline.Lane> timelineLanes(long endNanos) {
        return java.util.List.of();
    }

    /** How long each consumer-group rebalance of the run took, in simulated nanoseconds (none for workloads without groups). */
    default java.util.List<Long> rebalanceNanos() {
        return java.util.List.of();
    }

    /** Latency samples by name, in simulated nanoseconds (e.g. {@code txn.commit}), for the seed result and the summary's percentiles. */
    default java.util.Map<String, java.util.List<Long>> latencyNanos() {
        return java.util.Map.of();
    }

    /** Operation counts by outcome and the like, for the summary. */
    NavigableMap<String, Long> stats();
}
