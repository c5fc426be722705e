package dev.samsa.harness.run;

import dev.samsa.harness.workload.Workloads;
import dev.samsa.reports.CampaignReport;
import dev.samsa.reports.ReportWriter;
import dev.samsa.spec.invariant.Invariant;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The running totals of a campaign, behind {@code summary.json} (schema {@code samsa.summary/1}),
 * {@code report.md}/{@code report.html} and the closing lines. Fed seed by seed, by a running
 * {@link Campaign} or by {@link ResultsMerge} from the {@code results.jsonl} of earlier runs.
 */
public final class CampaignSummary {

    /** Everything about the campaign that is not in its seeds' results. */
    public record Meta(String workload, String options, String faultProfile, Map<String, String> fixedSettings, List<String> bugs,
            long firstSeed, long lastSeed, long seedsRequested, int threads) {
        public Meta {
            fixedSettings = new TreeMap<>(fixedSettings);
            bugs = List.copyOf(bugs);
        }

        static Meta of(Campaign.Options o) {
            return new Meta(o.spec().workload(), o.spec().cliOptions(), o.spec().faults().label(), o.spec().fixedSettings(),
                    o.spec().bugs().stream().map(b -> b.jira()).toList(), o.seeds().first(), o.seeds().last(), o.seeds().count(), o.threads());
        }

        String replayCommand(long seed) {
            return "./samsa replay --seed " + seed + " " + options;
        }
    }

    private static final int MAX_LISTED_FAILURES = 200;
    /** The files a failing seed's folder may hold, in the order the report links them. */
    static final List<String> SEED_FILES = List.of("timeline.html", "trace.txt", "faults.txt", "history.jsonl", "timeline.jsonl", "result.json", "replay.txt");

    private final Meta meta;
    private long seedsDone;
    private long passed;
    private long failed;
    private long withExpected;
    private long events;
    private long simulatedNanos;
    private long seedWallNanos;
    private final TreeMap<String, long[]> invariantCounts = new TreeMap<>(); // [violated, expected]
    private final TreeMap<String, Long> counters = new TreeMap<>();
    private final TreeMap<String, Long> reached = new TreeMap<>();
    private final TreeMap<String, Long> stats = new TreeMap<>();
    private final List<Map<String, Object>> failures = new ArrayList<>();
    /** partition.assignment.strategy -> rebalance durations (simulated ns) and seed count. */
    private final TreeMap<String, List<Long>> rebalances = new TreeMap<>();
    private final TreeMap<String, Long> rebalanceSeeds = new TreeMap<>();
    /** latency name -> every sample (simulated ns), and how many seeds gave samples. */
    private final TreeMap<String, List<Long>> latencies = new TreeMap<>();
    private final TreeMap<String, Long> latencySeeds = new TreeMap<>();
    private final VerdictMatrixBuilder matrix;

    public CampaignSummary(Meta meta) {
        this.meta = meta;
        this.matrix = new VerdictMatrixBuilder(Workloads.find(meta.workload()).map(w -> w.decidingSettings()).orElse(List.of()));
    }

    public Meta meta() {
        return meta;
    }

