package dev.samsa.reports.timeline;

import dev.samsa.reports.Html;
import dev.samsa.reports.ReportWriter;
import dev.samsa.reports.timeline.Timeline.Link;
import dev.samsa.reports.timeline.Timeline.Marker;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Renders a {@link Timeline} as one self-contained page: inline style and SVG, no script, no
 * external reference (a Content-Security-Policy forbids any). Hovering a shape shows its
 * details through SVG {@code <title>}. The markup is XHTML-compatible (every element closed,
 * only XML's entities), so it parses as XML; every string is escaped, and characters XML forbids
 * become U+FFFD.
 *
 * <p>Large histories stay light: a client row draws at most {@link #MAX_OP_SHAPES} / rows
 * shapes and a lane at most {@link #MAX_SPANS_PER_LANE}; beyond that, neighbouring operations
 * of one kind (spans of one lane) are drawn as one aggregate whose hover text counts what it
 * holds, colored by its worst outcome.
 */
public final class TimelinePage {

    /** Shapes for all client operations together (aggregates beyond). */
    public static final int MAX_OP_SHAPES = 3000;
    /** Spans drawn per lane (aggregates beyond). */
    public static final int MAX_SPANS_PER_LANE = 300;

    static final int WIDTH = 1400;
    static final int LEFT = 170;
    static final int RIGHT = 20;
    static final int LANE_HEIGHT = 16;
    static final int ROW_HEIGHT = 18;
    static final int GAP = 22;

    private TimelinePage() {}

    /** Writes the page to {@code file} through a temporary file and a rename. */
    public static void write(Timeline t, Path file) throws IOException {
        ReportWriter.writeAtomically(file, html(t));
    }

    public static String html(Timeline t) {
        StringBuilder b = new StringBuilder(64 * 1024);
        b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"/>")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\"/>")
                .append("<title>").append(esc(t.title())).append("</title><style>").append(STYLE).append("</style></head><body>\n");
        b.append("<h1>").append(esc(t.title())).append("</h1>\n");
        for (String line : t.summary()) {
            b.append("<p>").append(esc(line)).append("</p>\n");
        }
        if (!t.links().isEmpty()) {
            b.append("<p>");
            for (Link l : t.links()) {
                b.append("<a href=\"").append(esc(l.href())).append("\">").append(esc(l.label())).append("</a> ");
            }
            b.append("</p>\n");
        }
        b.append(legend(t));
        b.append(new Drawing(t).svg());
        b.append(markerList(t));
        b.append("</body></html>\n");
        return b.toString();
    }

    private static final String STYLE = """
            body{font:13px/1.4 system-ui,sans-serif;margin:1.5em;color:#222}
            h1{font-size:1.4em}svg{border:1px solid #ddd;background:#fff}
            svg text{font:11px system-ui,sans-serif;fill:#222}svg text.h{font-weight:bold}svg text.in{fill:#fff;font-size:10px}
            .sw{display:inline-block;width:14px;height:10px;margin:0 4px 0 12px;vertical-align:middle}
            li code{background:#f5f5f5;padding:1px 4px}
            """;

    private static String legend(Timeline t) {
        StringBuilder b = new StringBuilder("<p>");
        b.append(swatch(Colors.outcome(Timeline.Outcome.OK), "ok")).append(swatch(Colors.outcome(Timeline.Outcome.INFO), "info (unknown)"))
                .append(swatch(Colors.outcome(Timeline.Outcome.FAIL), "fail"));
        List<String> kinds = Drawing.kinds(t);
        for (int i = 0; i < kinds.size(); i++) {
            b.append(" · ").append(esc(kinds.get(i))).append(": ").append(Drawing.kindShape(i));
        }
        b.append(" · dashed outline: several operations drawn as one · red line: violation</p>\n");
        return b.toString();
    }

    private static String swatch(String color, String label) {
        return "<span class=\"sw\" style=\"background:" + color + "\"></span>" + esc(label);
    }

    private static String markerList(Timeline t) {
        if (t.markers().isEmpty()) {
            return "";
        }
        StringBuilder b = new StringBuilder("<h2>Violations</h2><ul>\n");
        for (Marker m : t.markers()) {
            b.append("<li><code>").append(esc(m.label())).append("</code> at ").append(esc(time(m.atNanos()))).append(": ")
                    .append(esc(m.detail())).append("</li>\n");
        }
        return b.append("</ul>\n").toString();
    }

    static String time(long nanos) {
        return nanos < 0 ? "end of run" : String.format(Locale.ROOT, "%.6f s", nanos / 1e9);
    }

    /** Escapes for HTML and XML: characters XML 1.0 forbids (controls, lone surrogates) become U+FFFD. */
    static String esc(String s) {
        StringBuilder clean = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok;
            if (Character.isHighSurrogate(c)) {
                ok = i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
                if (ok) {
                    clean.append(c).append(s.charAt(++i));
                    continue;
                }
            } else if (Character.isLowSurrogate(c)) {
                ok = false;
            } else {
                ok = c == '\t' || c == '\n' || c == '\r' || (c >= 0x20 && c != 0xFFFE && c != 0xFFFF);
            }
            clean.append(ok ? c : '\uFFFD');
        }
        return Html.escape(clean.toString());
    }
}
