package dev.samsa.reports;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A {@link CampaignReport} as one self-contained XHTML-compatible page: inline style, no script,
 * no external reference, a Content-Security-Policy that forbids fetching anything. Every string
 * from a run goes through {@link Html#escape}; links go only to the failing seeds' own folders.
 */
final class HtmlReport {

    private HtmlReport() {}

    static final String STYLE = """
            body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:1100px;color:#222;padding:0 1em}
            h1{font-size:1.6em}h2{margin-top:1.6em;border-bottom:1px solid #ddd}
            table{border-collapse:collapse;width:100%}td,th{border:1px solid #ddd;padding:4px 8px;text-align:left;vertical-align:top}
            th{background:#f5f5f5}td.n{text-align:right;font-variant-numeric:tabular-nums}
            .ok{color:#1a7f37}.bad{color:#cf222e;font-weight:bold}.exp{color:#9a6700}.dim{color:#888}
            .verdict{font-size:1.3em;padding:.6em 1em;border-radius:6px}
            .verdict.ok{background:#dafbe1}.verdict.bad{background:#ffebe9}
            tr.never td{background:#ffebe9}
            code{background:#f5f5f5;padding:1px 4px;border-radius:3px}
            .bar{display:inline-block;height:10px;background:#58a6ff;vertical-align:middle}
            table.matrix td{white-space:nowrap;font-size:.9em}
            """;

    /** The page head: title, inline style and a policy that lets the page load nothing. */
    static String head(String title) {
        return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"/>"
                + "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\"/>"
                + "<title>" + Html.escape(title) + "</title><style>" + STYLE + "</style></head><body>\n";
    }

    static String render(CampaignReport r) {
        StringBuilder b = new StringBuilder(head(r.title()));
        b.append("<h1>").append(Html.escape(r.title())).append("</h1>\n");
        b.append("<p class=\"verdict ").append(r.failed() > 0 ? "bad" : "ok").append("\">").append(Html.escape(ReportWriter.verdict(r))).append("</p>\n");
        b.append("<p><code>").append(Html.escape(r.options())).append("</code>, fault profile <code>").append(Html.escape(r.faultProfile()))
                .append("</code>: ").append(r.seedsDone()).append(" of ").append(r.seedsRequested()).append(" seeds run, ")
                .append(r.passed()).append(" passed, ").append(r.failed()).append(" failed, ")
                .append(r.seedsWithExpectedAnomalies()).append(" with anomalies expected under their settings.</p>\n");

        b.append("<h2>Invariants</h2><table><tr><th>invariant</th><th>statement</th><th>checked</th><th>violated</th><th>expected</th><th>not promised when</th></tr>\n");
        for (CampaignReport.InvariantRow i : r.invariants()) {
            b.append("<tr><td><code>").append(Html.escape(i.id())).append("</code></td><td>").append(Html.escape(i.statement()))
                    .append("<br/><small>").append(Html.escape(i.source())).append("</small></td><td class=\"n\">").append(i.checked())
                    .append("</td><td class=\"n ").append(i.violated() > 0 ? "bad" : "ok").append("\">").append(i.violated())
                    .append("</td><td class=\"n").append(i.expected() > 0 ? " exp" : "").append("\">").append(i.expected())
                    .append("</td><td>").append(Html.escape(i.notPromisedUnder())).append("</td></tr>\n");
        }
        b.append("</table>\n");
        matrix(b, r.matrix());
        b.append("<h2>Fault coverage</h2>");
        b.append(barTable(new TreeMap<>(r.faults()), "fault", "fired"));
        b.append("<h3>Rare paths</h3>");
        List<String> never = ReportWriter.neverReached(r);
        if (!never.isEmpty()) {
            b.append("<p class=\"bad\">⚠ ").append(never.size()).append(" declared path").append(never.size() == 1 ? " was" : "s were")
                    .append(" never reached: ").append(Html.escape(String.join(", ", never))).append("</p>\n");
        }
        b.append(barTable(ReportWriter.paths(r), "path", "reached"));
        if (!r.workloadStats().isEmpty()) {
            b.append("<h2>Workload</h2>").append(barTable(new TreeMap<>(r.workloadStats()), "counter", "value"));
        }
        rebalances(b, r.rebalances());
        latencies(b, r.latencies());
        anomalies(b, r.failures());
        CampaignReport.Speed s = r.speed();
        b.append("<h2>Simulator speed</h2>").append(String.format(Locale.ROOT,
                "<p>%d events in %.1f s on %d threads: %.0f events/s (%.0f per core), %.0f simulated seconds per wall second.</p>",
                s.events(), s.wallSeconds(), s.threads(), s.eventsPerSecond(), s.eventsPerSecondPerCore(), s.simulatedSecondsPerWallSecond()));
        b.append("\n</body></html>\n");
        return b.toString();
    }

    private static void rebalances(StringBuilder b, List<CampaignReport.RebalanceRow> rows) {
        if (rows.isEmpty()) {
            return;
        }
        b.append("<h2>Rebalance durations</h2><p>Simulated milliseconds from the first member's join to the last member's arrival in the new generation.</p>")
                .append("<table><tr><th>partition.assignment.strategy</th><th>protocol</th><th>seeds</th><th>rebalances</th><th>p50</th><th>p90</th><th>p99</th><th>max</th></tr>\n");
        for (CampaignReport.RebalanceRow row : rows) {
            b.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%s</td><td>%d</td><td>%d</td><td>%.0f</td><td>%.0f</td><td>%.0f</td><td>%.0f</td></tr>%n",
                    Html.escape(row.strategy()), Html.escape(row.protocol()), row.seeds(), row.rebalances(), row.p50Ms(), row.p90Ms(), row.p99Ms(),
                    row.maxMs()));
        }
        b.append("</table>\n");
    }

    private static void matrix(StringBuilder b, CampaignReport.VerdictMatrix m) {
        b.append("<h2>Verdict matrix</h2>");
        if (m.columns().isEmpty()) {
            b.append("<p>No setting drawn per seed decides this workload's invariants.</p>\n");
            return;
        }
        b.append("<p>Each cell: of the seeds run with that value, how many held the invariant, violated it, "
                + "or violated it where the settings make that expected.</p>\n<table class=\"matrix\"><tr><th rowspan=\"2\">invariant</th>");
        // the first header row groups the columns of one setting
        List<CampaignReport.Column> cols = m.columns();
        for (int i = 0; i < cols.size(); ) {
            int j = i;
            while (j < cols.size() && cols.get(j).setting().equals(cols.get(i).setting())) {
                j++;
            }
            b.append("<th colspan=\"").append(j - i).append("\"><code>").append(Html.escape(cols.get(i).setting())).append("</code></th>");
            i = j;
        }
        b.append("</tr>\n<tr>");
        for (CampaignReport.Column c : cols) {
            b.append("<th>").append(Html.escape(c.value())).append(" <small class=\"dim\">(").append(c.seeds()).append(" seeds)</small></th>");
        }
        b.append("</tr>\n");
        for (CampaignReport.MatrixRow row : m.rows()) {
            b.append("<tr><td><code>").append(Html.escape(row.invariant())).append("</code></td>");
            for (CampaignReport.Cell c : row.cells()) {
                b.append("<td><span class=\"ok\">held in ").append(c.held()).append("</span><br/><span class=\"")
                        .append(c.violated() > 0 ? "bad" : "dim").append("\">violated in ").append(c.violated()).append("</span><br/><span class=\"")
                        .append(c.expected() > 0 ? "exp" : "dim").append("\">expected in ").append(c.expected()).append("</span></td>");
            }
            b.append("</tr>\n");
        }
        b.append("</table>\n");
    }

    private static void anomalies(StringBuilder b, List<CampaignReport.FailureRow> failures) {
        if (failures.isEmpty()) {
            return;
        }
        b.append("<h2>Anomalies</h2><table><tr><th>seed</th><th>invariants</th><th>evidence</th><th>faults</th><th>reproduce</th></tr>\n");
        for (CampaignReport.FailureRow f : failures) {
            b.append("<tr><td class=\"n\">").append(f.seed()).append("</td><td>").append(Html.escape(String.join(", ", f.invariants())))
                    .append("</td><td>").append(Html.escape(f.evidence())).append("</td><td>").append(Html.escape(f.faultPlan()))
                    .append("</td><td><code>").append(Html.escape(f.replayCommand())).append("</code>");
            if (ReportWriter.safeFolder(f.folder())) {
                // safeFolder admits only [A-Za-z0-9._-]: a relative link that cannot leave the output folder
                b.append("<br/><a href=\"").append(f.folder()).append("/\">").append(f.folder()).append("/</a>");
                for (String file : f.files()) {
                    if (ReportWriter.safeFolder(file)) {
                        b.append(" · <a href=\"").append(f.folder()).append('/').append(file).append("\">").append(file).append("</a>");
                    }
                }
            }
            b.append("</td></tr>\n");
        }
        b.append("</table>\n");
    }

    /** A table with a proportional bar per row; rows with 0 are flagged (never reached / never fired). */
    private static String barTable(Map<String, Long> rows, String what, String counted) {
        if (rows.isEmpty()) {
            return "<p>None.</p>\n";
        }
        long max = 1;
        for (long v : rows.values()) {
            max = Math.max(max, v);
        }
        List<String> out = new ArrayList<>();
        out.add("<table><tr><th>" + what + "</th><th>" + counted + "</th><th></th></tr>");
        for (Map.Entry<String, Long> e : rows.entrySet()) {
            long v = e.getValue();
            out.add("<tr" + (v == 0 ? " class=\"never\"" : "") + "><td>" + Html.escape(e.getKey()) + "</td><td class=\"n"
                    + (v == 0 ? " bad\">⚠ never" : "\">" + v) + "</td><td>"
                    + "<span class=\"bar\" style=\"width:" + (int) Math.round(300.0 * v / max) + "px\"></span></td></tr>");
        }
        out.add("</table>");
        return String.join("\n", out) + "\n";
    }

    private static void latencies(StringBuilder b, List<CampaignReport.LatencyRow> rows) {
        if (rows.isEmpty()) {
            return;
        }
        b.append("<h2>Latencies</h2><p>Simulated milliseconds over every sample of the campaign (txn.commit: commitTransaction() to its successful completion).</p>")
                .append("<table><tr><th>latency</th><th>seeds</th><th>samples</th><th>p50</th><th>p90</th><th>p99</th><th>max</th></tr>\n");
        for (CampaignReport.LatencyRow row : rows) {
            b.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%d</td><td>%d</td><td>%.2f</td><td>%.2f</td><td>%.2f</td><td>%.2f</td></tr>%n",
                    Html.escape(row.name()), row.seeds(), row.samples(), row.p50Ms(), row.p90Ms(), row.p99Ms(), row.maxMs()));
        }
        b.append("</table>\n");
    }
}
