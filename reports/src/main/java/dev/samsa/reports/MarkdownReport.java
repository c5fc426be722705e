package dev.samsa.reports;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A {@link CampaignReport} as Markdown, for terminals and pull requests. Every string from a run
 * goes through {@link #text} (or {@link #code} inside backticks), so a hostile evidence string
 * neither breaks the tables nor becomes markup in a renderer that allows raw HTML.
 */
final class MarkdownReport {

    private MarkdownReport() {}

    static String render(CampaignReport r) {
        StringBuilder b = new StringBuilder();
        b.append("# ").append(text(r.title())).append("\n\n");
        b.append("**Verdict: ").append(ReportWriter.verdict(r)).append("**\n\n");
        b.append(code(r.options())).append(", fault profile ").append(code(r.faultProfile())).append(": ")
                .append(r.seedsDone()).append(" of ").append(r.seedsRequested()).append(" seeds run, ")
                .append(r.passed()).append(" passed, ").append(r.failed()).append(" failed");
        if (r.seedsWithExpectedAnomalies() > 0) {
            b.append(", ").append(r.seedsWithExpectedAnomalies()).append(" with anomalies expected under their settings");
        }
        b.append(".\n\n## Invariants\n\n| invariant | checked | violated | expected | not promised when |\n|---|---:|---:|---:|---|\n");
        for (CampaignReport.InvariantRow i : r.invariants()) {
            b.append("| ").append(code(i.id())).append(" ").append(text(i.statement())).append(" | ").append(i.checked()).append(" | ")
                    .append(i.violated()).append(" | ").append(i.expected()).append(" | ").append(text(i.notPromisedUnder())).append(" |\n");
        }
        matrix(b, r.matrix());
        faults(b, r);
        if (!r.workloadStats().isEmpty()) {
            b.append("\n## Workload\n\n| counter | value |\n|---|---:|\n");
            new TreeMap<>(r.workloadStats()).forEach((k, v) -> b.append("| ").append(text(k)).append(" | ").append(v).append(" |\n"));
        }
        rebalances(b, r.rebalances());
        latencies(b, r.latencies());
        anomalies(b, r.failures());
        CampaignReport.Speed s = r.speed();
        b.append(String.format(Locale.ROOT, "%n## Simulator speed%n%n%d events in %.1f s on %d threads: %.0f events/s (%.0f per core), "
                + "%.0f simulated seconds per wall second.%n", s.events(), s.wallSeconds(), s.threads(), s.eventsPerSecond(),
                s.eventsPerSecondPerCore(), s.simulatedSecondsPerWallSecond()));
        return b.toString();
    }

    private static void rebalances(StringBuilder b, List<CampaignReport.RebalanceRow> rows) {
        if (rows.isEmpty()) {
            return;
        }
        b.append("\n## Rebalance durations\n\nSimulated milliseconds from the first member's join to the last member's arrival in the new generation.\n\n")
                .append("| partition.assignment.strategy | protocol | seeds | rebalances | p50 | p90 | p99 | max |\n|---|---|---:|---:|---:|---:|---:|---:|\n");
        for (CampaignReport.RebalanceRow row : rows) {
            b.append(String.format(Locale.ROOT, "| %s | %s | %d | %d | %.0f | %.0f | %.0f | %.0f |%n", text(row.strategy()), text(row.protocol()),
                    row.seeds(), row.rebalances(), row.p50Ms(), row.p90Ms(), row.p99Ms(), row.maxMs()));
        }
    }

    private static void matrix(StringBuilder b, CampaignReport.VerdictMatrix m) {
        b.append("\n## Verdict matrix\n\n");
        if (m.columns().isEmpty()) {
            b.append("No setting drawn per seed decides this workload's invariants.\n");
            return;
        }
        b.append("Each cell: seeds where the invariant held / was violated / was violated where its settings make that expected.\n\n");
        b.append("| invariant |");
        for (CampaignReport.Column c : m.columns()) {
            b.append(" ").append(text(c.setting() + "=" + c.value())).append(" (").append(c.seeds()).append(") |");
        }
        b.append("\n|---|").append("---|".repeat(m.columns().size())).append("\n");
        for (CampaignReport.MatrixRow row : m.rows()) {
            b.append("| ").append(code(row.invariant())).append(" |");
            for (CampaignReport.Cell c : row.cells()) {
                b.append(" ").append(c.held()).append(" / ").append(c.violated() > 0 ? "**" + c.violated() + "**" : "0")
                        .append(" / ").append(c.expected()).append(" |");
            }
            b.append("\n");
        }
    }

    private static void faults(StringBuilder b, CampaignReport r) {
        b.append("\n## Fault coverage\n\n");
        if (r.faults().isEmpty()) {
            b.append("No fault fired.\n");
        } else {
            b.append("| fault | fired |\n|---|---:|\n");
            new TreeMap<>(r.faults()).forEach((k, v) -> b.append("| ").append(text(k)).append(" | ").append(v).append(" |\n"));
        }
        b.append("\n### Rare paths\n\n| path | reached |\n|---|---:|\n");
        for (Map.Entry<String, Long> e : ReportWriter.paths(r).entrySet()) {
            b.append("| ").append(text(e.getKey())).append(" | ").append(e.getValue() == 0 ? "**never** ⚠" : e.getValue()).append(" |\n");
        }
        long never = ReportWriter.neverReached(r).size();
        if (never > 0) {
            b.append("\n").append(never).append(" declared path").append(never == 1 ? " was" : "s were").append(" never reached.\n");
        }
    }

    private static void anomalies(StringBuilder b, List<CampaignReport.FailureRow> failures) {
        if (failures.isEmpty()) {
            return;
        }
        b.append("\n## Anomalies\n\n");
        for (CampaignReport.FailureRow f : failures) {
            b.append("- seed ").append(f.seed()).append(" — ").append(text(String.join(", ", f.invariants()))).append(": ")
                    .append(text(f.evidence())).append("\n  - faults: ").append(text(f.faultPlan()))
                    .append("\n  - replay: ").append(code(f.replayCommand()));
            if (ReportWriter.safeFolder(f.folder())) {
                b.append("\n  - evidence: [").append(f.folder()).append("/](").append(f.folder()).append("/)");
                for (String file : f.files()) {
                    if (ReportWriter.safeFolder(file)) {
                        b.append(" · [").append(file).append("](").append(f.folder()).append("/").append(file).append(")");
                    }
                }
            }
            b.append("\n");
        }
    }

    /** Plain text in a table cell or list item: no table break, no line break, no raw HTML. */
    static String text(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("|", "\\|").replace("\r", " ").replace("\n", " ");
    }

    /** A code span that holds any string: the fence is longer than any run of backticks inside. */
    static String code(String s) {
        String flat = s.replace("\r", " ").replace("\n", " ").replace("|", "\\|");
        int longest = 0;
        int run = 0;
        for (int i = 0; i < flat.length(); i++) {
            run = flat.charAt(i) == '`' ? run + 1 : 0;
            longest = Math.max(longest, run);
        }
        String fence = "`".repeat(longest + 1);
        String pad = longest > 0 ? " " : "";
        return fence + pad + flat + pad + fence;
    }

    private static void latencies(StringBuilder b, List<CampaignReport.LatencyRow> rows) {
        if (rows.isEmpty()) {
            return;
        }
        b.append("\n## Latencies\n\nSimulated milliseconds over every sample of the campaign (txn.commit: commitTransaction() to its successful completion).\n\n")
                .append("| latency | seeds | samples | p50 | p90 | p99 | max |\n|---|---:|---:|---:|---:|---:|---:|\n");
        for (CampaignReport.LatencyRow row : rows) {
            b.append(String.format(Locale.ROOT, "| %s | %d | %d | %.2f | %.2f | %.2f | %.2f |%n", text(row.name()), row.seeds(), row.samples(),
                    row.p50Ms(), row.p90Ms(), row.p99Ms(), row.maxMs()));
        }
    }
}
