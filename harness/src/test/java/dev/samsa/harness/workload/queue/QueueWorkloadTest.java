package dev.samsa.harness.workload.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.samsa.harness.fault.FaultPlan;
import dev.samsa.harness.run.RunSpec;
import dev.samsa.harness.run.SeedResult;
import dev.samsa.harness.run.SeedRunner;
import dev.samsa.spec.bugs.Bug;
import dev.samsa.spec.invariant.Invariant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The queue workload end to end: seeds under faults pass at defaults, runs replay bit for bit, and weaker settings are judged as such. */
class QueueWorkloadTest {

    static RunSpec spec(FaultPlan.Profile faults, Map<String, String> settings, Set<Bug> bugs) {
        return new RunSpec("queue", settings, bugs, faults);
    }

    @Test
    void seedsPassUnderSwarmFaultsAndMakeProgress() {
        RunSpec s = spec(FaultPlan.Profile.SWARM, Map.of(), Set.of());
        for (long seed = 0; seed < 8; seed++) {
            SeedResult r = SeedRunner.run(s, seed);
            assertThat(r.passed()).as("seed %d: %s", seed, r.findings()).isTrue();
            assertThat(r.stats().getOrDefault("values.acked", 0L)).as("seed %d acknowledges writes", seed).isPositive();
            assertThat(r.stats().getOrDefault("values.read", 0L)).as("seed %d reads them", seed).isPositive();
        }
    }

    @Test
    void theSameSeedReplaysToTheSameTraceHash() {
        RunSpec s = spec(FaultPlan.Profile.SWARM, Map.of(), Set.of());
        var hash = SeedRunner.run(s, 11).traceHash();
        assertThat(SeedRunner.run(s, 11).traceHash()).isEqualTo(hash);
        assertThat(SeedRunner.run(s, 12).traceHash()).isNotEqualTo(hash);
    }

    @Test
    void withAcksOneUnderKillsLostWritesAreReportedOnlyAsExpected() {
        RunSpec s = spec(FaultPlan.Profile.KILL, Map.of("acks", "1"), Set.of());
        int lost = 0;
        for (long seed = 0; seed < 6; seed++) {
            SeedResult r = SeedRunner.run(s, seed);
            assertThat(r.passed()).as("seed %d: %s", seed, r.findings()).isTrue();
            for (SeedResult.Finding f : r.findings()) {
                if (f.invariant().equals(Invariant.QUEUE_LOST_WRITE.id())) {
                    assertThat(f.expected()).as("seed %d: %s", seed, f).isTrue();
                    assertThat(f.evidence()).contains("acks=1");
                    lost++;
                }
            }
        }
        assertThat(lost).as("acks=1 lost a write under kills in some seed (seed 0..5 do)").isPositive();
    }
}
