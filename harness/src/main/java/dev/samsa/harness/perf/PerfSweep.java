package dev.samsa.harness.perf;

import dev.samsa.reports.perf.Estimate;
import dev.samsa.reports.perf.PerfReport;
import dev.samsa.spec.config.Settings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.HdrHistogram.Histogram;

/**
 * The {@code perf} sweep: produce latency for acks 0, 1 and all at a fixed offered rate, and
 * throughput at saturation across linger.ms × batch.size × compression.type, each configuration
 * run on {@code seeds} seeds. Runs are independent single-threaded simulations spread over a
 * thread pool; results are gathered in configuration and seed order, so the report does not
 * depend on scheduling.
 */
public final class PerfSweep {

    /** One configuration of the sweep: its label, the settings it fixes, open-loop rate (0: closed loop). */
    public record Config(String label, Map<String, String> settings, long recordsPerSecond) {}

    /** The shape of a sweep. */
    public record Plan(List<Config> latency, List<Config> throughput, int seeds, long warmupMs, long measureMs, long sampleMs, int outstanding) {}

    /** Open-loop rate of the acks comparison: far below saturation, so latency is the protocol's, not queueing. */
    public static final long LATENCY_RATE = 10_000;
    public static final int OUTSTANDING = 2_000;

    private PerfSweep() {}

    /** The default sweep, {@code extra} settings (from --set) applied to every configuration. */
    public static Plan defaultPlan(int seeds, Map<String, String> extra) {
        List<Config> latency = new ArrayList<>();
        for (String acks : List.of("0", "1", "all")) {
            latency.add(config("acks=" + acks, extra, LATENCY_RATE, "acks", acks, "linger.ms", "0"));
        }
        List<Config> throughput = new ArrayList<>();
        for (long linger : List.of(0L, 5L, 20L, 50L)) {
            for (int batch : List.of(16_384, 65_536, 262_144)) {
                for (String codec : List.of("none", "lz4", "zstd")) {
                    throughput.add(config("linger.ms=" + linger + " batch.size=" + batch + " compression.type=" + codec, extra, 0,
                            "acks", "all", "linger.ms", Long.toString(linger), "batch.size", Integer.toString(batch), "compression.type", codec));
                }
            }
        }
        return new Plan(latency, throughput, seeds, 1_000, 1_000, 50, OUTSTANDING);
    }

    public static Config config(String label, Map<String, String> extra, long rate, String... kv) {
        TreeMap<String, String> s = new TreeMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            s.put(kv[i], kv[i + 1]);
        }
        s.putAll(extra);
        Settings.defaults().withAll(s); // bad keys or values fail here, before any thread starts
        return new Config(label, s, rate);
    }

    /** Runs the plan on {@code threads} threads and summarises it. */
    public static PerfReport run(Plan plan, int threads, String command) {
        List<Config> all = new ArrayList<>(plan.latency());
        all.addAll(plan.throughput());
        Map<Config, List<PerfRun.Sample>> samples = runAll(plan, all, threads);
        List<PerfReport.LatencyRow> produce = new ArrayList<>();
        List<PerfReport.LatencyRow> e2e = new ArrayList<>();
        List<PerfReport.LagSeries> lag = new ArrayList<>();
        for (Config c : plan.latency()) {
            List<PerfRun.Sample> s = samples.get(c);
            produce.add(latencyRow(c.label(), s, PerfRun.Sample::produceLatencyMicros, 1_000.0));
            e2e.add(latencyRow(c.label(), s, PerfRun.Sample::endToEndMs, 1.0));
            lag.add(lagSeries(c.label(), s, plan.sampleMs()));
        }
        List<PerfReport.ThroughputRow> tput = new ArrayList<>();
        for (Config c : plan.throughput()) {
            List<PerfRun.Sample> s = samples.get(c);
            double[] rps = s.stream().mapToDouble(PerfRun.Sample::recordsPerSecond).toArray();
            tput.add(new PerfReport.ThroughputRow(Long.parseLong(c.settings().get("linger.ms")), Integer.parseInt(c.settings().get("batch.size")),
                    c.settings().get("compression.type"), Estimate.of(rps)));
        }
        // Lag at saturation is where it is interesting: add the defaults' closed-loop run if it is in the plan.
        for (Config c : plan.throughput()) {
            if (c.settings().get("linger.ms").equals("5") && c.settings().get("batch.size").equals("16384") && c.settings().get("compression.type").equals("none")) {
                lag.add(lagSeries("saturated acks=all " + c.label(), samples.get(c), plan.sampleMs()));
            }
        }
        return new PerfReport(command, plan.seeds(), ModelDescription.lines(PerfRun.settings(plan.latency().isEmpty() ? new TreeMap<>() : plan.latency().get(0).settings()), plan),
                produce, tput, e2e, lag);
    }

    private static Map<Config, List<PerfRun.Sample>> runAll(Plan plan, List<Config> configs, int threads) {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads), r -> {
            Thread t = new Thread(r, "samsa-perf");
            t.setDaemon(true);
            return t;
        });
        try {
            LinkedHashMap<Config, List<Future<PerfRun.Sample>>> futures = new LinkedHashMap<>();
            for (Config c : configs) {
                List<Future<PerfRun.Sample>> fs = new ArrayList<>();
                for (int seed = 1; seed <= plan.seeds(); seed++) {
                    long s = seed;
                    PerfRun.Timing timing = new PerfRun.Timing(plan.warmupMs(), plan.measureMs(), plan.sampleMs(), plan.outstanding(), c.recordsPerSecond());
                    fs.add(pool.submit(() -> PerfRun.run(c.settings(), s, timing)));
                }
                futures.put(c, fs);
            }
            LinkedHashMap<Config, List<PerfRun.Sample>> out = new LinkedHashMap<>();
            for (Map.Entry<Config, List<Future<PerfRun.Sample>>> e : futures.entrySet()) {
                List<PerfRun.Sample> done = new ArrayList<>();
                for (Future<PerfRun.Sample> f : e.getValue()) {
                    done.add(f.get());
                }
                out.put(e.getKey(), done);
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    static PerfReport.LatencyRow latencyRow(String label, List<PerfRun.Sample> samples, Function<PerfRun.Sample, Histogram> h, double perMs) {
        double[][] p = new double[3][samples.size()];
        double[] qs = {50, 99, 99.9};
        for (int i = 0; i < samples.size(); i++) {
            for (int q = 0; q < 3; q++) {
                p[q][i] = h.apply(samples.get(i)).getValueAtPercentile(qs[q]) / perMs;
            }
        }
        return new PerfReport.LatencyRow(label, Estimate.of(p[0]), Estimate.of(p[1]), Estimate.of(p[2]));
    }

    private static PerfReport.LagSeries lagSeries(String label, List<PerfRun.Sample> samples, long sampleMs) {
        int n = samples.get(0).lag().size();
        List<Double> mean = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double sum = 0;
            for (PerfRun.Sample s : samples) {
                sum += Math.max(0, s.lag().get(i));
            }
            mean.add(sum / samples.size());
        }
        return new PerfReport.LagSeries(label, sampleMs, mean);
    }
}
