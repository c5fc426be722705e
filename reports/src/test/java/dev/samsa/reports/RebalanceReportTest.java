package dev.samsa.reports;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RebalanceReportTest {

    static CampaignReport withRebalances(List<CampaignReport.RebalanceRow> rows) {
        CampaignReport r = ReportWriterTest.sample("", 0);
        return new CampaignReport(r.title(), "groups", r.options(), r.faultProfile(), r.seedsRequested(), r.seedsDone(), r.passed(), r.failed(),
                r.seedsWithExpectedAnomalies(), r.finished(), r.invariants(), r.faults(), r.reachedPaths(), r.declaredPaths(), Map.of(),
                r.failures(), r.speed(), r.matrix(), rows, List.of());
    }

    @Test
    void rebalanceDurationsAppearPerStrategyInBothFormats() {
        CampaignReport r = withRebalances(List.of(new CampaignReport.RebalanceRow("cooperative-sticky", "cooperative", 4, 40, 12, 80, 300, 450),
                new CampaignReport.RebalanceRow("range", "eager", 6, 70, 30, 200, 900, 3100)));
        String md = ReportWriter.markdown(r);
        assertThat(md).contains("## Rebalance durations").contains("| cooperative-sticky | cooperative | 4 | 40 | 12 | 80 | 300 | 450 |")
                .contains("| range | eager | 6 | 70 | 30 | 200 | 900 | 3100 |");
        String html = ReportWriter.html(r);
        assertThat(html).contains("<h2>Rebalance durations</h2>").contains("<td>range</td><td>eager</td><td>6</td><td>70</td><td>30</td>");
    }

    @Test
    void aCampaignWithoutGroupsHasNoRebalanceSection() {
        CampaignReport r = withRebalances(List.of());
        assertThat(ReportWriter.markdown(r)).doesNotContain("Rebalance durations");
        assertThat(ReportWriter.html(r)).doesNotContain("Rebalance durations");
    }
}
