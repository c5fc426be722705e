package dev.samsa.reports.perf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;

class PerfReportWriterTest {

    private static final Estimate E = Estimate.of(1.0, 2.0, 3.0);

    private static PerfReport report(String config) {
        return new PerfReport("./samsa perf --seeds 3", 3, List.of("Network: [100, 1000] us"),
                List.of(new PerfReport.LatencyRow(config, E, E, E)),
                List.of(new PerfReport.ThroughputRow(50, 16384, "lz4", Estimate.of(1000, 1100, 1200))),
                List.of(new PerfReport.LatencyRow(config, E, E, E)), List.of(new PerfReport.LagSeries(config, 50, List.of(1.0, 5.0, 2.0))));
    }

    @Test
    void estimateHasStudentsInterval() {
        assertThat(E.mean()).isEqualTo(2.0);
        assertThat(E.halfWidth()).isCloseTo(2.484, org.assertj.core.data.Offset.offset(0.001)); // t(0.975, 2) * 1 / sqrt(3)
        assertThat(Estimate.of(5.0).format(1)).isEqualTo("5.0");
        assertThat(E.format(2)).isEqualTo("2.00 ± 2.48");
    }

    @Test
    void perfPageSaysWhatWasMeasuredAndIsWellFormed() throws Exception {
        String html = PerfReportWriter.html(report("acks=all"));
        assertThat(html).contains("acks=all", "2.00 ± 2.48", "1100 ± 248", "Network: [100, 1000] us", "./samsa perf --seeds 3", "<svg");
        wellFormedAndOffline(html);
        assertThat(PerfReportWriter.markdown(report("acks=all"))).contains("| 50 | 16384 | lz4 | 1100 ± 248 |", "| acks=all | 2.00 ± 2.48 |");
    }

    @Test
    void stringsFromARunAreEscaped() throws Exception {
        String html = PerfReportWriter.html(report("<script>alert(1)</script>"));
        assertThat(html).doesNotContain("<script>").contains("&lt;script&gt;");
        wellFormedAndOffline(html);
    }

    @Test
    void durabilityPageHasOneRowPerConfiguration() throws Exception {
        DurabilityReport r = new DurabilityReport("unrestricted", 2, List.of(
                new DurabilityReport.Row("RF=3, min.isr=2, acks=all", "recommended", 100, 0, 4, 0, "./samsa run --set acks=all"),
                new DurabilityReport.Row("RF=3, min.isr=1, acks=all", "lower durability", 120, 7, 0, 1, "./samsa run --set min.insync.replicas=1")),
                List.of(new PerfReport.LatencyRow("RF=3, min.isr=2, acks=all", E, E, E)));
        String html = DurabilityReportWriter.html(r);
        assertThat(html).contains("RF=3, min.isr=1, acks=all", "1 of 2", "./samsa run --set min.insync.replicas=1");
        wellFormedAndOffline(html);
        assertThat(DurabilityReportWriter.markdown(r)).contains("| RF=3, min.isr=1, acks=all | lower durability | 120 | 7 | 0 | 1 of 2 |");
    }

    @Test
    void aPageWithAnExternalReferenceFailsTheCheck() {
        assertThatCode(() -> wellFormedAndOffline("<html><body><img src=\"https://x\"/></body></html>")).isInstanceOf(AssertionError.class);
        assertThatCode(() -> wellFormedAndOffline("<html><body><p></body></html>")).isInstanceOf(Exception.class);
    }

    static void wellFormedAndOffline(String html) throws Exception {
        assertThat(html).doesNotContain("http://", "https://", "src=");
        String xml = html.replaceFirst("<!DOCTYPE html>", "");
        DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }
}
