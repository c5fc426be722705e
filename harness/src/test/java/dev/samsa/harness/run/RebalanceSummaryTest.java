package dev.samsa.harness.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.samsa.reports.CampaignReport.RebalanceRow;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RebalanceSummaryTest {

    static SeedResult seed(long seed, Map<String, String> settings, Long... rebalanceMs) {
        List<Long> nanos = java.util.Arrays.stream(rebalanceMs).map(ms -> ms * 1_000_000L).toList();
        return new SeedResult(seed, "groups", true, List.of(), "none", settings, Map.of(), Map.of(), Map.of(), "0", 0, 0, 0, List.of(), nanos, Map.of());
    }

    @Test
    void durationsAreSplitByAssignmentStrategyWithTheDefaultForSeedsThatKeptIt() {
        CampaignSummary s = new CampaignSummary(new CampaignSummary.Meta("groups", "--workload groups", "swarm", Map.of(), List.of(), 0, 3, 4, 1));
        s.add(seed(0, Map.of(), 10L, 20L, 30L), null);
        s.add(seed(1, Map.of("partition.assignment.strategy", "range"), 40L), null);
        s.add(seed(2, Map.of("partition.assignment.strategy", "cooperative-sticky"), 5L, 7L), null);
        s.add(seed(3, Map.of("partition.assignment.strategy", "roundrobin")), null); // no rebalance at all: not counted
        List<RebalanceRow> rows = s.rebalanceRows();
        assertThat(rows).extracting(RebalanceRow::strategy).containsExactly("cooperative-sticky", "range");
        RebalanceRow range = rows.get(1);
        assertThat(range.protocol()).isEqualTo("eager");
        assertThat(range.seeds()).isEqualTo(2);
        assertThat(range.rebalances()).isEqualTo(4);
        assertThat(range.p50Ms()).isEqualTo(20.0);
        assertThat(range.maxMs()).isEqualTo(40.0);
        assertThat(rows.get(0).protocol()).isEqualTo("cooperative");
        assertThat(rows.get(0).p99Ms()).isEqualTo(7.0);
    }
}
