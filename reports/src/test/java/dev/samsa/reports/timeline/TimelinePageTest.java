package dev.samsa.reports.timeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.samsa.reports.timeline.Timeline.Lane;
import dev.samsa.reports.timeline.Timeline.Link;
import dev.samsa.reports.timeline.Timeline.Marker;
import dev.samsa.reports.timeline.Timeline.Op;
import dev.samsa.reports.timeline.Timeline.Outcome;
import dev.samsa.reports.timeline.Timeline.Row;
import dev.samsa.reports.timeline.Timeline.Span;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

class TimelinePageTest {

    static final long S = 1_000_000_000L;

    static Timeline sample(String hostile, List<Row> clients) {
        return new Timeline("seed 7 " + hostile, List.of("--workload queue", "settings: " + hostile), 60 * S,
                List.of(new Span(0, 5 * S, "warm-up", "", "warm-up"), new Span(5 * S, 35 * S, "faults", "", "faults"),
                        new Span(35 * S, 45 * S, "heal", "", "heal"), new Span(45 * S, 60 * S, "quiesce", "", "quiesce")),
                List.of(new Lane("broker-1", List.of(new Span(7 * S, 9 * S, "kill broker-1", "restarted at 9 s", "kill"),
                                new Span(12 * S, 13 * S, "pause broker-1", hostile, "pause"))),
                        new Lane("network", List.of(new Span(10 * S, 20 * S, "partition isolate broker-2", "", "partition")))),
                List.of(new Lane("queue-0", List.of(new Span(2 * S, 30 * S, "broker-0 e1", "isr [0, 1, 2]", "broker-0"),
                        new Span(30 * S, 60 * S, "broker-1 e2", "isr [1, 2]", "broker-1")))),
                clients,
                List.of(new Marker(31 * S, "queue.lost-write", "value 5 of key 0 " + hostile), new Marker(-1, "replica.isr-consistent", "")),
                List.of(new Link("trace.txt", "trace"), new Link("history.jsonl", "history " + hostile)));
    }

    static List<Row> smallClients(String hostile) {
        return List.of(
                new Row("producer-0", List.of(new Op(1 * S, 2 * S, Outcome.OK, "send", "key 0: value 1 at offset 0"),
                        new Op(3 * S, 4 * S, Outcome.INFO, "send", "REQUEST_TIMED_OUT " + hostile),
                        new Op(5 * S, 6 * S, Outcome.FAIL, "send", "NOT_ENOUGH_REPLICAS"))),
                new Row("consumer-0 " + hostile, List.of(new Op(1 * S, 1 * S, Outcome.OK, "assign", "keys [0]"),
                        new Op(2 * S, 3 * S, Outcome.OK, "poll", "key 0 offset 0 value 1"))));
    }

    static final String HOSTILE = "<script>alert(1)</script>\"><img src=x onerror=alert(2)>&amp;'\u0000\u0007\uD800";

