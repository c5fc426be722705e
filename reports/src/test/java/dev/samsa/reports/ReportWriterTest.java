package dev.samsa.reports;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportWriterTest {

    static CampaignReport sample(String evilEvidence, long failed) {
        return new CampaignReport(
                "samsa kraft campaign",
                "kraft",
                "--workload kraft --bug KAFKA-15489",
                "swarm",
                10,
                10,
                10 - failed,
                failed,
                1,
                true,
                List.of(new CampaignReport.InvariantRow("kraft.check-quorum", "A leader without a majority resigns.", "KIP-595", "", 10, failed, 0),
                        new CampaignReport.InvariantRow("kraft.committed-consistent", "Committed entries agree.", "KIP-595", "a voter's disk was wiped", 10, 0, 1)),
                Map.of("fault.kill", 12L, "fault.partition.isolate", 3L),
                Map.of("raft.check-quorum-resign", 4L),
                List.of("raft.check-quorum-resign", "raft.truncate-diverging-suffix"),
                Map.of("write.ok", 100L),
                failed == 0 ? List.of() : List.of(new CampaignReport.FailureRow(3, List.of("kraft.check-quorum"), evilEvidence, "partition/1s",
                        "./samsa replay --seed 3 --workload kraft", "seed-3")),
                new CampaignReport.Speed(2.5, 1_000_000, 400_000, 210_000, 120, 2));
    }

    @Test
    void theMarkdownSaysTheVerdictTheInvariantsAndHowToReplay() {
        String md = ReportWriter.markdown(sample("leader 3000 never resigned", 1));
        assertThat(md).contains("**Verdict: 1 of 10 seeds violated an invariant**");
        assertThat(md).contains("| `kraft.check-quorum` A leader without a majority resigns. | 10 | 1 | 0 |");
        assertThat(md).contains("./samsa replay --seed 3 --workload kraft");
        assertThat(md).contains("| raft.truncate-diverging-suffix | **never** |");
        assertThat(ReportWriter.markdown(sample("", 0))).contains("**Verdict: every invariant held on 10 seeds**");
    }

    @Test
    void theHtmlIsWellFormedSelfContainedAndEscapesEverythingFromTheRun() throws Exception {
        String evil = "<script>alert('x')</script><img src=http://evil/x onerror=alert(1)>";
        String html = ReportWriter.html(sample(evil, 1));
        assertThat(html).doesNotContain("<script").doesNotContain("<img").contains("&lt;script&gt;");
        // well-formed: parse as XML once the doctype is dropped (we emit XHTML-compatible markup)
        String xml = html.replace("<!DOCTYPE html>", "").replace("<br>", "<br/>")
                .replaceAll("<meta ([^>]*[^/])>", "<meta $1/>");
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        org.w3c.dom.Document doc = f.newDocumentBuilder().parse(new java.io.ByteArrayInputStream(xml.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        // self-contained and inert: no active or fetching element, no attribute pointing off the page
        for (String tag : List.of("script", "img", "iframe", "link", "object", "embed", "form")) {
            assertThat(doc.getElementsByTagName(tag).getLength()).as(tag).isZero();
        }
        org.w3c.dom.NodeList all = doc.getElementsByTagName("*");
        for (int i = 0; i < all.getLength(); i++) {
            org.w3c.dom.NamedNodeMap attrs = all.item(i).getAttributes();
            for (int j = 0; j < attrs.getLength(); j++) {
                org.w3c.dom.Node a = attrs.item(j);
                assertThat(a.getNodeName()).doesNotStartWith("on");
                assertThat(a.getNodeValue()).as(a.getNodeName()).doesNotContainPattern("^[a-z]+://|^//|url\\(");
            }
        }
    }

    @Test
    void eachFailingSeedLinksItsTimelinePage() {
        assertThat(ReportWriter.html(sample("x", 1))).contains("<a href=\"seed-3/timeline.html\">timeline</a>");
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
}
