package dev.samsa.reports;

import java.util.List;
import java.util.Map;

/**
 * The reports module's own input: what a campaign found, as plain data. The harness maps its
 * results into this record; reports never see the harness's types.
 *
 * @param invariants one row per invariant the campaign checked
 * @param faults how often each named fault fired, summed over seeds
 * @param reachedPaths rare protocol paths reached, summed over seeds
 * @param declaredPaths rare paths the workload declares worth reaching; those never reached are flagged
 */
public record CampaignReport(
        String title,
        String workload,
        String options,
        String faultProfile,
        long seedsRequested,
        long seedsDone,
        long passed,
        long failed,
        long seedsWithExpectedAnomalies,
        boolean finished,
        List<InvariantRow> invariants,
        Map<String, Long> faults,
        Map<String, Long> reachedPaths,
        List<String> declaredPaths,
        Map<String, Long> workloadStats,
        List<FailureRow> failures,
        Speed speed) {

    public CampaignReport {
        invariants = List.copyOf(invariants);
        faults = Map.copyOf(faults);
        reachedPaths = Map.copyOf(reachedPaths);
        declaredPaths = List.copyOf(declaredPaths);
        workloadStats = Map.copyOf(workloadStats);
        failures = List.copyOf(failures);
    }

    /** How one invariant fared: checked on {@code checked} seeds, violated on some, expected on others. */
    public record InvariantRow(String id, String statement, String source, String notPromisedUnder, long checked, long violated, long expected) {}

    /** A failing seed with how to reproduce it and where its evidence is. */
    public record FailureRow(long seed, List<String> invariants, String evidence, String faultPlan, String replayCommand, String folder) {}

    /** Simulator speed over the campaign. */
    public record Speed(double wallSeconds, long events, double eventsPerSecond, double eventsPerSecondPerCore,
            double simulatedSecondsPerWallSecond, int threads) {}
}
