package dev.samsa.reports.perf;

import dev.samsa.reports.Html;

/** The shell shared by the perf and durability pages: head with a strict CSP and inline style. */
final class Page {

    private static final String STYLE = """
            body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:1100px;color:#222;padding:0 1em}
            h1{font-size:1.6em}h2{margin-top:1.6em;border-bottom:1px solid #ddd}
            table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:4px 8px;text-align:left;vertical-align:top}
            th{background:#f5f5f5}td.n{text-align:right;font-variant-numeric:tabular-nums}
            code{background:#f5f5f5;padding:1px 4px;border-radius:3px}
            """;

    private Page() {}

    static StringBuilder open(String title) {
        StringBuilder b = new StringBuilder();
        b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"/>")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\"/>")
                .append("<title>").append(Html.escape(title)).append("</title><style>").append(STYLE).append("</style></head><body>\n")
                .append("<h1>").append(Html.escape(title)).append("</h1>\n");
        return b;
    }

    static String close(StringBuilder b) {
        return b.append("</body></html>\n").toString();
    }

    static String cell(String s) {
        return "<td>" + Html.escape(s) + "</td>";
    }

    static String num(String s) {
        return "<td class=\"n\">" + Html.escape(s) + "</td>";
    }

    static String code(String s) {
        return "<code>" + Html.escape(s) + "</code>";
    }

    /** A Markdown table cell: pipes escaped, one line. */
    static String md(String s) {
        return s.replace("|", "\\|").replace("\n", " ");
    }
}
