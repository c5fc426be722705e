package dev.samsa.harness.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.samsa.harness.fault.FaultPlan;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** A seed's settings: the catalog's swarm draws, a workload's own draws, and --set over both. */
class SettingsDrawTest {

    private static TreeSet<String> drawn(String workload, Map<String, String> fixed, String key) {
        TreeSet<String> values = new TreeSet<>();
        RunSpec spec = new RunSpec(workload, fixed, Set.of(), FaultPlan.Profile.SWARM);
        for (long seed = 0; seed < 200; seed++) {
            values.add(SeedRunner.settingsFor(spec, seed).get(key));
        }
        return values;
    }

    @Test
    void onlyTheTxnWorkloadDrawsACompactedTopic() {
        assertThat(drawn("txn", Map.of(), "cleanup.policy")).containsExactly("compact", "delete");
        assertThat(drawn("queue", Map.of(), "cleanup.policy")).containsExactly("delete");
        assertThat(drawn("groups", Map.of(), "cleanup.policy")).containsExactly("delete");
        assertThat(drawn("txn", Map.of("cleanup.policy", "delete"), "cleanup.policy")).containsExactly("delete");
    }

    @Test
    void aWorkloadsOwnDrawMovesNoOtherKey() {
        RunSpec txn = new RunSpec("txn", Map.of(), Set.of(), FaultPlan.Profile.SWARM);
        RunSpec fixed = new RunSpec("txn", Map.of("cleanup.policy", "delete"), Set.of(), FaultPlan.Profile.SWARM);
        for (long seed = 0; seed < 50; seed++) {
            assertThat(SeedRunner.settingsFor(txn, seed).get("segment.bytes")).isEqualTo(SeedRunner.settingsFor(fixed, seed).get("segment.bytes"));
            assertThat(SeedRunner.settingsFor(txn, seed).get("linger.ms")).isEqualTo(SeedRunner.settingsFor(fixed, seed).get("linger.ms"));
        }
    }
}
