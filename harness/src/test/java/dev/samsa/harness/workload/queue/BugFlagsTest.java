package dev.samsa.harness.workload.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.samsa.harness.fault.FaultPlan;
import dev.samsa.harness.run.RunSpec;
import dev.samsa.harness.run.SeedResult;
import dev.samsa.harness.run.SeedRunner;
import dev.samsa.spec.bugs.Bug;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every data-plane bug flag the suite claims to catch, on the first seed a 2000-seed campaign
 * found it with (`./samsa run --workload queue --bug ID --seeds 2000 --max-failures 1`): the seed
 * violates one of the invariants the flag is catalogued to break, and the same seed passes
 * without the flag — so the finding is the bug's, not the harness's. If a change of the code
 * moves the schedules, re-hunt with that command and update the seeds here and in the README.
 */
class BugFlagsTest {

    @ParameterizedTest(name = "{0} at seed {1}")
    @CsvSource({
        "KAFKA-1555, 4, replica.hw-replicated",
        "KAFKA-1211, 1, replica.isr-complete",
        "KAFKA-7395, 901, replica.hw-monotonic",
        "KAFKA-14704, 1, replica.committed-consistent",
        "KAFKA-6361, 847, node.assertion",
        "KAFKA-7164, 487, node.assertion",
        "KAFKA-5634, 163, replica.hw-le-leo",
        "KAFKA-14034, 118, queue.duplicate",
        "KAFKA-7128, 168, replica.isr-complete",
        "KAFKA-14139, 243, replica.isr-complete",
        "KAFKA-2143, 1, replica.isr-complete",
    })
    void theFlagIsFoundAndTheSameSeedPassesWithoutIt(String jira, long seed, String invariant) {
        Bug bug = Bug.parse(jira).orElseThrow();
        SeedResult with = SeedRunner.run(new RunSpec("queue", Map.of(), Set.of(bug), FaultPlan.Profile.SWARM), seed);
        assertThat(with.passed()).as(jira + " at seed " + seed).isFalse();
        assertThat(with.findings()).anyMatch(f -> !f.expected() && f.invariant().equals(invariant));
        assertThat(bug.violates()).extracting(i -> i.id()).contains(invariant);

        SeedResult without = SeedRunner.run(new RunSpec("queue", Map.of(), Set.of(), FaultPlan.Profile.SWARM), seed);
        assertThat(without.passed()).as("seed " + seed + " without " + jira + ": " + without.findings()).isTrue();
    }
}
