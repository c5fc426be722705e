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
 * @param matrix each invariant against the values of the settings that decide it, as they occurred in the seeds
 * @param rebalances consumer-group rebalance durations per assignment strategy (empty for workloads without groups)
 * @param latencies latency percentiles by name in simulated time (e.g. txn.commit), empty for workloads without them
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
        Speed speed,
        VerdictMatrix matrix,
        List<RebalanceRow> rebalances,
        List<LatencyRow> latencies) {

    /** A campaign without consumer groups or latency samples. */
    public CampaignReport(String title, String workload, String options, String faultProfile, long seedsRequested, long seedsDone, long passed,
            long failed, long seedsWithExpectedAnomalies, boolean finished, List<InvariantRow> invariants, Map<String, Long> faults,
            Map<String, Long> reachedPaths, List<String> declaredPaths, Map<String, Long> workloadStats, List<FailureRow> failures, Speed speed,
            VerdictMatrix matrix) {
        this(title, workload, options, faultProfile, seedsRequested, seedsDone, passed, failed, seedsWithExpectedAnomalies, finished, invariants,
                faults, reachedPaths, declaredPaths, workloadStats, failures, speed, matrix, List.of(), List.of());
    }

    public CampaignReport {
        rebalances = List.copyOf(rebalances);
        latencies = List.copyOf(latencies);
        invariants = List.copyOf(invariants);
        faults = Map.copyOf(faults);
        reachedPaths = Map.copyOf(reachedPaths);
        declaredPaths = List.copyOf(declaredPaths);
        workloadStats = Map.copyOf(workloadStats);
        failures = List.copyOf(failures);
    }

    /** How one invariant fared: checked on {@code checked} seeds, violated on some, expected on others. */
    public record InvariantRow(String id, String statement, String source, String notPromisedUnder, long checked, long violated, long expected) {}

    /**
     * A failing seed with how to reproduce it and where its evidence is.
     *
     * @param folder the seed's folder, relative to the report (e.g. {@code seed-3})
     * @param files the evidence files present in that folder (trace.txt, faults.txt, history.jsonl, ...)
     */
    public record FailureRow(long seed, List<String> invariants, String evidence, String faultPlan, String replayCommand, String folder,
            List<String> files) {
        public FailureRow {
            invariants = List.copyOf(invariants);
            files = List.copyOf(files);
        }
    }

    /**
     * The verdict matrix: one row per invariant, one column per value a deciding setting took in
     * the campaign's seeds (e.g. {@code acks=1}). A seed counts in exactly one column per setting.
     */
    public record VerdictMatrix(List<Column> columns, List<MatrixRow> rows) {
        public VerdictMatrix {
            columns = List.copyOf(columns);
            rows = List.copyOf(rows);
            for (MatrixRow r : rows) {
                if (r.cells().size() != columns.size()) {
                    throw new IllegalStateException("row " + r.invariant() + " has " + r.cells().size() + " cells for " + columns.size() + " columns");
                }
            }
        }

        public static VerdictMatrix empty() {
            return new VerdictMatrix(List.of(), List.of());
        }
    }

    /** A setting's value, and in how many seeds it occurred. */
    public record Column(String setting, String value, long seeds) {}

    /** One invariant's cells, in the order of the matrix's columns. */
    public record MatrixRow(String invariant, List<Cell> cells) {
        public MatrixRow {
            cells = List.copyOf(cells);
        }
    }

    /** Of the seeds in a column: how many held the invariant, violated it, or violated it where that was expected. */
    public record Cell(long held, long violated, long expected) {}

    /**
     * How long consumer-group rebalances took under one {@code partition.assignment.strategy}, in
     * simulated milliseconds: from the first member's join to the last member's arrival in the new generation.
     *
     * @param protocol {@code eager} or {@code cooperative}
     * @param seeds seeds run with this strategy
     */
    public record RebalanceRow(String strategy, String protocol, long seeds, long rebalances, double p50Ms, double p90Ms, double p99Ms,
            double maxMs) {}

    /**
     * Percentiles of one kind of latency over every sample of the campaign, in simulated
     * milliseconds (nearest rank), e.g. {@code txn.commit}: commitTransaction() to its completion.
     *
     * @param seeds seeds that contributed samples
     */
    public record LatencyRow(String name, long seeds, long samples, double p50Ms, double p90Ms, double p99Ms, double maxMs) {}

    /** Simulator speed over the campaign. */
    public record Speed(double wallSeconds, long events, double eventsPerSecond, double eventsPerSecondPerCore,
            double simulatedSecondsPerWallSecond, int threads) {}
}
