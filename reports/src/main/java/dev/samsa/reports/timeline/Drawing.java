package dev.samsa.reports.timeline;

import static dev.samsa.reports.timeline.TimelinePage.esc;
import static dev.samsa.reports.timeline.TimelinePage.time;

import dev.samsa.reports.timeline.Timeline.Lane;
import dev.samsa.reports.timeline.Timeline.Marker;
import dev.samsa.reports.timeline.Timeline.Op;
import dev.samsa.reports.timeline.Timeline.Outcome;
import dev.samsa.reports.timeline.Timeline.Row;
import dev.samsa.reports.timeline.Timeline.Span;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;

/** The SVG of one {@link Timeline}: sections top to bottom (phases, faults, state, clients), then the violation lines over all. */
final class Drawing {

    private final Timeline t;
    private final List<String> kinds;
    private final double plotWidth = TimelinePage.WIDTH - TimelinePage.LEFT - TimelinePage.RIGHT;
    private final StringBuilder body = new StringBuilder(32 * 1024);
    private int y = 28;
    /** Shapes drawn, for the page's own budget test. */
    int shapes;

    Drawing(Timeline t) {
        this.t = t;
        this.kinds = kinds(t);
    }

    /**
     * Operation kinds, the most frequent first (ties: first seen first): each gets its own height
     * in a row, and the commonest get the tallest bars.
     */
    static List<String> kinds(Timeline t) {
        List<String> order = new ArrayList<>();
        List<Integer> counts = new ArrayList<>();
        for (Row r : t.clients()) {
            for (Op o : r.ops()) {
                int i = order.indexOf(o.kind());
                if (i < 0) {
                    order.add(o.kind());
                    counts.add(1);
                } else {
                    counts.set(i, counts.get(i) + 1);
                }
            }
        }
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < order.size(); i++) {
            idx.add(i);
        }
        idx.sort(Comparator.comparing((Integer i) -> -counts.get(i)).thenComparing(i -> i));
        List<String> out = new ArrayList<>();
        idx.forEach(i -> out.add(order.get(i)));
        return out;
    }

    static String kindShape(int slot) {
        return switch (slot) {
            case 0 -> "full-height bar";
            case 1 -> "lower-half bar";
            case 2 -> "upper-third bar";
            default -> "thin middle bar";
        };
    }

    String svg() {
        section("phases", List.of(new Lane("phase", t.phases())));
        section("faults", t.faultLanes());
        section("leaders", t.stateLanes());
        clients();
        int height = y + 8;
        StringBuilder b = new StringBuilder(body.length() + 4096);
        b.append(String.format(Locale.ROOT, "<svg width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\">%n",
                TimelinePage.WIDTH, height, TimelinePage.WIDTH, height));
        axis(b, height);
        b.append(body);
        markers(b, height);
        b.append("</svg>\n");
        return b.toString();
    }

    double x(long nanos) {
        double v = TimelinePage.LEFT + plotWidth * nanos / t.endNanos();
        return Math.max(TimelinePage.LEFT, Math.min(TimelinePage.LEFT + plotWidth, v));
    }

    // ------------------------------------------------------------------ axis and markers

    private void axis(StringBuilder b, int height) {
        double seconds = t.endNanos() / 1e9;
        double step = 0.001;
        for (double s : new double[] {0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300, 600}) {
            step = s;
            if (seconds / s <= 20) {
                break;
            }
        }
        for (int i = 0; i * step <= seconds + 1e-12; i++) {
            double xs = x(Math.round(i * step * 1e9));
            b.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"16\" x2=\"%.1f\" y2=\"%d\" stroke=\"#eee\"/>"
                    + "<text x=\"%.1f\" y=\"12\" text-anchor=\"middle\">%s s</text>%n", xs, xs, height, xs, trim(i * step)));
        }
    }

    private static String trim(double v) {
        String s = String.format(Locale.ROOT, "%.3f", v);
        return s.replaceAll("\\.?0+$", "");
    }

    private void markers(StringBuilder b, int height) {
        for (Marker m : t.markers()) {
            double xm = m.atNanos() < 0 ? TimelinePage.LEFT + plotWidth : x(m.atNanos());
            b.append(String.format(Locale.ROOT, "<g class=\"violation\"><title>%s at %s: %s</title>"
                    + "<line x1=\"%.1f\" y1=\"16\" x2=\"%.1f\" y2=\"%d\" stroke=\"#cf222e\" stroke-width=\"2\"/>"
                    + "<text x=\"%.1f\" y=\"25\" text-anchor=\"end\" style=\"fill:#cf222e\">%s</text></g>%n",
                    esc(m.label()), esc(time(m.atNanos())), esc(m.detail()), xm, xm, height, xm - 3, esc(m.label())));
            shapes++;
        }
    }

    // ------------------------------------------------------------------ lanes of spans

    private void section(String heading, List<Lane> lanes) {
        if (lanes.isEmpty()) {
            return;
        }
        y += 6;
        body.append(String.format(Locale.ROOT, "<text class=\"h\" x=\"4\" y=\"%d\">%s</text>%n", y + 10, esc(heading)));
        y += 14;
        for (Lane lane : lanes) {
            body.append(String.format(Locale.ROOT, "<text x=\"8\" y=\"%d\">%s</text>%n", y + 12, esc(lane.label())));
            for (Span s : aggregate(lane.spans())) {
                span(s);
            }
            y += TimelinePage.LANE_HEIGHT + 2;
        }
    }

    private List<Span> aggregate(List<Span> spans) {
        if (spans.size() <= TimelinePage.MAX_SPANS_PER_LANE) {
            return spans;
        }
        List<Span> sorted = new ArrayList<>(spans);
        sorted.sort(Comparator.comparingLong(Span::fromNanos));
        TreeMap<Long, List<Span>> buckets = new TreeMap<>();
        for (Span s : sorted) {
            buckets.computeIfAbsent(s.fromNanos() * TimelinePage.MAX_SPANS_PER_LANE / t.endNanos(), k -> new ArrayList<>()).add(s);
        }
        List<Span> out = new ArrayList<>();
        for (List<Span> group : buckets.values()) {
            if (group.size() == 1) {
                out.add(group.get(0));
                continue;
            }
            long to = group.stream().mapToLong(Span::toNanos).max().orElseThrow();
            Span first = group.get(0);
            Span last = group.get(group.size() - 1);
            out.add(new Span(first.fromNanos(), to, "", group.size() + " changes, from " + first.label() + " to " + last.label(), "none"));
        }
        return out;
    }

    private void span(Span s) {
        double x1 = x(s.fromNanos());
        double w = Math.max(1, x(s.toNanos()) - x1);
        String color = Colors.of(s.colorKey());
        body.append(String.format(Locale.ROOT, "<g><title>%s, %s to %s%s</title><rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" "
                + "fill=\"%s\" fill-opacity=\"0.8\"/>", esc(s.label()), esc(time(s.fromNanos())), esc(time(s.toNanos())),
                s.detail().isEmpty() ? "" : ": " + esc(s.detail()), x1, y, w, TimelinePage.LANE_HEIGHT, color));
        if (!s.label().isEmpty() && w > 6.2 * s.label().length() + 4) {
            body.append(String.format(Locale.ROOT, "<text%s x=\"%.1f\" y=\"%d\">%s</text>", Colors.light(s.colorKey()) ? "" : " class=\"in\"",
                    x1 + 2, y + 12, esc(s.label())));
        }
        body.append("</g>\n");
        shapes++;
    }

    // ------------------------------------------------------------------ client rows

    private void clients() {
        if (t.clients().isEmpty()) {
            return;
        }
        y += 6;
        body.append(String.format(Locale.ROOT, "<text class=\"h\" x=\"4\" y=\"%d\">clients</text>%n", y + 10));
        y += 14;
        int budget = Math.max(20, TimelinePage.MAX_OP_SHAPES / t.clients().size());
        for (Row r : t.clients()) {
            body.append(String.format(Locale.ROOT, "<text x=\"8\" y=\"%d\">%s</text>%n", y + 13, esc(r.label())));
            if (r.ops().size() <= budget) {
                for (Op o : r.ops()) {
                    op(o.invokeNanos(), o.completeNanos(), o.outcome(), o.kind(), opTitle(o), false);
                }
            } else {
                aggregateOps(r.ops(), budget);
            }
            y += TimelinePage.ROW_HEIGHT + 2;
        }
    }

    private static String opTitle(Op o) {
        double ms = (o.completeNanos() - o.invokeNanos()) / 1e6;
        return o.kind() + " " + o.outcome().name().toLowerCase(Locale.ROOT) + ", " + time(o.invokeNanos()) + " to " + time(o.completeNanos())
                + String.format(Locale.ROOT, " (%.3f ms)", ms) + (o.detail().isEmpty() ? "" : ": " + o.detail());
    }

    /** Operations of one kind whose invocations fall in the same slice of time are drawn as one shape. */
    private void aggregateOps(List<Op> ops, int budget) {
        long slices = Math.max(1, budget / Math.max(1, kindsIn(ops)));
        TreeMap<Long, List<Op>> groups = new TreeMap<>();
        for (Op o : ops) {
            long key = kinds.indexOf(o.kind()) * (slices + 1) + o.invokeNanos() * slices / t.endNanos();
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(o);
        }
        for (List<Op> g : groups.values()) {
            if (g.size() == 1) {
                Op o = g.get(0);
                op(o.invokeNanos(), o.completeNanos(), o.outcome(), o.kind(), opTitle(o), false);
                continue;
            }
            g.sort(Comparator.comparingLong(Op::invokeNanos));
            long from = g.get(0).invokeNanos();
            long to = g.stream().mapToLong(Op::completeNanos).max().orElseThrow();
            int[] counts = new int[Outcome.values().length];
            for (Op o : g) {
                counts[o.outcome().ordinal()]++;
            }
            Outcome worst = counts[Outcome.FAIL.ordinal()] > 0 ? Outcome.FAIL : counts[Outcome.INFO.ordinal()] > 0 ? Outcome.INFO : Outcome.OK;
            String title = g.size() + " " + g.get(0).kind() + " operations, " + time(from) + " to " + time(to) + ": "
                    + counts[Outcome.OK.ordinal()] + " ok, " + counts[Outcome.INFO.ordinal()] + " info, " + counts[Outcome.FAIL.ordinal()]
                    + " fail; first: " + opTitle(g.get(0)) + "; last: " + opTitle(g.get(g.size() - 1));
            op(from, to, worst, g.get(0).kind(), title, true);
        }
    }

    private int kindsIn(List<Op> ops) {
        boolean[] seen = new boolean[kinds.size()];
        int n = 0;
        for (Op o : ops) {
            int k = kinds.indexOf(o.kind());
            if (!seen[k]) {
                seen[k] = true;
                n++;
            }
        }
        return n;
    }

    private void op(long from, long to, Outcome outcome, String kind, String title, boolean aggregate) {
        int slot = kinds.indexOf(kind);
        int h = TimelinePage.ROW_HEIGHT;
        int top;
        int height;
        switch (Math.min(slot, 3)) {
            case 0 -> { top = y + 1; height = h - 2; }
            case 1 -> { top = y + h / 2; height = h / 2 - 1; }
            case 2 -> { top = y + 1; height = h / 3; }
            default -> { top = y + h / 2 - 2; height = 4; }
        }
        double x1 = x(from);
        double w = Math.max(1, x(to) - x1);
        body.append(String.format(Locale.ROOT, "<rect class=\"op\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"%s><title>%s</title></rect>%n",
                x1, top, w, height, Colors.outcome(outcome), aggregate ? " stroke=\"#24292f\" stroke-width=\"0.6\" stroke-dasharray=\"2,1\"" : "",
                esc(title)));
        shapes++;
    }
}
