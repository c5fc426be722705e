package dev.samsa.lin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One self-contained HTML page (inline style and SVG, no script, no external reference) showing
 * what a verbose check found: per partition, each client's operations on a timeline, those in
 * the longest linearizable prefix in green, the rest in red (where the search got stuck), and
 * the linearization step by step with the model state after each step. Every string from the
 * history is escaped.
 */
public final class Visualization {

    private Visualization() {}

    public static void write(String title, CheckResult result, LinearizationInfo info, Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = parent.resolve("." + file.getFileName() + ".tmp"); // default permissions, unlike createTempFile
        Files.writeString(tmp, render(title, result, info), StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    public static String render(String title, CheckResult result, LinearizationInfo info) {
        StringBuilder b = new StringBuilder();
        b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">")
                .append("<title>").append(esc(title)).append("</title><style>")
                .append("body{font:13px system-ui,sans-serif;margin:1.5em}h2{margin-top:1.5em}")
                .append(".ok{color:#1a7f37}.bad{color:#cf222e}table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:2px 6px}")
                .append("svg text{font:11px monospace}</style></head><body>\n");
        b.append("<h1>").append(esc(title)).append("</h1>\n<p class=\"").append(result == CheckResult.OK ? "ok" : "bad").append("\">")
                .append(result == CheckResult.OK ? "linearizable" : result == CheckResult.ILLEGAL ? "not linearizable" : "unknown (the check timed out)")
                .append(" — ").append(info.partitions().size()).append(" partition(s)</p>\n");
        int index = 0;
        for (LinearizationInfo.Partition p : info.partitions()) {
            partition(b, index++, p);
        }
        b.append("</body></html>\n");
        return b.toString();
    }

    private static void partition(StringBuilder b, int index, LinearizationInfo.Partition p) {
        List<LinearizationInfo.Op> ops = p.operations();
        TreeSet<Integer> inPrefix = new TreeSet<>(p.longestPrefix());
        b.append("<h2>Partition ").append(index).append(p.linearizable() ? " <span class=\"ok\">linearizable</span>" : " <span class=\"bad\">stuck after "
                + p.longestPrefix().size() + " of " + ops.size() + " operations</span>").append("</h2>\n");
        if (ops.isEmpty()) {
            b.append("<p>No operations.</p>\n");
            return;
        }
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        TreeMap<Integer, Integer> rowOfClient = new TreeMap<>();
        for (LinearizationInfo.Op o : ops) {
            min = Math.min(min, o.start());
            max = Math.max(max, o.end());
            rowOfClient.putIfAbsent(o.clientId(), 0);
        }
        int r = 0;
        for (var e : rowOfClient.entrySet()) {
            e.setValue(r++);
        }
        double width = 1100;
        double span = Math.max(1, max - min);
        int rowHeight = 22;
        b.append(String.format(Locale.ROOT, "<svg width=\"%d\" height=\"%d\" role=\"img\">%n", (int) width + 80, rowOfClient.size() * rowHeight + 10));
        for (var e : rowOfClient.entrySet()) {
            b.append(String.format(Locale.ROOT, "<text x=\"0\" y=\"%d\">client %d</text>%n", e.getValue() * rowHeight + 15, e.getKey()));
        }
        for (int i = 0; i < ops.size(); i++) {
            LinearizationInfo.Op o = ops.get(i);
            double x = 70 + (o.start() - min) / span * width;
            double w = Math.max(2, (o.end() - o.start()) / span * width);
            String color = inPrefix.contains(i) ? "#2da44e" : "#cf222e";
            b.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"16\" fill=\"%s\" fill-opacity=\"0.6\"><title>%s</title></rect>%n",
                    x, rowOfClient.get(o.clientId()) * rowHeight + 3, w, color, esc("#" + i + " " + o.description())));
        }
        b.append("</svg>\n<table><tr><th>step</th><th>operation</th><th>client</th><th>state after</th></tr>\n");
        for (int k = 0; k < p.longestPrefix().size(); k++) {
            LinearizationInfo.Op o = ops.get(p.longestPrefix().get(k));
            b.append("<tr><td>").append(k + 1).append("</td><td>").append(esc(o.description())).append("</td><td>").append(o.clientId())
                    .append("</td><td>").append(esc(p.statesAfterEachStep().get(k))).append("</td></tr>\n");
        }
        b.append("</table>\n");
        if (!p.linearizable()) {
            b.append("<p>Not linearized (the search found no place for these after the prefix):</p><ul>\n");
            for (int i = 0; i < ops.size(); i++) {
                if (!inPrefix.contains(i)) {
                    b.append("<li>#").append(i).append(" client ").append(ops.get(i).clientId()).append(": ").append(esc(ops.get(i).description())).append("</li>\n");
                }
            }
            b.append("</ul>\n");
        }
    }

    static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
