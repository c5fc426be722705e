package dev.samsa.harness.workload.groups;

import static org.assertj.core.api.Assertions.assertThat;

import dev.samsa.harness.fault.FaultPlan;
import dev.samsa.harness.run.RunSpec;
import dev.samsa.harness.run.SeedResult;
import dev.samsa.harness.run.SeedRunner;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The groups workload end to end: members join, process and commit; seeds pass; a seed replays bit for bit. */
class GroupsWorkloadTest {

    static RunSpec spec(FaultPlan.Profile faults, Map<String, String> settings) {
        return new RunSpec("groups", settings, Set.of(), faults);
    }

    @Test
    void eachProcessingModeProcessesAndCommitsWithoutFaults() {
        for (String mode : new String[] {"auto-commit", "commit-after", "dead-letter"}) {
            SeedResult r = SeedRunner.run(spec(FaultPlan.Profile.NONE, Map.of("sim.groups.processing", mode, "sim.group.client.faults.ms", "0")), 1);
            assertThat(r.passed()).as("%s: %s", mode, r.findings()).isTrue();
            assertThat(r.findings()).as(mode).isEmpty();
            assertThat(r.stats().getOrDefault("process.ok", 0L)).as(mode).isPositive();
            assertThat(r.stats().getOrDefault("commit.ok", 0L)).as(mode).isPositive();
            assertThat(r.stats().getOrDefault("fetch.ok", 0L)).as(mode).isPositive();
            assertThat(r.rebalanceNanos()).as(mode).isNotEmpty();
        }
    }

    @Test
    void deadLetterRunsSendTheirPoisonRecordsToTheDeadLetterTopic() {
        SeedResult r = SeedRunner.run(spec(FaultPlan.Profile.NONE, Map.of("sim.groups.processing", "dead-letter")), 2);
        assertThat(r.passed()).as("%s", r.findings()).isTrue();
        assertThat(r.stats().getOrDefault("records.poison.processed", 0L)).isPositive();
        assertThat(r.stats().getOrDefault("dlt.ok", 0L)).isPositive();
    }

    @Test
    void seedsPassUnderSwarmFaultsWithClientFaults() {
        RunSpec s = spec(FaultPlan.Profile.SWARM, Map.of());
        long clientFaults = 0;
        for (long seed = 0; seed < 6; seed++) {
            SeedResult r = SeedRunner.run(s, seed);
            assertThat(r.passed()).as("seed %d: %s", seed, r.findings()).isTrue();
            clientFaults += r.counters().entrySet().stream().filter(e -> e.getKey().startsWith("fault.client-")).mapToLong(Map.Entry::getValue).sum();
        }
        assertThat(clientFaults).isPositive();
    }

    @Test
    void theSameSeedReplaysToTheSameTraceHash() {
        RunSpec s = spec(FaultPlan.Profile.SWARM, Map.of());
        var hash = SeedRunner.run(s, 7).traceHash();
        assertThat(SeedRunner.run(s, 7).traceHash()).isEqualTo(hash);
        assertThat(SeedRunner.run(s, 8).traceHash()).isNotEqualTo(hash);
    }
}
