package dev.samsa.harness.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.samsa.reports.CampaignReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LatencySummaryTest {

    private static SeedResult result(long seed, List<Long> commitNanos) {
        return new SeedResult(seed, "txn", true, List.of(), "", Map.of(), Map.of(), Map.of(), Map.of(), "", 0, 0, 0, List.of(), List.of(),
                commitNanos.isEmpty() ? Map.of() : Map.of("txn.commit", commitNanos));
    }

    @Test
    void percentilesAreOverEverySampleOfEverySeed() {
        CampaignSummary s = new CampaignSummary(new CampaignSummary.Meta("txn", "--workload txn", "swarm", Map.of(), List.of(), 0, 2, 3, 1));
        List<Long> first = new ArrayList<>();
        for (long ms = 1; ms <= 90; ms++) {
            first.add(ms * 1_000_000L);
        }
        List<Long> second = new ArrayList<>();
        for (long ms = 91; ms <= 100; ms++) {
            second.add(ms * 1_000_000L);
        }
        s.add(result(0, first), null);
        s.add(result(1, second), null);
        s.add(result(2, List.of()), null);
        List<CampaignReport.LatencyRow> rows = s.latencyRows();
        assertThat(rows).containsExactly(new CampaignReport.LatencyRow("txn.commit", 2, 100, 50.0, 90.0, 99.0, 100.0));
        assertThat(s.closingLines(1_000_000_000L, java.nio.file.Path.of("out")))
                .contains("latency txn.commit: 100 samples in 2 seeds, simulated ms p50 50.00 p90 90.00 p99 99.00 max 100.00");
    }

    @Test
    void aWorkloadWithoutLatenciesHasNoRow() {
        CampaignSummary s = new CampaignSummary(new CampaignSummary.Meta("queue", "--workload queue", "swarm", Map.of(), List.of(), 0, 0, 1, 1));
        s.add(result(0, List.of()), null);
        assertThat(s.latencyRows()).isEmpty();
    }
}