    public synchronized void add(SeedResult r, String determinismProblem) {
        seedsDone++;
        boolean ok = r.passed() && determinismProblem == null;
        if (ok) {
            passed++;
        } else {
            failed++;
        }
        if (determinismProblem != null) {
            invariantCounts.computeIfAbsent(Invariant.DETERMINISM.id(), k -> new long[2])[0]++;
        }
        boolean expected = false;
        for (SeedResult.Finding f : r.findings()) {
            long[] c = invariantCounts.computeIfAbsent(f.invariant(), k -> new long[2]);
            c[f.expected() ? 1 : 0]++;
            expected |= f.expected();
        }
        if (expected) {
            withExpected++;
        }
        matrix.add(r, determinismProblem != null);
        events += r.events();
        simulatedNanos += r.simulatedNanos();
        seedWallNanos += r.wallNanos();
        r.counters().forEach((k, v) -> counters.merge(k, v, Long::sum));
        r.reachedPaths().forEach((k, v) -> reached.merge(k, v, Long::sum));
        r.stats().forEach((k, v) -> stats.merge(k, v, Long::sum));
        if (!r.rebalanceNanos().isEmpty()) {
            String strategy = r.settings().getOrDefault("partition.assignment.strategy",
                    dev.samsa.spec.config.KafkaConfigs.find("partition.assignment.strategy").map(k -> k.defaultValue()).orElse("range"));
            rebalances.computeIfAbsent(strategy, k -> new ArrayList<>()).addAll(r.rebalanceNanos());
            rebalanceSeeds.merge(strategy, 1L, Long::sum);
        }
        r.latencyNanos().forEach((name, samples) -> {
            if (!samples.isEmpty()) {
                latencies.computeIfAbsent(name, k -> new ArrayList<>()).addAll(samples);
                latencySeeds.merge(name, 1L, Long::sum);
            }
        });
        if (!ok && failures.size() < MAX_LISTED_FAILURES) {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("seed", r.seed());
            f.put("invariants", r.violatedInvariants());
            f.put("determinism", determinismProblem == null ? "" : determinismProblem);
            f.put("evidence", determinismProblem != null ? determinismProblem
                    : r.findings().stream().filter(x -> !x.expected()).map(SeedResult.Finding::evidence).findFirst().orElse(""));
            f.put("faultPlan", r.faultPlan());
            f.put("replay", meta.replayCommand(r.seed()));
            f.put("folder", "seed-" + r.seed());
            failures.add(f);
        }
    }

    public synchronized long seedsDone() {
        return seedsDone;
    }

    public synchronized long passed() {
        return passed;
    }

    public synchronized long failed() {
        return failed;
    }

    public synchronized long seedsWithExpectedAnomalies() {
        return withExpected;
    }

    synchronized double eventsPerWallSecond(long wallNanos) {
        return events / Math.max(wallNanos / 1e9, 1e-9);
    }

