package dev.samsa.reports;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Renders a {@link CampaignReport} as Markdown (terminals, pull requests) and as one
 * self-contained HTML page (inline style, no script, no external reference; opens offline).
 * Files are written to a temporary name and renamed, so a killed run never leaves half a report.
 */
public final class ReportWriter {

    private ReportWriter() {}

    public static void writeBoth(CampaignReport r, Path dir) throws IOException {
        writeAtomically(dir.resolve("report.md"), markdown(r));
        writeAtomically(dir.resolve("report.html"), html(r));
    }

    public static void writeAtomically(Path file, String content) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = parent.resolve("." + file.getFileName() + ".tmp"); // default permissions, unlike createTempFile
        Files.writeString(tmp, content, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    static String verdict(CampaignReport r) {
        if (r.failed() > 0) {
            return r.failed() + " of " + r.seedsDone() + " seeds violated an invariant";
        }
        return "every invariant held on " + r.seedsDone() + " seeds" + (r.finished() ? "" : " (run not finished)");
    }

    // ------------------------------------------------------------------ Markdown

    public static String markdown(CampaignReport r) {
        StringBuilder b = new StringBuilder();
        b.append("# ").append(r.title()).append("\n\n");
        b.append("**Verdict: ").append(verdict(r)).append("**\n\n");
        b.append("`").append(r.options()).append("`, fault profile `").append(r.faultProfile()).append("`: ")
                .append(r.seedsDone()).append(" of ").append(r.seedsRequested()).append(" seeds run, ")
                .append(r.passed()).append(" passed, ").append(r.failed()).append(" failed");
        if (r.seedsWithExpectedAnomalies() > 0) {
            b.append(", ").append(r.seedsWithExpectedAnomalies()).append(" with anomalies expected under their settings");
        }
        b.append(".\n\n## Invariants\n\n| invariant | checked | violated | expected | not promised when |\n|---|---:|---:|---:|---|\n");
        for (CampaignReport.InvariantRow i : r.invariants()) {
            b.append("| `").append(i.id()).append("` ").append(md(i.statement())).append(" | ").append(i.checked()).append(" | ")
                    .append(i.violated()).append(" | ").append(i.expected()).append(" | ").append(md(i.notPromisedUnder())).append(" |\n");
        }
        b.append("\n## Faults injected\n\n");
        if (r.faults().isEmpty()) {
            b.append("None.\n");
        } else {
            b.append("| fault | count |\n|---|---:|\n");
            new TreeMap<>(r.faults()).forEach((k, v) -> b.append("| ").append(md(k)).append(" | ").append(v).append(" |\n"));
        }
        b.append("\n## Rare paths\n\n| path | reached |\n|---|---:|\n");
        for (Map.Entry<String, Long> e : paths(r).entrySet()) {
            b.append("| ").append(md(e.getKey())).append(" | ").append(e.getValue() == 0 ? "**never**" : e.getValue()).append(" |\n");
        }
        if (!r.workloadStats().isEmpty()) {
            b.append("\n## Workload\n\n| counter | value |\n|---|---:|\n");
            new TreeMap<>(r.workloadStats()).forEach((k, v) -> b.append("| ").append(md(k)).append(" | ").append(v).append(" |\n"));
        }
        if (!r.failures().isEmpty()) {
            b.append("\n## Failing seeds\n\n");
            for (CampaignReport.FailureRow f : r.failures()) {
                b.append("- seed ").append(f.seed()).append(" — ").append(md(String.join(", ", f.invariants()))).append(": ")
                        .append(md(f.evidence())).append("\n  - faults: ").append(md(f.faultPlan()))
                        .append("\n  - replay: `").append(f.replayCommand()).append("`\n  - evidence: `").append(f.folder()).append("/`\n");
            }
        }
        CampaignReport.Speed s = r.speed();
        b.append(String.format(Locale.ROOT, "%n## Simulator speed%n%n%d events in %.1f s on %d threads: %.0f events/s (%.0f per core), "
                + "%.0f simulated seconds per wall second.%n", s.events(), s.wallSeconds(), s.threads(), s.eventsPerSecond(),
                s.eventsPerSecondPerCore(), s.simulatedSecondsPerWallSecond()));
        return b.toString();
    }

    private static TreeMap<String, Long> paths(CampaignReport r) {
        TreeMap<String, Long> all = new TreeMap<>(r.reachedPaths());
        for (String p : r.declaredPaths()) {
            all.putIfAbsent(p, 0L);
        }
        return all;
    }

    private static String md(String s) {
        return s.replace("|", "\\|").replace("\n", " ");
    }

    // ------------------------------------------------------------------ HTML

    private static final String STYLE = """
            body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:1100px;color:#222;padding:0 1em}
            h1{font-size:1.6em}h2{margin-top:1.6em;border-bottom:1px solid #ddd}
            table{border-collapse:collapse;width:100%}td,th{border:1px solid #ddd;padding:4px 8px;text-align:left;vertical-align:top}
            th{background:#f5f5f5}td.n{text-align:right;font-variant-numeric:tabular-nums}
            .ok{color:#1a7f37}.bad{color:#cf222e;font-weight:bold}.exp{color:#9a6700}
            .verdict{font-size:1.3em;padding:.6em 1em;border-radius:6px}
            .verdict.ok{background:#dafbe1}.verdict.bad{background:#ffebe9}
            code{background:#f5f5f5;padding:1px 4px;border-radius:3px}
            .bar{display:inline-block;height:10px;background:#58a6ff;vertical-align:middle}
            """;

    public static String html(CampaignReport r) {
        StringBuilder b = new StringBuilder();
        b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">")
                .append("<title>").append(Html.escape(r.title())).append("</title><style>").append(STYLE).append("</style></head><body>\n");
        b.append("<h1>").append(Html.escape(r.title())).append("</h1>\n");
        b.append("<p class=\"verdict ").append(r.failed() > 0 ? "bad" : "ok").append("\">").append(Html.escape(verdict(r))).append("</p>\n");
        b.append("<p><code>").append(Html.escape(r.options())).append("</code>, fault profile <code>").append(Html.escape(r.faultProfile()))
                .append("</code>: ").append(r.seedsDone()).append(" of ").append(r.seedsRequested()).append(" seeds run, ")
                .append(r.passed()).append(" passed, ").append(r.failed()).append(" failed, ")
                .append(r.seedsWithExpectedAnomalies()).append(" with anomalies expected under their settings.</p>\n");

        b.append("<h2>Invariants</h2><table><tr><th>invariant</th><th>statement</th><th>checked</th><th>violated</th><th>expected</th><th>not promised when</th></tr>\n");
        for (CampaignReport.InvariantRow i : r.invariants()) {
            b.append("<tr><td><code>").append(Html.escape(i.id())).append("</code></td><td>").append(Html.escape(i.statement()))
                    .append("<br><small>").append(Html.escape(i.source())).append("</small></td><td class=\"n\">").append(i.checked())
                    .append("</td><td class=\"n ").append(i.violated() > 0 ? "bad" : "ok").append("\">").append(i.violated())
                    .append("</td><td class=\"n").append(i.expected() > 0 ? " exp" : "").append("\">").append(i.expected())
                    .append("</td><td>").append(Html.escape(i.notPromisedUnder())).append("</td></tr>\n");
        }
        b.append("</table>\n");

        b.append("<h2>Faults injected</h2>");
        b.append(barTable(new TreeMap<>(r.faults()), "fault"));
        b.append("<h2>Rare paths</h2>");
        b.append(barTable(paths(r), "path"));
        if (!r.workloadStats().isEmpty()) {
            b.append("<h2>Workload</h2>").append(barTable(new TreeMap<>(r.workloadStats()), "counter"));
        }
        if (!r.failures().isEmpty()) {
            b.append("<h2>Failing seeds</h2><table><tr><th>seed</th><th>invariants</th><th>evidence</th><th>faults</th><th>reproduce</th></tr>\n");
            for (CampaignReport.FailureRow f : r.failures()) {
                String folder = Html.escape(f.folder());
                b.append("<tr><td class=\"n\">").append(f.seed()).append("</td><td>").append(Html.escape(String.join(", ", f.invariants())))
                        .append("</td><td>").append(Html.escape(f.evidence())).append("</td><td>").append(Html.escape(f.faultPlan()))
                        .append("</td><td><code>").append(Html.escape(f.replayCommand())).append("</code><br>")
                        .append("<a href=\"").append(folder).append("/trace.txt\">trace</a> · <a href=\"").append(folder)
                        .append("/result.json\">result</a> · <a href=\"").append(folder).append("/timeline.html\">timeline</a></td></tr>\n");
            }
            b.append("</table>\n");
        }
        CampaignReport.Speed s = r.speed();
        b.append("<h2>Simulator speed</h2>").append(String.format(Locale.ROOT,
                "<p>%d events in %.1f s on %d threads: %.0f events/s (%.0f per core), %.0f simulated seconds per wall second.</p>",
                s.events(), s.wallSeconds(), s.threads(), s.eventsPerSecond(), s.eventsPerSecondPerCore(), s.simulatedSecondsPerWallSecond()));
        b.append("\n</body></html>\n");
        return b.toString();
    }

    /** A table with a proportional bar per row; rows with 0 are flagged (never reached / never fired). */
    private static String barTable(Map<String, Long> rows, String what) {
        if (rows.isEmpty()) {
            return "<p>None.</p>\n";
        }
        long max = 1;
        for (long v : rows.values()) {
            max = Math.max(max, v);
        }
        List<String> out = new ArrayList<>();
        out.add("<table><tr><th>" + what + "</th><th>count</th><th></th></tr>");
        for (Map.Entry<String, Long> e : rows.entrySet()) {
            long v = e.getValue();
            out.add("<tr><td>" + Html.escape(e.getKey()) + "</td><td class=\"n" + (v == 0 ? " bad\">never" : "\">" + v) + "</td><td>"
                    + "<span class=\"bar\" style=\"width:" + (int) Math.round(300.0 * v / max) + "px\"></span></td></tr>");
        }
        out.add("</table>");
        return String.join("\n", out) + "\n";
    }
}