    static Document parse(String html) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", false);
        f.setFeature("http://xml.org/sax/features/external-general-entities", false);
        f.setExpandEntityReferences(false);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(html.getBytes(StandardCharsets.UTF_8)));
    }

    static int count(String html, String regex) {
        Matcher m = Pattern.compile(regex).matcher(html);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    @Test
    void drawsOneBarPerOperationColoredByOutcome() throws Exception {
        String html = TimelinePage.html(sample("", smallClients("")));
        Document d = parse(html);
        NodeList rects = d.getElementsByTagName("rect");
        int ops = 0;
        for (int i = 0; i < rects.getLength(); i++) {
            ops += "op".equals(rects.item(i).getAttributes().getNamedItem("class") == null ? "" : rects.item(i).getAttributes().getNamedItem("class").getNodeValue()) ? 1 : 0;
        }
        assertThat(ops).isEqualTo(5);
        assertThat(count(html, "fill=\"" + Colors.outcome(Outcome.FAIL) + "\"")).isEqualTo(1);
        assertThat(count(html, "fill=\"" + Colors.outcome(Outcome.INFO) + "\"")).isEqualTo(1);
        assertThat(count(html, "fill=\"" + Colors.outcome(Outcome.OK) + "\"")).isEqualTo(3);
        assertThat(html).contains("send info, 3.000000 s to 4.000000 s (1000.000 ms): REQUEST_TIMED_OUT");
        assertThat(html).doesNotContain("stroke-dasharray"); // nothing aggregated at this size
        // sends, polls and assigns get different heights, the commonest the tallest, and the legend says which is which
        assertThat(html).contains("send: full-height bar").contains("assign: lower-half bar").contains("poll: upper-third bar");
        List<Row> morePolls = new ArrayList<>(smallClients(""));
        morePolls.add(new Row("consumer-1", List.of(new Op(1 * S, 2 * S, Outcome.OK, "poll", ""), new Op(3 * S, 4 * S, Outcome.OK, "poll", ""))));
        assertThat(TimelinePage.html(sample("", morePolls))).contains("send: full-height bar").contains("poll: lower-half bar")
                .contains("assign: upper-third bar");
    }

    @Test
    void faultsPhasesLeadersAndViolationsAreLabelled() throws Exception {
        String html = TimelinePage.html(sample("", smallClients("")));
        parse(html);
        assertThat(html).contains("<title>kill broker-1, 7.000000 s to 9.000000 s: restarted at 9 s</title>")
                .contains("<title>partition isolate broker-2, 10.000000 s to 20.000000 s</title>")
                .contains(">warm-up</text>").contains(">quiesce</text>")
                .contains("<title>broker-1 e2, 30.000000 s to 60.000000 s: isr [1, 2]</title>")
                .contains("<title>queue.lost-write at 31.000000 s: value 5 of key 0 </title>")
                .contains("<title>replica.isr-consistent at end of run: </title>")
                .contains("<a href=\"trace.txt\">trace</a>");
        assertThat(count(html, "class=\"violation\"")).isEqualTo(2);
        // the lost write's line is drawn at 31 s of 60 s
        double x = TimelinePage.LEFT + (TimelinePage.WIDTH - TimelinePage.LEFT - TimelinePage.RIGHT) * 31.0 / 60;
        assertThat(html).contains(String.format(java.util.Locale.ROOT, "x1=\"%.1f\" y1=\"16\"", x));
    }

    @Test
    void hostileStringsAreEscapedAndThePageStaysWellFormed() throws Exception {
        String html = TimelinePage.html(sample(HOSTILE, smallClients(HOSTILE)));
        parse(html); // throws on a stray tag, entity or control character
        assertThat(html).doesNotContain("<script").doesNotContain("<img").doesNotContain("\u0000").doesNotContain("\u0007");
        assertThat(html).contains("&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img src=x onerror=alert(2)&gt;&amp;amp;&#39;\uFFFD\uFFFD\uFFFD");
    }

    @Test
    void theEscapeReplacesOnlyWhatXmlForbids() {
        assertThat(TimelinePage.esc("a\tb\nc \uD83D\uDE00")).isEqualTo("a\tb\nc \uD83D\uDE00"); // a paired surrogate is kept
        assertThat(TimelinePage.esc("\uDE00x\uD83D")).isEqualTo("\uFFFDx\uFFFD");
        assertThat(TimelinePage.esc("<&>")).isEqualTo("&lt;&amp;&gt;");
    }

    @Test
    void thePageReferencesNothingOutsideItself() {
        String html = TimelinePage.html(sample(HOSTILE, smallClients(HOSTILE)));
        assertThat(html).doesNotContain("http://").doesNotContain("https://").doesNotContain("src=\"").doesNotContain("url(")
                .doesNotContain("<script").doesNotContain("@import");
        assertThat(html).contains("Content-Security-Policy\" content=\"default-src 'none'");
    }

    @Test
    void linksAreRelativeFileNamesOnly() {
        assertThat(new Link("lin/visualization.html", "lin").href()).isEqualTo("lin/visualization.html");
        for (String bad : List.of("https://example.com/x", "javascript:alert(1)", "../../etc/passwd", "/etc/passwd", "a b.html", "")) {
            assertThatThrownBy(() -> new Link(bad, "x")).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void inputsThatCannotBeDrawnAreRejected() {
        assertThatThrownBy(() -> new Op(5, 4, Outcome.OK, "send", "")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Span(5, 4, "x", "", "kill")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Timeline("t", List.of(), 0, List.of(), List.of(), List.of(), List.of(), List.of(), List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new Op(4, 4, Outcome.OK, "send", "").completeNanos()).isEqualTo(4);
    }

    @Test
    void largeHistoriesAreAggregatedWithinTheShapeBudget() throws Exception {
        List<Row> rows = new ArrayList<>();
        int total = 0;
        for (int p = 0; p < 5; p++) {
            List<Op> ops = new ArrayList<>();
            for (int i = 0; i < 40_000; i++) {
                long at = i * 1_500_000L;
                ops.add(new Op(at, at + 3_000_000L, i % 97 == 0 ? Outcome.INFO : Outcome.OK, p < 3 ? "send" : "poll", "op " + i));
                total++;
            }
            rows.add(new Row("client-" + p, ops));
        }
        List<Span> changes = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            changes.add(new Span(i * 30_000_000L, (i + 1) * 30_000_000L, "broker-" + i % 3 + " e" + i, "", "broker-" + i % 3));
        }
        Timeline big = new Timeline("big", List.of(), 60 * S, List.of(), List.of(), List.of(new Lane("queue-0", changes)), rows, List.of(), List.of());
        Drawing d = new Drawing(big);
        String svg = d.svg();
        assertThat(d.shapes).isLessThanOrEqualTo(TimelinePage.MAX_OP_SHAPES + TimelinePage.MAX_SPANS_PER_LANE).isGreaterThan(1000);
        assertThat(svg).contains("stroke-dasharray").contains("changes, from broker-");
        // every operation is accounted for in exactly one shape
        Matcher m = Pattern.compile("<title>(\\d+) (send|poll) operations").matcher(svg);
        int inAggregates = 0;
        while (m.find()) {
            inAggregates += Integer.parseInt(m.group(1));
        }
        int single = count(svg, "class=\"op\"[^>]*><title>(send|poll) ");
        assertThat(inAggregates + single).isEqualTo(total);
        // aggregates keep the worst outcome visible
        assertThat(svg).contains("fill=\"" + Colors.outcome(Outcome.INFO) + "\" stroke=\"#24292f\"");
        assertThat(TimelinePage.html(big).length()).isLessThan(3_000_000);
    }

    @Test
    void writesAtomicallyIntoTheFolder(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("timeline.html");
        TimelinePage.write(sample("", smallClients("")), file);
        assertThat(Files.readString(file)).startsWith("<!DOCTYPE html>");
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()).toList()).containsExactly("timeline.html");
        }
    }
}
