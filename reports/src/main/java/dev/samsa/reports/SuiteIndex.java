package dev.samsa.reports;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The default suite's front page ({@code index.md}, {@code index.html} at the top of the output
 * folder): one line per workload with its verdict and counts, linking to that workload's report.
 *
 * @param entries one per workload, in the order they ran
 */
public record SuiteIndex(String title, List<Entry> entries) {

    public SuiteIndex {
        entries = List.copyOf(entries);
    }

    /**
     * One workload's campaign.
     *
     * @param folder the workload's output folder, relative to the index (its report is {@code folder/report.html})
     * @param verdict the campaign's one-line verdict (e.g. "every invariant held on 20 seeds")
     */
    public record Entry(String workload, String folder, String verdict, long seedsDone, long passed, long failed, long seedsWithExpectedAnomalies) {}

    /** The suite's verdict: every workload held, or how many did not. */
    public String verdict() {
        long bad = entries.stream().filter(e -> e.failed() > 0).count();
        return bad == 0 ? "every invariant held in every workload" : bad + " of " + entries.size() + " workloads violated an invariant";
    }

    public void write(Path dir) throws IOException {
        ReportWriter.writeAtomically(dir.resolve("index.md"), markdown());
        ReportWriter.writeAtomically(dir.resolve("index.html"), html());
    }

    public String markdown() {
        StringBuilder b = new StringBuilder("# ").append(MarkdownReport.text(title)).append("\n\n**Verdict: ").append(verdict()).append("**\n\n");
        b.append("| workload | verdict | seeds | passed | failed | expected anomalies | report |\n|---|---|---:|---:|---:|---:|---|\n");
        for (Entry e : entries) {
            b.append("| ").append(MarkdownReport.text(e.workload())).append(" | ").append(MarkdownReport.text(e.verdict())).append(" | ")
                    .append(e.seedsDone()).append(" | ").append(e.passed()).append(" | ").append(e.failed()).append(" | ")
                    .append(e.seedsWithExpectedAnomalies()).append(" | ");
            if (ReportWriter.safeFolder(e.folder())) {
                b.append("[report](").append(e.folder()).append("/report.md) · [html](").append(e.folder()).append("/report.html)");
            }
            b.append(" |\n");
        }
        return b.toString();
    }

    public String html() {
        StringBuilder b = new StringBuilder(HtmlReport.head(title));
        b.append("<h1>").append(Html.escape(title)).append("</h1>\n");
        boolean ok = entries.stream().allMatch(e -> e.failed() == 0);
        b.append("<p class=\"verdict ").append(ok ? "ok" : "bad").append("\">").append(Html.escape(verdict())).append("</p>\n");
        b.append("<table><tr><th>workload</th><th>verdict</th><th>seeds</th><th>passed</th><th>failed</th><th>expected anomalies</th></tr>\n");
        for (Entry e : entries) {
            b.append("<tr><td>");
            if (ReportWriter.safeFolder(e.folder())) {
                b.append("<a href=\"").append(e.folder()).append("/report.html\">").append(Html.escape(e.workload())).append("</a>");
            } else {
                b.append(Html.escape(e.workload()));
            }
            b.append("</td><td class=\"").append(e.failed() > 0 ? "bad" : "ok").append("\">").append(Html.escape(e.verdict()))
                    .append("</td><td class=\"n\">").append(e.seedsDone()).append("</td><td class=\"n\">").append(e.passed())
                    .append("</td><td class=\"n\">").append(e.failed()).append("</td><td class=\"n\">").append(e.seedsWithExpectedAnomalies())
                    .append("</td></tr>\n");
        }
        b.append("</table>\n</body></html>\n");
        return b.toString();
    }
}
