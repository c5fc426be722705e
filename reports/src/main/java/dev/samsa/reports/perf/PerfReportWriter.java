package dev.samsa.reports.perf;

import dev.samsa.reports.Html;
import dev.samsa.reports.ReportWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/** Writes {@code perf.md} and {@code perf.html} from a {@link PerfReport}, each atomically. */
public final class PerfReportWriter {

    private PerfReportWriter() {}

    public static void writeBoth(PerfReport r, Path dir) throws IOException {
        ReportWriter.writeAtomically(dir.resolve("perf.md"), markdown(r));
        ReportWriter.writeAtomically(dir.resolve("perf.html"), html(r));
    }

    public static String markdown(PerfReport r) {
        StringBuilder b = new StringBuilder("# samsa perf: throughput and latency in simulation\n\n");
        b.append("Reproduce: `").append(r.command()).append("`. Each figure is the mean over ").append(r.seeds())
                .append(" seed(s) ± the half-width of its 95% confidence interval (Student's t).\n\n## The model these figures assume\n\n");
        r.model().forEach(l -> b.append("- ").append(l).append('\n'));
        b.append("\n## Produce latency (send() to callback, simulated ms)\n\n");
        latencyMd(b, r.produceLatency());
        b.append("\n## Throughput (acknowledged records per simulated second)\n\n| linger.ms | batch.size | compression.type | records/s |\n|---|---|---|---|\n");
        for (PerfReport.ThroughputRow t : r.throughput()) {
            b.append("| ").append(t.lingerMs()).append(" | ").append(t.batchSizeBytes()).append(" | ").append(Page.md(t.compression())).append(" | ")
                    .append(t.recordsPerSecond().format(0)).append(" |\n");
        }
        b.append("\n## End-to-end latency (record timestamp to the consumer's poll, simulated ms)\n\n");
        latencyMd(b, r.endToEnd());
        b.append("\n## Consumer lag (high watermark − position, records; mean over seeds)\n\n| configuration | every | max | mean |\n|---|---|---|---|\n");
        for (PerfReport.LagSeries s : r.lag()) {
            b.append("| ").append(Page.md(s.config())).append(" | ").append(s.sampleMs()).append(" ms | ").append(Svg.num(max(s.meanLag())))
                    .append(" | ").append(Svg.num(mean(s.meanLag()))).append(" |\n");
        }
        return b.toString();
    }

    private static void latencyMd(StringBuilder b, List<PerfReport.LatencyRow> rows) {
        b.append("| configuration | p50 | p99 | p99.9 |\n|---|---|---|---|\n");
        for (PerfReport.LatencyRow l : rows) {
            b.append("| ").append(Page.md(l.config())).append(" | ").append(l.p50Ms().format(2)).append(" | ").append(l.p99Ms().format(2))
                    .append(" | ").append(l.p999Ms().format(2)).append(" |\n");
        }
    }

    public static String html(PerfReport r) {
        StringBuilder b = Page.open("samsa perf: throughput and latency in simulation");
        b.append("<p>Reproduce: ").append(Page.code(r.command())).append(". Each figure is the mean over ").append(r.seeds())
                .append(" seed(s) ± the half-width of its 95% confidence interval (Student's t).</p>\n<h2>The model these figures assume</h2><ul>");
        r.model().forEach(l -> b.append("<li>").append(Html.escape(l)).append("</li>"));
        b.append("</ul>\n<h2>Produce latency (send() to callback, simulated ms)</h2>\n");
        latencyHtml(b, r.produceLatency(), "produce latency");
        b.append("<h2>Throughput (acknowledged records per simulated second)</h2>\n");
        throughputHtml(b, r.throughput());
        b.append("<h2>End-to-end latency (record timestamp to the consumer's poll, simulated ms)</h2>\n");
        latencyHtml(b, r.endToEnd(), "end-to-end latency");
        b.append("<h2>Consumer lag over time (high watermark − position, records)</h2>\n");
        if (!r.lag().isEmpty()) {
            b.append(Svg.lines("consumer lag", "records", r.lag().stream().map(PerfReport.LagSeries::config).toList(),
                    r.lag().stream().map(PerfReport.LagSeries::meanLag).toList(), r.lag().get(0).sampleMs()));
        }
        return Page.close(b);
    }

