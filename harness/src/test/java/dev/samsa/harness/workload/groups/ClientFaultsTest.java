package dev.samsa.harness.workload.groups;

import static org.assertj.core.api.Assertions.assertThat;

import dev.samsa.harness.fault.FaultPlan;
import dev.samsa.harness.run.RunSpec;
import dev.samsa.harness.run.SeedResult;
import dev.samsa.harness.run.SeedRunner;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The targeted client faults of KAFKA-8069's and KAFKA-14639's schedules: when they fire, and for how long. */
class ClientFaultsTest {

    private static final long S = 1_000_000_000L;

    @Test
    void aFailoverLeaveOutlastsTheFailoverAndTwoSweeps() {
        long check = 5 * S;
        long away = ClientFaults.failoverAwayNanos(0, check);
        assertThat(away).isEqualTo(ClientFaults.LEAVE_SETTLE_NANOS + ClientFaults.FAILOVER_NANOS + 2 * check);
        assertThat(ClientFaults.failoverAwayNanos(3 * S, check)).isEqualTo(away + 3 * S);
        // the members come back only after the coordinator moved (the trigger strikes at LEAVE_SETTLE) and swept twice
        assertThat(away - ClientFaults.LEAVE_SETTLE_NANOS).isGreaterThan(2 * check);
    }

    @Test
    void theHeldAnswersAreLostOnlyAfterTheLeaverRejoined() {
        long rejoin = 700_000_000L;
        assertThat(ClientFaults.joinLostHoldNanos(rejoin, 0)).isEqualTo(rejoin + ClientFaults.JOIN_LOST_MARGIN_NANOS);
        assertThat(ClientFaults.joinLostHoldNanos(rejoin, S)).isGreaterThan(ClientFaults.joinLostHoldNanos(rejoin, 0));
    }

    @Test
    void failoverLeavesOnlyWhenTheExpirySweepIsFrequent() {
        // seed 3 drew whole-group leaves that asked for a fail-over with a 5 s sweep
        assertThat(count(Map.of("offsets.retention.check.interval.ms", "5000"), "fault.client-group-leave.failover", 3)).isPositive();
        assertThat(count(Map.of("offsets.retention.check.interval.ms", "600000"), "fault.client-group-leave.failover", 3)).isZero();
    }

    @Test
    void joinLostOnlyInDynamicCooperativeGroups() {
        Map<String, String> cooperative = Map.of("partition.assignment.strategy", "cooperative-sticky", "sim.group.static", "false");
        assertThat(count(cooperative, "fault.client-join-lost", 3, 8)).isPositive();
        // and the followers' answers were held until the next round started
        assertThat(count(cooperative, "fault.client-join-lost.held", 3, 8)).isPositive();
        Map<String, String> eager = Map.of("partition.assignment.strategy", "range", "sim.group.static", "false");
        assertThat(count(eager, "fault.client-join-lost", 3, 8)).isZero();
        Map<String, String> statics = Map.of("partition.assignment.strategy", "cooperative-sticky", "sim.group.static", "true");
        assertThat(count(statics, "fault.client-join-lost", 3, 8)).isZero();
    }

    private static long count(Map<String, String> settings, String counter, long... seeds) {
        long n = 0;
        for (long seed : seeds) {
            SeedResult r = SeedRunner.run(new RunSpec("groups", settings, Set.of(), FaultPlan.Profile.SWARM), seed);
            assertThat(r.passed()).as("seed %d %s: %s", seed, settings, r.findings()).isTrue();
            n += r.counters().getOrDefault(counter, 0L);
        }
        return n;
    }
}
