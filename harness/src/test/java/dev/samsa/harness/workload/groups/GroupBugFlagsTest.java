package dev.samsa.harness.workload.groups;

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
 * The consumer-group bug flags the groups workload catches, on the first seed
 * {@code ./samsa run --workload groups --bug ID --seeds 2000 --max-failures 1} found: the seed
 * violates an invariant the flag is catalogued to break, and passes without the flag. If a change
 * of the code moves the schedules, re-hunt with that command and update the seeds here and in the README.
 */
class GroupBugFlagsTest {

    @ParameterizedTest(name = "{0} at seed {1}")
    @CsvSource({
        "KAFKA-14196, 3, group.no-delivery-after-revoke",
        "KAFKA-10284, 97, group.single-owner",
        "KAFKA-14639, 171, group.single-owner",
        "KAFKA-8069, 163, group.offset-durable",
    })
    void theFlagIsFoundAndTheSameSeedPassesWithoutIt(String jira, long seed, String invariant) {
        Bug bug = Bug.parse(jira).orElseThrow();
        SeedResult with = SeedRunner.run(new RunSpec("groups", Map.of(), Set.of(bug), FaultPlan.Profile.SWARM), seed);
        assertThat(with.passed()).as(jira + " at seed " + seed).isFalse();
        assertThat(with.findings()).anyMatch(f -> !f.expected() && f.invariant().equals(invariant));
        assertThat(bug.violates()).extracting(i -> i.id()).contains(invariant);

        SeedResult without = SeedRunner.run(new RunSpec("groups", Map.of(), Set.of(), FaultPlan.Profile.SWARM), seed);
        assertThat(without.passed()).as("seed " + seed + " without " + jira + ": " + without.findings()).isTrue();
    }
}
