package dev.samsa.reports.perf;

import dev.samsa.reports.Html;
import java.util.List;
import java.util.Locale;

/**
 * Inline SVG charts for the perf and durability pages: grouped bars with error whiskers and line
 * series. Plain shapes and text only, every label escaped, so a page opens offline.
 */
final class Svg {

    private static final String[] COLOURS = {"#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948"};
    private static final int WIDTH = 640;
    private static final int HEIGHT = 240;
    private static final int LEFT = 70;
    private static final int BOTTOM = 40;

    private Svg() {}

    /** A bar per (group, series): {@code values[g][s]} with 95% half-widths {@code errors[g][s]} (NaN: none). */
    static String bars(String title, String unit, List<String> groups, List<String> series, double[][] values, double[][] errors) {
        double max = 0;
        for (int g = 0; g < values.length; g++) {
            for (int s = 0; s < values[g].length; s++) {
                max = Math.max(max, values[g][s] + (Double.isNaN(errors[g][s]) ? 0 : errors[g][s]));
            }
        }
        max = max <= 0 ? 1 : max * 1.1;
        StringBuilder b = open(title, unit, max);
        double slot = (WIDTH - LEFT - 10.0) / Math.max(1, groups.size());
        double bar = slot * 0.8 / Math.max(1, series.size());
        for (int g = 0; g < groups.size(); g++) {
            double x0 = LEFT + g * slot + slot * 0.1;
            for (int s = 0; s < series.size(); s++) {
                double x = x0 + s * bar;
                double h = y(0, max) - y(values[g][s], max);
                b.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"><title>%s</title></rect>",
                        x, y(values[g][s], max), bar * 0.9, h, COLOURS[s % COLOURS.length],
                        Html.escape(groups.get(g) + " " + series.get(s) + ": " + num(values[g][s]) + " " + unit)));
                if (!Double.isNaN(errors[g][s]) && errors[g][s] > 0) {
                    double cx = x + bar * 0.45;
                    b.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#222\"/>", cx, cx,
                            y(values[g][s] - errors[g][s], max), y(values[g][s] + errors[g][s], max)));
                }
            }
            b.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"10\" text-anchor=\"middle\">%s</text>",
                    x0 + slot * 0.4, HEIGHT - BOTTOM + 14, Html.escape(groups.get(g))));
        }
        legend(b, series);
        return b.append("</svg>").toString();
    }

    /** Lines over time: {@code series.get(i)} sampled every {@code stepMs}. */
    static String lines(String title, String unit, List<String> names, List<List<Double>> series, long stepMs) {
        double max = 0;
        int points = 0;
        for (List<Double> s : series) {
            points = Math.max(points, s.size());
            for (double v : s) {
                max = Math.max(max, v);
            }
        }
        max = max <= 0 ? 1 : max * 1.1;
        StringBuilder b = open(title, unit, max);
        double dx = (WIDTH - LEFT - 10.0) / Math.max(1, points - 1);
        for (int i = 0; i < series.size(); i++) {
            StringBuilder pts = new StringBuilder();
            List<Double> s = series.get(i);
            for (int p = 0; p < s.size(); p++) {
                pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", LEFT + p * dx, y(s.get(p), max)));
            }
            b.append("<polyline fill=\"none\" stroke-width=\"1.5\" stroke=\"").append(COLOURS[i % COLOURS.length]).append("\" points=\"")
                    .append(pts.toString().trim()).append("\"><title>").append(Html.escape(names.get(i))).append("</title></polyline>");
        }
        b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"10\">0 ms</text>", LEFT, HEIGHT - BOTTOM + 14));
        b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"10\" text-anchor=\"end\">%d ms</text>", WIDTH - 10,
                HEIGHT - BOTTOM + 14, Math.max(0, points - 1) * stepMs));
        legend(b, names);
        return b.append("</svg>").toString();
    }

    private static StringBuilder open(String title, String unit, double max) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "<svg width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\">",
                WIDTH, HEIGHT + 20, WIDTH, HEIGHT + 20));
        b.append("<title>").append(Html.escape(title)).append("</title>");
        b.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#888\"/>", LEFT, WIDTH - 10, y(0, max), y(0, max)));
        for (int i = 0; i <= 4; i++) {
            double v = max * i / 4;
            b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" font-size=\"10\" text-anchor=\"end\">%s</text>", LEFT - 4, y(v, max) + 3,
                    Html.escape(num(v))));
        }
        b.append(String.format(Locale.ROOT, "<text x=\"4\" y=\"12\" font-size=\"11\">%s</text>", Html.escape(unit)));
        return b;
    }

    private static void legend(StringBuilder b, List<String> names) {
        for (int i = 0; i < names.size(); i++) {
            int x = LEFT + i * 110;
            b.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" fill=\"%s\"/>", x, HEIGHT, COLOURS[i % COLOURS.length]));
            b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"11\">%s</text>", x + 14, HEIGHT + 9, Html.escape(names.get(i))));
        }
    }

    private static double y(double v, double max) {
        return (HEIGHT - BOTTOM) - v / max * (HEIGHT - BOTTOM - 20);
    }

    static String num(double v) {
        if (Math.abs(v) >= 1000) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        return String.format(Locale.ROOT, Math.abs(v) >= 10 ? "%.1f" : "%.2f", v);
    }
}
