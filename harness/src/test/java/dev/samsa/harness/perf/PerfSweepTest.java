package dev.samsa.harness.perf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.samsa.harness.cli.SamsaCli;
import dev.samsa.harness.fault.FaultPlan;
import dev.samsa.reports.perf.DurabilityReport;
import dev.samsa.reports.perf.PerfReport;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class PerfSweepTest {

    @Test
    void acksZeroAnswersNoLaterThanAcksAll() {
        TreeMap<String, String> none = new TreeMap<>();
        PerfSweep.Plan plan = new PerfSweep.Plan(List.of(PerfSweep.config("acks=0", none, 5_000, "acks", "0", "linger.ms", "0"),
                PerfSweep.config("acks=all", none, 5_000, "acks", "all", "linger.ms", "0")), List.of(), 1, 1_000, 300, 50, 500);
        PerfReport r = PerfSweep.run(plan, 2, "test");
        assertThat(r.produceLatency()).extracting(PerfReport.LatencyRow::config).containsExactly("acks=0", "acks=all");
        double zero = r.produceLatency().get(0).p99Ms().mean();
        double all = r.produceLatency().get(1).p99Ms().mean();
        assertThat(zero).isLessThan(all);
        assertThat(all).isPositive(); // acks=all waits for a round trip at least
        assertThat(r.lag()).hasSize(2);
        assertThat(r.lag().get(0).meanLag()).hasSize(6); // 300 ms sampled every 50 ms
        assertThat(r.model()).anyMatch(l -> l.contains("[100, 1000] us")).anyMatch(l -> l.contains("do not fsync per write"));
    }

    @Test
    void throughputRowsCarryTheirSettings() {
        TreeMap<String, String> none = new TreeMap<>();
        PerfSweep.Plan plan = new PerfSweep.Plan(List.of(), List.of(PerfSweep.config("t", none, 0, "acks", "all", "linger.ms", "5",
                "batch.size", "16384", "compression.type", "lz4")), 1, 1_000, 200, 50, 500);
        PerfReport r = PerfSweep.run(plan, 1, "test");
        assertThat(r.throughput()).singleElement().satisfies(t -> {
            assertThat(t.lingerMs()).isEqualTo(5);
            assertThat(t.batchSizeBytes()).isEqualTo(16384);
            assertThat(t.compression()).isEqualTo("lz4");
            assertThat(t.recordsPerSecond().mean()).isPositive();
        });
    }

    @Test
    void durabilityTableHasTheArticlesThreeRows() {
        TreeMap<String, String> short_ = new TreeMap<>();
        short_.put("sim.warmup.ms", "1000");
        short_.put("sim.faults.ms", "2000");
        short_.put("sim.heal.ms", "1000");
        short_.put("sim.quiesce.ms", "3000");
        DurabilityReport r = DurabilityTable.run(1, FaultPlan.Profile.NONE, short_, 2);
        assertThat(r.rows()).extracting(DurabilityReport.Row::config)
                .containsExactly("RF=3, min.isr=2, acks=all", "RF=3, min.isr=1, acks=all", "RF=3, min.isr=2, acks=1");
        assertThat(r.rows()).allSatisfy(row -> {
            assertThat(row.acknowledged()).isPositive();
            assertThat(row.lost()).isZero(); // no faults, nothing lost
            assertThat(row.command()).startsWith("./samsa run --workload queue --faults none").contains("--set acks=").endsWith("--seeds 1");
        });
        assertThat(r.latency()).hasSize(3);
    }

    @Test
    void badInputExitsTwo() {
        assertThat(SamsaCli.execute("perf", "--seeds", "0")).isEqualTo(2);
        assertThat(SamsaCli.execute("perf", "--set", "nonsense")).isEqualTo(2);
        assertThat(SamsaCli.execute("perf", "--set", "no.such.key=1")).isEqualTo(2);
        assertThat(SamsaCli.execute("durability", "--faults", "bogus")).isEqualTo(2);
        assertThat(SamsaCli.execute("durability", "--seeds", "x")).isEqualTo(2);
    }
}
