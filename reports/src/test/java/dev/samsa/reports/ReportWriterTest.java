package dev.samsa.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

class ReportWriterTest {

    static final String EVIL = "<script>alert(1)</script><img src=//evil/x onerror=alert(1)>";

    static CampaignReport sample(String evilEvidence, long failed) {
        return sample(evilEvidence, failed, "all", "seed-3");
    }

    static CampaignReport sample(String evidence, long failed, String acksValue, String folder) {
        CampaignReport.VerdictMatrix matrix = new CampaignReport.VerdictMatrix(
                List.of(new CampaignReport.Column("acks", "1", 4), new CampaignReport.Column("acks", acksValue, 6),
                        new CampaignReport.Column("min.insync.replicas", "2", 10)),
                List.of(new CampaignReport.MatrixRow("queue.no-lost-acked-write",
                                List.of(new CampaignReport.Cell(3, 0, 1), new CampaignReport.Cell(5, failed, 0), new CampaignReport.Cell(9 - failed, failed, 1))),
                        new CampaignReport.MatrixRow("queue.offsets-monotonic",
                                List.of(new CampaignReport.Cell(4, 0, 0), new CampaignReport.Cell(6, 0, 0), new CampaignReport.Cell(10, 0, 0)))));
        return new CampaignReport(
                "samsa queue campaign",
                "queue",
                "--workload queue --bug KAFKA-15489",
                "swarm",
                10,
                10,
                10 - failed,
                failed,
                1,
                true,
                List.of(new CampaignReport.InvariantRow("queue.no-lost-acked-write", "An acknowledged write is never lost.", "KIP-101", "acks=1", 10, failed, 1),
                        new CampaignReport.InvariantRow("queue.offsets-monotonic", "Offsets grow.", "Kafka", "", 10, 0, 0)),
                Map.of("fault.kill", 12L, "fault.partition.isolate", 3L),
                Map.of("raft.check-quorum-resign", 4L),
                List.of("raft.check-quorum-resign", "raft.truncate-diverging-suffix"),
                Map.of("write.ok", 100L),
                failed == 0 ? List.of() : List.of(new CampaignReport.FailureRow(3, List.of("queue.no-lost-acked-write"), evidence, "partition/1s",
                        "./samsa replay --seed 3 --workload queue", folder, List.of("timeline.html", "trace.txt", "faults.txt", "history.jsonl"))),
                new CampaignReport.Speed(2.5, 1_000_000, 400_000, 210_000, 120, 2),
                matrix);
    }

    @Test
    void theMarkdownSaysTheVerdictTheInvariantsAndHowToReplay() {
        String md = ReportWriter.markdown(sample("offset 7 acknowledged then lost", 1));
        assertThat(md).contains("**Verdict: 1 of 10 seeds violated an invariant**");
        assertThat(md).contains("| `queue.no-lost-acked-write` An acknowledged write is never lost. | 10 | 1 | 1 |");
        assertThat(md).contains("`./samsa replay --seed 3 --workload queue`");
        assertThat(md).contains("| raft.truncate-diverging-suffix | **never** ⚠ |").contains("1 declared path was never reached.");
        assertThat(md).contains("| fault.kill | 12 |");
        assertThat(md).contains("Simulator speed").contains("1000000 events in 2.5 s on 2 threads");
        assertThat(ReportWriter.markdown(sample("", 0))).contains("**Verdict: every invariant held on 10 seeds**").doesNotContain("## Anomalies");
    }

    @Test
    void theMarkdownMatrixHasAColumnPerSettingValueAndACellPerInvariant() {
        String md = ReportWriter.markdown(sample("x", 1));
        assertThat(md).contains("| invariant | acks=1 (4) | acks=all (6) | min.insync.replicas=2 (10) |");
        assertThat(md).contains("| `queue.no-lost-acked-write` | 3 / 0 / 1 | 5 / **1** / 0 | 8 / **1** / 1 |");
        assertThat(md).contains("| `queue.offsets-monotonic` | 4 / 0 / 0 | 6 / 0 / 0 | 10 / 0 / 0 |");
        CampaignReport noMatrix = new CampaignReport("t", "kraft", "o", "swarm", 1, 1, 1, 0, 0, true, List.of(), Map.of(), Map.of(), List.of(),
                Map.of(), List.of(), new CampaignReport.Speed(1, 1, 1, 1, 1, 1), CampaignReport.VerdictMatrix.empty());
        assertThat(ReportWriter.markdown(noMatrix)).contains("No setting drawn per seed decides").contains("No fault fired.")
                .doesNotContain("never reached");
    }

