package dev.samsa.harness.workload.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.samsa.harness.fault.FaultPlan;
import dev.samsa.harness.fault.FaultSchedule;
import dev.samsa.harness.run.RunSpec;
import dev.samsa.harness.run.SeedResult;
import dev.samsa.harness.run.SeedRunner;
import dev.samsa.impl.metadata.PartitionChangeRecord;
import dev.samsa.impl.metadata.PartitionRegistration;
import dev.samsa.impl.protocol.TopicPartition;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The queue workload's {@code isr-expanded} trigger: which metadata changes and leader states it reports. */
class IsrExpansionTriggerTest {

    static final TopicPartition TP = new TopicPartition("queue", 0);
    static final PartitionRegistration COMMITTED = new PartitionRegistration(TP, List.of(0, 1, 2), List.of(1), 1, 4, 7, false);

    static PartitionChangeRecord change(int leader, List<Integer> isr, int leaderEpoch) {
        return new PartitionChangeRecord(TP, leader, isr, leaderEpoch, 8, false);
    }

    @Test
    void anIsrGrowingUnderTheSameLeaderAndEpochIsAnExpansion() {
        assertThat(IsrExpansionTrigger.expandsIsr(COMMITTED, change(1, List.of(1, 2), 4))).isTrue();
        assertThat(IsrExpansionTrigger.expandsIsr(COMMITTED, change(1, List.of(0, 1, 2), 4))).isTrue();
    }

    @Test
    void shrinksSwapsAndElectionsAreNot() {
        PartitionRegistration two = new PartitionRegistration(TP, List.of(0, 1, 2), List.of(1, 2), 1, 4, 7, false);
        assertThat(IsrExpansionTrigger.expandsIsr(two, change(1, List.of(1), 4))).as("shrink").isFalse();
        assertThat(IsrExpansionTrigger.expandsIsr(two, change(1, List.of(1, 2), 4))).as("same ISR").isFalse();
        assertThat(IsrExpansionTrigger.expandsIsr(two, change(1, List.of(0, 1), 4))).as("one out, one in").isFalse();
        assertThat(IsrExpansionTrigger.expandsIsr(COMMITTED, change(2, List.of(1, 2), 5))).as("a new leader").isFalse();
        assertThat(IsrExpansionTrigger.expandsIsr(COMMITTED, change(1, List.of(1, 2), 5))).as("a new epoch").isFalse();
        assertThat(IsrExpansionTrigger.expandsIsr(COMMITTED, change(-1, List.of(1, 2), 5))).as("offline").isFalse();
    }

    @Test
    void theEpochStartComesFromTheLeaderEpochCache() {
        List<long[]> cache = List.of(new long[] {0, 0}, new long[] {2, 40}, new long[] {4, 351});
        assertThat(IsrExpansionTrigger.epochStartOffset(cache, 4)).isEqualTo(351);
        assertThat(IsrExpansionTrigger.epochStartOffset(cache, 2)).isEqualTo(40);
        assertThat(IsrExpansionTrigger.epochStartOffset(cache, 3)).isEqualTo(-1);
    }

    @Test
    void queueSeedsReachBothMoments() {
        RunSpec spec = new RunSpec("queue", Map.of(), Set.of(), FaultPlan.Profile.SWARM);
        long expanded = 0;
        long expanding = 0;
        int replayed = 0;
        for (long seed = 0; seed < 200 && (expanded == 0 || expanding == 0); seed++) {
            SeedResult r = SeedRunner.run(spec, seed);
            long e1 = r.counters().getOrDefault("fault.trigger." + IsrExpansionTrigger.NAME, 0L);
            long e2 = r.counters().getOrDefault("fault.trigger." + IsrExpansionTrigger.PROPOSED, 0L);
            assertThat(r.passed()).as("seed %d: %s", seed, r.findings()).isTrue();
            if ((e1 > 0 && expanded == 0) || (e2 > 0 && expanding == 0)) {
                // a triggered fault is recorded like any other: its schedule replays the run bit for bit
                FaultSchedule recorded = FaultSchedule.parse("recorded", r.faultSchedule());
                assertThat(SeedRunner.run(spec.withSchedule(recorded), seed).traceHash()).as("seed %d replayed", seed).isEqualTo(r.traceHash());
                replayed++;
            }
            expanded += e1;
            expanding += e2;
        }
        assertThat(replayed).isPositive();
        assertThat(expanded).as("some seed hits a leader right after the controller took an ISR expansion under a lagging HW").isPositive();
        assertThat(expanding).as("some seed cuts the link from such a leader to the replica it proposes").isPositive();
    }

    @Test
    void withoutFaultsNothingIsTriggered() {
        RunSpec spec = new RunSpec("queue", Map.of(), Set.of(), FaultPlan.Profile.NONE);
        for (long seed = 0; seed < 3; seed++) {
            assertThat(SeedRunner.run(spec, seed).counters()).doesNotContainKey("fault.trigger." + IsrExpansionTrigger.NAME);
        }
    }
}
