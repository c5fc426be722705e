package dev.samsa.harness.workload.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.samsa.harness.fault.FaultPlan;
import dev.samsa.harness.run.RunSpec;
import dev.samsa.harness.run.SeedResult;
import dev.samsa.harness.run.SeedRunner;
import dev.samsa.spec.bugs.Bug;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
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

    /**
     * KAFKA-2143's own rule in a whole run: on seed 391 a follower gets ahead of its leader (a
     * broker that lost unsynced data leads as the last replica standing, outside what Kafka
     * promises, so the run passes), its Fetch is out of range, and by its ListOffsets the leader
     * has grown past it: 0.9.0.0 wipes the log. With KAFKA-1211 alone (the same pre-KIP-101
     * follower, 0.9.0.1's fixed rule) the same schedule keeps it. Inside the promise a follower
     * is never ahead of a cleanly elected leader unless that leader was an in-sync replica below
     * the HW, which replica.isr-complete reports first (README, KAFKA-2143).
     */
    @Test
    void kafka2143WipesAFollowerThatTheLeaderGrewPastWhereTheFixedRuleKeepsIt() {
        long seed = 391;
        SeedResult with = SeedRunner.run(new RunSpec("queue", Map.of(), Set.of(Bug.KAFKA_2143), FaultPlan.Profile.SWARM), seed);
        assertThat(with.reachedPaths()).containsKey("partition.out-of-range-wiped-not-behind");
        SeedResult fixed = SeedRunner.run(new RunSpec("queue", Map.of(), Set.of(Bug.KAFKA_1211), FaultPlan.Profile.SWARM), seed);
        assertThat(fixed.reachedPaths()).containsKey("partition.out-of-range-list-offsets").doesNotContainKey("partition.out-of-range-wiped-not-behind");
    }
}