    @Test
    void theMarkdownLinksEachAnomalyToItsFolderAndFiles() {
        String md = ReportWriter.markdown(sample("lost", 1));
        assertThat(md).contains("## Anomalies").contains("- seed 3 — queue.no-lost-acked-write: lost")
                .contains("evidence: [seed-3/](seed-3/) · [timeline.html](seed-3/timeline.html) · [trace.txt](seed-3/trace.txt) · [faults.txt](seed-3/faults.txt) · [history.jsonl](seed-3/history.jsonl)");
        // a folder name that could leave the output directory is shown nowhere as a link
        String escaping = ReportWriter.markdown(sample("lost", 1, "all", "../../etc"));
        assertThat(escaping).doesNotContain("](../").doesNotContain("evidence: [");
    }

    @Test
    void theMarkdownNeutralisesHostileStrings() {
        String md = ReportWriter.markdown(sample(EVIL + " | col", 1, "<script>alert(1)</script>", "seed-3"));
        assertThat(md).contains("&lt;script&gt;alert(1)&lt;/script&gt;").contains("\\| col");
        // a code span shows its content literally (CommonMark), so only text outside code spans could become markup
        assertThat(md.replaceAll("(`+)[^`].*?\\1", "")).doesNotContain("<script").doesNotContain("<img");
        assertThat(MarkdownReport.code("a`b")).isEqualTo("`` a`b ``");
        assertThat(MarkdownReport.code("ab")).isEqualTo("`ab`");
    }

    @Test
    void theHtmlSaysTheMatrixCoverageAndAnomalies() {
        String html = ReportWriter.html(sample("offset 7 lost", 1));
        assertThat(html).contains("<h2>Verdict matrix</h2>").contains("<th colspan=\"2\"><code>acks</code></th>")
                .contains("<th>all <small class=\"dim\">(6 seeds)</small></th>")
                .contains("held in 5</span><br/><span class=\"bad\">violated in 1</span><br/><span class=\"dim\">expected in 0");
        assertThat(html).contains("<h2>Fault coverage</h2>").contains("<td>fault.kill</td><td class=\"n\">12</td>");
        assertThat(html).contains("<tr class=\"never\"><td>raft.truncate-diverging-suffix</td><td class=\"n bad\">⚠ never</td>")
                .contains("1 declared path was never reached: raft.truncate-diverging-suffix");
        assertThat(html).contains("<h2>Anomalies</h2>").contains("<a href=\"seed-3/\">seed-3/</a>")
                .contains("<a href=\"seed-3/history.jsonl\">history.jsonl</a>");
        assertThat(ReportWriter.html(sample("x", 0))).doesNotContain("Anomalies").contains("verdict ok");
        assertThat(ReportWriter.html(sample("x", 1, "all", "../../etc"))).doesNotContain("href=");
    }

    @Test
    void theHtmlIsWellFormedSelfContainedAndEscapesEverythingFromTheRun() throws Exception {
        String html = ReportWriter.html(sample(EVIL, 1, EVIL, "seed-3"));
        assertThat(html).doesNotContain("<script").doesNotContain("<img").contains("&lt;script&gt;alert(1)&lt;/script&gt;");
        assertSelfContained(html);
    }