    /** Writes summary.json, then report.md and report.html beside it; {@code wallNanos} is the campaign's wall time. */
    public synchronized void write(Path file, long wallNanos, boolean finished) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("schema", "samsa.summary/1");
        s.put("finished", finished);
        s.put("workload", meta.workload());
        s.put("options", meta.options());
        s.put("faultProfile", meta.faultProfile());
        s.put("fixedSettings", meta.fixedSettings());
        s.put("bugs", meta.bugs());
        Map<String, Object> seeds = new LinkedHashMap<>();
        seeds.put("first", meta.firstSeed());
        seeds.put("last", meta.lastSeed());
        seeds.put("requested", meta.seedsRequested());
        seeds.put("done", seedsDone);
        s.put("seeds", seeds);
        s.put("passed", passed);
        s.put("failed", failed);
        s.put("seedsWithExpectedAnomalies", withExpected);
        Map<String, Object> inv = new TreeMap<>();
        for (String id : invariantRows()) {
            long[] c = invariantCounts.getOrDefault(id, new long[2]);
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("violated", c[0]);
            v.put("expected", c[1]);
            inv.put(id, v);
        }
        s.put("invariants", inv);
        s.put("failures", failures);
        s.put("faults", filter(counters, "fault."));
        s.put("reachedPaths", reached);
        s.put("workloadStats", stats);
        List<Map<String, Object>> rb = new ArrayList<>();
        for (CampaignReport.RebalanceRow row : rebalanceRows()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("strategy", row.strategy());
            m.put("protocol", row.protocol());
            m.put("seeds", row.seeds());
            m.put("rebalances", row.rebalances());
            m.put("p50Ms", row.p50Ms());
            m.put("p90Ms", row.p90Ms());
            m.put("p99Ms", row.p99Ms());
            m.put("maxMs", row.maxMs());
            rb.add(m);
        }
        s.put("rebalances", rb);
        List<Map<String, Object>> lat = new ArrayList<>();
        for (CampaignReport.LatencyRow row : latencyRows()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", row.name());
            m.put("seeds", row.seeds());
            m.put("samples", row.samples());
            m.put("p50Ms", row.p50Ms());
            m.put("p90Ms", row.p90Ms());
            m.put("p99Ms", row.p99Ms());
            m.put("maxMs", row.maxMs());
            lat.add(m);
        }
        s.put("latencies", lat);
        s.put("counters", counters);
        Map<String, Object> speed = new LinkedHashMap<>();
        speed.put("wallSeconds", wallNanos / 1e9);
        speed.put("events", events);
        speed.put("eventsPerSecond", events / Math.max(wallNanos / 1e9, 1e-9));
        speed.put("eventsPerSecondPerCore", events / Math.max(seedWallNanos / 1e9, 1e-9));
        speed.put("simulatedSecondsPerWallSecond", (simulatedNanos / 1e9) / Math.max(wallNanos / 1e9, 1e-9));
        speed.put("simulatedSecondsPerWallSecondPerCore", (simulatedNanos / 1e9) / Math.max(seedWallNanos / 1e9, 1e-9));
        speed.put("threads", meta.threads());
        s.put("speed", speed);
        Json.writeAtomically(file, s);
        Path dir = file.toAbsolutePath().getParent();
        try {
            ReportWriter.writeBoth(report(wallNanos, finished, dir), dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The invariants the report lists: those any seed violated, and those the workload checks (they may have always held). */
    private List<String> invariantRows() {
        List<String> rows = new ArrayList<>();
        for (Invariant i : Invariant.values()) {
            long[] c = invariantCounts.getOrDefault(i.id(), new long[2]);
            if (c[0] + c[1] > 0 || relevant(i)) {
                rows.add(i.id());
            }
        }
        return rows;
    }

    /** The reports module's view of this campaign; {@code dir} is where the failing seeds' folders are. */
    private CampaignReport report(long wallNanos, boolean finished, Path dir) {
        List<CampaignReport.InvariantRow> rows = new ArrayList<>();
        for (Invariant i : Invariant.values()) {
            long[] c = invariantCounts.getOrDefault(i.id(), new long[2]);
            if (c[0] + c[1] > 0 || relevant(i)) {
                rows.add(new CampaignReport.InvariantRow(i.id(), i.statement(), i.source(), i.notPromisedUnder(), seedsDone, c[0], c[1]));
            }
        }
        List<CampaignReport.FailureRow> failureRows = new ArrayList<>();
        for (Map<String, Object> f : failures) {
            @SuppressWarnings("unchecked")
            List<String> invs = (List<String>) f.get("invariants");
            String folder = (String) f.get("folder");
            List<String> files = SEED_FILES.stream().filter(n -> Files.isRegularFile(dir.resolve(folder).resolve(n))).toList();
            failureRows.add(new CampaignReport.FailureRow((Long) f.get("seed"), invs, (String) f.get("evidence"),
                    (String) f.get("faultPlan"), (String) f.get("replay"), folder, files));
        }
        double wall = wallNanos / 1e9;
        return new CampaignReport("samsa " + meta.workload() + " campaign", meta.workload(), meta.options(),
                meta.faultProfile(), meta.seedsRequested(), seedsDone, passed, failed, withExpected, finished, rows,
                filter(counters, "fault."), reached,
                Workloads.find(meta.workload()).map(w -> w.declaredPaths()).orElse(List.of()),
                stats, failureRows,
                new CampaignReport.Speed(wall, events, events / Math.max(wall, 1e-9), events / Math.max(seedWallNanos / 1e9, 1e-9),
                        (simulatedNanos / 1e9) / Math.max(wall, 1e-9), meta.threads()),
                matrix.build(invariantRows()), rebalanceRows(), latencyRows());
    }

    /** Rebalance duration percentiles per assignment strategy (nearest rank), in simulated milliseconds. */
    List<CampaignReport.RebalanceRow> rebalanceRows() {
        List<CampaignReport.RebalanceRow> rows = new ArrayList<>();
        rebalances.forEach((strategy, all) -> {
            long[] d = all.stream().mapToLong(Long::longValue).sorted().toArray();
            rows.add(new CampaignReport.RebalanceRow(strategy, strategy.startsWith("cooperative") ? "cooperative" : "eager",
                    rebalanceSeeds.getOrDefault(strategy, 0L), d.length, nearestRank(d, 0.50), nearestRank(d, 0.90), nearestRank(d, 0.99),
                    nearestRank(d, 1.0)));
        });
        return rows;
    }

    /** Percentiles of each latency over every sample (nearest rank), in simulated milliseconds. */
    List<CampaignReport.LatencyRow> latencyRows() {
        List<CampaignReport.LatencyRow> rows = new ArrayList<>();
        latencies.forEach((name, all) -> {
            long[] d = all.stream().mapToLong(Long::longValue).sorted().toArray();
            rows.add(new CampaignReport.LatencyRow(name, latencySeeds.getOrDefault(name, 0L), d.length, nearestRank(d, 0.50), nearestRank(d, 0.90),
                    nearestRank(d, 0.99), nearestRank(d, 1.0)));
        });
        return rows;
    }

    static double nearestRank(long[] sorted, double q) {
        int i = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
    }

    private boolean relevant(Invariant i) {
        if (i.id().startsWith("sim.")) {
            return true;
        }
        for (String prefix : Workloads.find(meta.workload()).map(w -> w.invariantPrefixes()).orElse(List.of())) {
            if (i.id().startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    synchronized List<String> closingLines(long wallNanos, Path outDir) {
        List<String> lines = new ArrayList<>();
        double wall = wallNanos / 1e9;
        lines.add(String.format("%d seeds: %d passed, %d failed%s, in %s",
                seedsDone, passed, failed, withExpected > 0 ? " (" + withExpected + " with expected anomalies)" : "", duration(wall)));
        lines.add(String.format("speed: %s events/s (%s per core), %.0f simulated s per wall s (%.0f per core)",
                si(events / Math.max(wall, 1e-9)), si(events / Math.max(seedWallNanos / 1e9, 1e-9)),
                (simulatedNanos / 1e9) / Math.max(wall, 1e-9), (simulatedNanos / 1e9) / Math.max(seedWallNanos / 1e9, 1e-9)));
        Map<String, Long> faults = filter(counters, "fault.");
        if (!faults.isEmpty()) {
            StringBuilder b = new StringBuilder("faults:");
            faults.forEach((k, v) -> b.append(' ').append(k.substring("fault.".length())).append('=').append(v));
            lines.add(b.toString());
        }
        if (!invariantCounts.isEmpty()) {
            StringBuilder b = new StringBuilder("violations:");
            invariantCounts.forEach((k, v) -> b.append(' ').append(k).append('=').append(v[0]).append(v[1] > 0 ? " (+" + v[1] + " expected)" : ""));
            lines.add(b.toString());
        }
        for (CampaignReport.RebalanceRow row : rebalanceRows()) {
            lines.add(String.format(java.util.Locale.ROOT, "rebalances (%s, %s): %d in %d seeds, simulated ms p50 %.0f p90 %.0f p99 %.0f max %.0f",
                    row.strategy(), row.protocol(), row.rebalances(), row.seeds(), row.p50Ms(), row.p90Ms(), row.p99Ms(), row.maxMs()));
        }
        for (CampaignReport.LatencyRow row : latencyRows()) {
            lines.add(String.format(java.util.Locale.ROOT, "latency %s: %d samples in %d seeds, simulated ms p50 %.2f p90 %.2f p99 %.2f max %.2f",
                    row.name(), row.samples(), row.seeds(), row.p50Ms(), row.p90Ms(), row.p99Ms(), row.maxMs()));
        }
        lines.add("report: " + outDir.resolve("report.html") + " (also report.md, summary.json, results.jsonl)");
        lines.add(failed == 0 ? "verdict: every invariant held" : "verdict: " + failed + " seed" + (failed == 1 ? "" : "s") + " violated an invariant");
        return lines;
    }

    private static Map<String, Long> filter(Map<String, Long> m, String prefix) {
        TreeMap<String, Long> out = new TreeMap<>();
        m.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                out.put(k, v);
            }
        });
        return out;
    }

    static String si(double v) {
        if (v >= 1e9) {
            return String.format("%.2fG", v / 1e9);
        }
        if (v >= 1e6) {
            return String.format("%.2fM", v / 1e6);
        }
        if (v >= 1e3) {
            return String.format("%.1fk", v / 1e3);
        }
        return String.format("%.0f", v);
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        if (seconds < 10) {
            return String.format("%.1f s", seconds);
        }
        return s >= 3600 ? String.format("%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60) : String.format("%d:%02d", s / 60, s % 60);
    }
}
