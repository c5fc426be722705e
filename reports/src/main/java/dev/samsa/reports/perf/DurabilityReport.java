package dev.samsa.reports.perf;

import java.util.List;

/**
 * The seed article's durability table, reproduced: per configuration, summed over the same seeds
 * and fault plans, the writes acknowledged, lost and refused, and how many seeds lost any.
 *
 * @param faults the fault profile the seeds ran under
 * @param latency produce latency (ok sends, invoke to complete) per configuration, under those faults
 */
public record DurabilityReport(String faults, int seeds, List<Row> rows, List<PerfReport.LatencyRow> latency) {

    public DurabilityReport {
        rows = List.copyOf(rows);
        latency = List.copyOf(latency);
    }

    /**
     * One configuration.
     *
     * @param acknowledged distinct values whose send was acknowledged
     * @param lost acknowledged values never read (lost, or unseen at the end)
     * @param refused send operations that failed definitely (e.g. NOT_ENOUGH_REPLICAS)
     * @param command the command that reproduces this row
     */
    public record Row(String config, String behaviour, long acknowledged, long lost, long refused, int seedsWithLoss,
            String command) {}
}