    @Test
    void theWellFormednessCheckCatchesAStrayTagAndTheReferenceCheckAnExternalLink() {
        assertThatThrownBy(() -> assertSelfContained("<html><body><p>unclosed</body></html>")).isNotNull();
        assertThatThrownBy(() -> assertSelfContained("<html><body><a href=\"https://example.org/\">x</a></body></html>")).isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> assertSelfContained("<html><body><script>x()</script></body></html>")).isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> assertSelfContained("<html><body><a href=\"javascript:x()\">x</a></body></html>")).isInstanceOf(AssertionError.class);
    }

    @Test
    void aMatrixRowMustHaveACellPerColumn() {
        assertThatThrownBy(() -> new CampaignReport.VerdictMatrix(List.of(new CampaignReport.Column("acks", "1", 1)),
                List.of(new CampaignReport.MatrixRow("x", List.of()))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("row x has 0 cells for 1 columns");
    }

    @Test
    void eachFailingSeedLinksItsTimelinePage() {
        assertThat(ReportWriter.html(sample("x", 1))).contains("<a href=\"seed-3/timeline.html\">timeline.html</a>");
        assertThat(ReportWriter.html(sample("x", 0))).doesNotContain("timeline.html");
    }

    @Test
    void reportsAreWrittenAtomically(@TempDir Path dir) throws Exception {
        ReportWriter.writeBoth(sample("x", 1), dir);
        assertThat(dir.resolve("report.md")).exists();
        assertThat(dir.resolve("report.html")).exists();
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("report.md", "report.html");
        }
    }

    @Test
    void theSuiteIndexLinksEachWorkloadsReportWithItsVerdict(@TempDir Path dir) throws Exception {
        SuiteIndex index = new SuiteIndex("samsa suite", List.of(
                new SuiteIndex.Entry("kraft", "kraft", "every invariant held on 20 seeds", 20, 20, 0, 0),
                new SuiteIndex.Entry("queue", "queue", "2 of 20 seeds violated an invariant " + EVIL, 20, 18, 2, 3)));
        assertThat(index.verdict()).isEqualTo("1 of 2 workloads violated an invariant");
        String md = index.markdown();
        assertThat(md).contains("**Verdict: 1 of 2 workloads violated an invariant**")
                .contains("| kraft | every invariant held on 20 seeds | 20 | 20 | 0 | 0 | [report](kraft/report.md) · [html](kraft/report.html) |")
                .doesNotContain("<script");
        String html = index.html();
        assertThat(html).contains("<a href=\"queue/report.html\">queue</a>").contains("verdict bad").doesNotContain("<script");
        assertSelfContained(html);
        assertThat(new SuiteIndex("s", List.of(new SuiteIndex.Entry("kraft", "kraft", "ok", 1, 1, 0, 0))).verdict())
                .isEqualTo("every invariant held in every workload");
        index.write(dir);
        assertThat(dir.resolve("index.html")).content().contains("queue/report.html");
        assertThat(dir.resolve("index.md")).exists();
    }

    /** Parses the page as XML and checks nothing in it runs or fetches, and every link stays relative. */
    static void assertSelfContained(String html) throws Exception {
        String xml = html.replace("<!DOCTYPE html>", "");
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        var builder = f.newDocumentBuilder();
        builder.setErrorHandler(null);
        Document doc = builder.parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        for (String tag : List.of("script", "img", "iframe", "link", "object", "embed", "form", "base")) {
            assertThat(doc.getElementsByTagName(tag).getLength()).as(tag).isZero();
        }
        List<String> hrefs = new ArrayList<>();
        NodeList all = doc.getElementsByTagName("*");
        for (int i = 0; i < all.getLength(); i++) {
            NamedNodeMap attrs = all.item(i).getAttributes();
            for (int j = 0; j < attrs.getLength(); j++) {
                Node a = attrs.item(j);
                assertThat(a.getNodeName()).doesNotStartWith("on");
                assertThat(a.getNodeValue()).as(a.getNodeName()).doesNotContainPattern("^[a-z]+://|^//|url\\(");
                if (a.getNodeName().equals("href") || a.getNodeName().equals("src")) {
                    hrefs.add(a.getNodeValue());
                }
            }
        }
        assertThat(html).doesNotContain("http://").doesNotContain("https://");
        for (String h : hrefs) {
            assertThat(h).doesNotStartWith("/").doesNotContain("..").doesNotContainPattern("^[a-zA-Z][a-zA-Z0-9+.-]*:");
        }
    }
}
