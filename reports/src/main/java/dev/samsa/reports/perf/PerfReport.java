package dev.samsa.reports.perf;

import java.util.List;

/**
 * What {@code ./samsa perf} measured, as plain values (this module knows nothing of the
 * simulator). Latencies are in milliseconds of simulated time; every {@link Estimate} is a mean
 * over {@code seeds} seeds with its 95% confidence interval.
 *
 * @param model the network and disk latency model the figures assume, one sentence per line
 * @param command the command that reproduces the report
 */
public record PerfReport(String command, int seeds, List<String> model, List<LatencyRow> produceLatency,
        List<ThroughputRow> throughput, List<LatencyRow> endToEnd, List<LagSeries> lag) {

    public PerfReport {
        model = List.copyOf(model);
        produceLatency = List.copyOf(produceLatency);
        throughput = List.copyOf(throughput);
        endToEnd = List.copyOf(endToEnd);
        lag = List.copyOf(lag);
    }

    /** Percentiles of one configuration, e.g. {@code acks=all}. */
    public record LatencyRow(String config, Estimate p50Ms, Estimate p99Ms, Estimate p999Ms) {}

    /** Acknowledged records per simulated second for one linger.ms × batch.size × compression.type. */
    public record ThroughputRow(long lingerMs, int batchSizeBytes, String compression, Estimate recordsPerSecond) {}

    /** Consumer lag (records) sampled every {@code sampleMs}, the mean over seeds per sample. */
    public record LagSeries(String config, long sampleMs, List<Double> meanLag) {
        public LagSeries {
            meanLag = List.copyOf(meanLag);
        }
    }
}
