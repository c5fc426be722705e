package dev.samsa.reports;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Writes a {@link BugTable} as {@code bugs.md} and a self-contained {@code bugs.html} (inline
 * style, no script, no external reference), each to a temporary file renamed into place, so a
 * killed hunt leaves the table as of its last finished flag.
 */
public final class BugTableWriter {

    private BugTableWriter() {}

    public static void writeBoth(BugTable t, Path dir) throws IOException {
        ReportWriter.writeAtomically(dir.resolve("bugs.md"), markdown(t));
        ReportWriter.writeAtomically(dir.resolve("bugs.html"), html(t));
    }

    private static String intro(BugTable t) {
        return "Each historical bug flag switched back on, seeds " + t.seeds() + " run in order until the first one fails; "
                + "that seed is then run again with the flag off. A flag is found when its seed fails with it and passes without it.";
    }

    public static String markdown(BugTable t) {
        StringBuilder b = new StringBuilder("# ").append(MarkdownReport.text(t.title())).append("\n\n**Verdict: ")
                .append(MarkdownReport.text(t.verdict())).append("**\n\n").append(MarkdownReport.text(intro(t))).append(" Options: ")
                .append(MarkdownReport.code(t.options())).append(".\n\n");
        b.append("| JIRA | catalog | flag | component | catalog says it violates | first failing seed | seeds needed | failed invariant |"
                + " passes without the flag | replay |\n|---|---|---|---|---|---:|---:|---|---|---|\n");
        for (BugTable.Row r : t.rows()) {
            b.append("| ").append(MarkdownReport.text(r.jira())).append(" | ").append(MarkdownReport.text(r.catalogId())).append(" | ")
                    .append(MarkdownReport.code(r.flag())).append(" | ").append(MarkdownReport.text(r.component())).append(" | ")
                    .append(MarkdownReport.text(String.join(", ", r.violates()))).append(" | ");
            if (r.found()) {
                b.append(r.firstFailingSeed()).append(" | ").append(r.seedsRun()).append(" | ").append(MarkdownReport.code(r.failedInvariant()))
                        .append(" | ").append(r.passesWithoutFlag() ? "yes" : "**no** (harness or implementation bug)").append(" | ")
                        .append(MarkdownReport.code(r.replayCommand())).append(" |\n");
            } else {
                b.append("**not found** | ").append(r.seedsRun()).append(" | — | — | — |\n");
            }
        }
        b.append('\n');
        for (BugTable.Row r : t.rows()) {
            if (r.found() && !r.evidence().isEmpty()) {
                b.append("- ").append(MarkdownReport.text(r.jira())).append(", seed ").append(r.firstFailingSeed()).append(": ")
                        .append(MarkdownReport.text(r.evidence())).append('\n');
            }
        }
        return b.toString();
    }

    public static String html(BugTable t) {
        StringBuilder b = new StringBuilder(HtmlReport.head(t.title()));
        b.append("<h1>").append(Html.escape(t.title())).append("</h1>\n");
        boolean ok = t.finished() && t.confirmed() == t.rows().size();
        b.append("<p class=\"verdict ").append(ok ? "ok" : "bad").append("\">").append(Html.escape(t.verdict())).append("</p>\n");
        b.append("<p>").append(Html.escape(intro(t))).append(" Options: <code>").append(Html.escape(t.options())).append("</code>.</p>\n");
        b.append("<table><tr><th>JIRA</th><th>catalog</th><th>flag</th><th>component</th><th>catalog says it violates</th>")
                .append("<th>first failing seed</th><th>seeds needed</th><th>failed invariant</th><th>passes without the flag</th>")
                .append("<th>replay</th></tr>\n");
        for (BugTable.Row r : t.rows()) {
            b.append("<tr><td>").append(Html.escape(r.jira())).append("</td><td>").append(Html.escape(r.catalogId())).append("</td><td><code>")
                    .append(Html.escape(r.flag())).append("</code><br/><small>").append(Html.escape(r.description())).append("</small></td><td>")
                    .append(Html.escape(r.component())).append("</td><td>").append(Html.escape(String.join(", ", r.violates()))).append("</td>");
            if (r.found()) {
                b.append("<td class=\"n\">").append(r.firstFailingSeed()).append("</td><td class=\"n\">").append(r.seedsRun())
                        .append("</td><td><code>").append(Html.escape(r.failedInvariant())).append("</code><br/><small>")
                        .append(Html.escape(r.evidence())).append("</small></td><td class=\"").append(r.passesWithoutFlag() ? "ok\">yes" : "bad\">no")
                        .append("</td><td><code>").append(Html.escape(r.replayCommand())).append("</code></td>");
            } else {
                b.append("<td class=\"bad\">not found</td><td class=\"n\">").append(r.seedsRun())
                        .append("</td><td class=\"dim\">—</td><td class=\"dim\">—</td><td class=\"dim\">—</td>");
            }
            b.append("</tr>\n");
        }
        b.append("</table>\n</body></html>\n");
        return b.toString();
    }
}
