package dev.samsa.reports.perf;

import dev.samsa.reports.ReportWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Writes {@code durability.md} and {@code durability.html} from a {@link DurabilityReport}, each atomically. */
public final class DurabilityReportWriter {

    private DurabilityReportWriter() {}

    public static void writeBoth(DurabilityReport r, Path dir) throws IOException {
        ReportWriter.writeAtomically(dir.resolve("durability.md"), markdown(r));
        ReportWriter.writeAtomically(dir.resolve("durability.html"), html(r));
    }

    private static String intro(DurabilityReport r) {
        return "The seed article's three configurations, each run on the same " + r.seeds() + " seed(s) with the same fault plans (--faults "
                + r.faults() + ", queue workload). Acknowledged: distinct values whose send was acknowledged. Lost: acknowledged values no "
                + "consumer ever read (lost or unseen at the end). Refused: send operations that failed definitely (e.g. NOT_ENOUGH_REPLICAS).";
    }

    public static String markdown(DurabilityReport r) {
        StringBuilder b = new StringBuilder("# samsa durability: the seed article's table, reproduced\n\n").append(intro(r)).append("\n\n");
        b.append("| configuration | article says | acknowledged | lost | refused | seeds with loss | reproduce |\n|---|---|---|---|---|---|---|\n");
        for (DurabilityReport.Row row : r.rows()) {
            b.append("| ").append(Page.md(row.config())).append(" | ").append(Page.md(row.behaviour())).append(" | ").append(row.acknowledged())
                    .append(" | ").append(row.lost()).append(" | ").append(row.refused()).append(" | ").append(row.seedsWithLoss()).append(" of ")
                    .append(r.seeds()).append(" | `").append(row.command()).append("` |\n");
        }
        b.append("\n## Produce latency under these faults (ok sends, invoke to complete, simulated ms)\n\n")
                .append("| configuration | p50 | p99 | p99.9 |\n|---|---|---|---|\n");
        for (PerfReport.LatencyRow l : r.latency()) {
            b.append("| ").append(Page.md(l.config())).append(" | ").append(l.p50Ms().format(2)).append(" | ").append(l.p99Ms().format(2))
                    .append(" | ").append(l.p999Ms().format(2)).append(" |\n");
        }
        return b.toString();
    }

    public static String html(DurabilityReport r) {
        StringBuilder b = Page.open("samsa durability: the seed article's table, reproduced");
        b.append("<p>").append(dev.samsa.reports.Html.escape(intro(r))).append("</p>\n");
        b.append("<table><tr><th>configuration</th><th>article says</th><th>acknowledged</th><th>lost</th><th>refused</th>")
                .append("<th>seeds with loss</th><th>reproduce</th></tr>");
        for (DurabilityReport.Row row : r.rows()) {
            b.append("<tr>").append(Page.cell(row.config())).append(Page.cell(row.behaviour())).append(Page.num(Long.toString(row.acknowledged())))
                    .append(Page.num(Long.toString(row.lost()))).append(Page.num(Long.toString(row.refused())))
                    .append(Page.num(row.seedsWithLoss() + " of " + r.seeds())).append("<td>").append(Page.code(row.command())).append("</td></tr>");
        }
        b.append("</table>\n");
        List<String> groups = r.rows().stream().map(DurabilityReport.Row::config).toList();
        double[][] v = new double[groups.size()][2];
        double[][] e = new double[groups.size()][2];
        for (int i = 0; i < groups.size(); i++) {
            v[i][0] = r.rows().get(i).lost();
            v[i][1] = r.rows().get(i).refused();
            e[i][0] = Double.NaN;
            e[i][1] = Double.NaN;
        }
        b.append(Svg.bars("lost and refused writes", "writes", groups, List.of("lost", "refused"), v, e)).append('\n');
        b.append("<h2>Produce latency under these faults (ok sends, invoke to complete, simulated ms)</h2>\n<table><tr><th>configuration</th>")
                .append("<th>p50</th><th>p99</th><th>p99.9</th></tr>");
        for (PerfReport.LatencyRow l : r.latency()) {
            b.append("<tr>").append(Page.cell(l.config())).append(Page.num(l.p50Ms().format(2))).append(Page.num(l.p99Ms().format(2)))
                    .append(Page.num(l.p999Ms().format(2))).append("</tr>");
        }
        b.append("</table>\n");
        return Page.close(b);
    }
}