    private static void latencyHtml(StringBuilder b, List<PerfReport.LatencyRow> rows, String what) {
        b.append("<table><tr><th>configuration</th><th>p50</th><th>p99</th><th>p99.9</th></tr>");
        for (PerfReport.LatencyRow l : rows) {
            b.append("<tr>").append(Page.cell(l.config())).append(Page.num(l.p50Ms().format(2))).append(Page.num(l.p99Ms().format(2)))
                    .append(Page.num(l.p999Ms().format(2))).append("</tr>");
        }
        b.append("</table>\n");
        List<String> groups = rows.stream().map(PerfReport.LatencyRow::config).toList();
        double[][] v = new double[rows.size()][3];
        double[][] e = new double[rows.size()][3];
        for (int i = 0; i < rows.size(); i++) {
            Estimate[] es = {rows.get(i).p50Ms(), rows.get(i).p99Ms(), rows.get(i).p999Ms()};
            for (int j = 0; j < 3; j++) {
                v[i][j] = es[j].mean();
                e[i][j] = es[j].halfWidth();
            }
        }
        b.append(Svg.bars(what, "ms", groups, List.of("p50", "p99", "p99.9"), v, e)).append('\n');
    }

    /** A heat table (rows linger × batch, a column per codec) and bars per codec. */
    private static void throughputHtml(StringBuilder b, List<PerfReport.ThroughputRow> rows) {
        TreeSet<String> codecs = new TreeSet<>();
        double max = 1;
        for (PerfReport.ThroughputRow t : rows) {
            codecs.add(t.compression());
            max = Math.max(max, t.recordsPerSecond().mean());
        }
        b.append("<table><tr><th>linger.ms</th><th>batch.size</th>");
        codecs.forEach(c -> b.append("<th>").append(Html.escape(c)).append("</th>"));
        b.append("</tr>");
        List<String> groups = new ArrayList<>();
        List<double[]> values = new ArrayList<>();
        List<double[]> errors = new ArrayList<>();
        List<String> codecList = List.copyOf(codecs);
        for (PerfReport.ThroughputRow first : rows) {
            String group = first.lingerMs() + "ms/" + first.batchSizeBytes() / 1024 + "K";
            if (groups.contains(group)) {
                continue;
            }
            groups.add(group);
            double[] v = new double[codecList.size()];
            double[] e = new double[codecList.size()];
            b.append("<tr><td class=\"n\">").append(first.lingerMs()).append("</td><td class=\"n\">").append(first.batchSizeBytes()).append("</td>");
            for (int c = 0; c < codecList.size(); c++) {
                PerfReport.ThroughputRow t = find(rows, first.lingerMs(), first.batchSizeBytes(), codecList.get(c));
                if (t == null) {
                    b.append("<td></td>");
                    e[c] = Double.NaN;
                    continue;
                }
                v[c] = t.recordsPerSecond().mean();
                e[c] = t.recordsPerSecond().halfWidth();
                int shade = 255 - (int) Math.round(120 * v[c] / max);
                b.append(String.format(Locale.ROOT, "<td class=\"n\" style=\"background:rgb(%d,%d,255)\">", shade, shade))
                        .append(Html.escape(t.recordsPerSecond().format(0))).append("</td>");
            }
            b.append("</tr>");
            values.add(v);
            errors.add(e);
        }
        b.append("</table>\n");
        b.append(Svg.bars("throughput", "records/s", groups, codecList, values.toArray(new double[0][]), errors.toArray(new double[0][]))).append('\n');
    }

    private static PerfReport.ThroughputRow find(List<PerfReport.ThroughputRow> rows, long linger, int batch, String codec) {
        for (PerfReport.ThroughputRow t : rows) {
            if (t.lingerMs() == linger && t.batchSizeBytes() == batch && t.compression().equals(codec)) {
                return t;
            }
        }
        return null;
    }

    private static double max(List<Double> xs) {
        return xs.stream().mapToDouble(Double::doubleValue).max().orElse(0);
    }

    private static double mean(List<Double> xs) {
        return xs.stream().mapToDouble(Double::doubleValue).average().orElse(0);
    }
}
