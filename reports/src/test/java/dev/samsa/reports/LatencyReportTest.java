package dev.samsa.reports;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class LatencyReportTest {

    static CampaignReport withLatencies(List<CampaignReport.LatencyRow> rows) {
        CampaignReport r = ReportWriterTest.sample("", 0);
        return new CampaignReport(r.title(), "txn", r.options(), r.faultProfile(), r.seedsRequested(), r.seedsDone(), r.passed(), r.failed(),
                r.seedsWithExpectedAnomalies(), r.finished(), r.invariants(), r.faults(), r.reachedPaths(), r.declaredPaths(), r.workloadStats(),
                r.failures(), r.speed(), r.matrix(), List.of(), rows);
    }

    @Test
    void commitLatencyPercentilesAppearInBothFormats() {
        CampaignReport r = withLatencies(List.of(new CampaignReport.LatencyRow("txn.commit", 10, 420, 3.5, 8.25, 40, 1200)));
        assertThat(ReportWriter.markdown(r)).contains("## Latencies").contains("| txn.commit | 10 | 420 | 3.50 | 8.25 | 40.00 | 1200.00 |");
        assertThat(ReportWriter.html(r)).contains("<h2>Latencies</h2>")
                .contains("<td>txn.commit</td><td>10</td><td>420</td><td>3.50</td><td>8.25</td><td>40.00</td><td>1200.00</td>");
    }

    @Test
    void aCampaignWithoutLatenciesHasNoLatencySection() {
        CampaignReport r = withLatencies(List.of());
        assertThat(ReportWriter.markdown(r)).doesNotContain("Latencies");
        assertThat(ReportWriter.html(r)).doesNotContain("Latencies");
    }
}
