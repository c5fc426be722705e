package dev.samsa.harness.workload.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.samsa.harness.fault.FaultPlan;
import dev.samsa.harness.fault.FaultSchedule;
import dev.samsa.harness.run.RunSpec;
import dev.samsa.harness.run.SeedResult;
import dev.samsa.harness.run.SeedRunner;
import dev.samsa.spec.bugs.Bug;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The queue workload's KAFKA-14139 triggers, on the seed that first finds the flag. */
class ParkedFetchTriggerTest {

    static final long SEED = 243;

    @Test
    void theFirstFailingSeedReachesBothMomentsAndReplaysFromItsRecordedSchedule() {
        RunSpec spec = new RunSpec("queue", Map.of(), Set.of(Bug.KAFKA_14139), FaultPlan.Profile.SWARM);
        SeedResult r = SeedRunner.run(spec, SEED);
        assertThat(r.counters()).containsKey("fault.trigger." + ParkedFetchTrigger.PARKED).containsKey("fault.trigger." + ParkedFetchTrigger.STALE);
        assertThat(r.reachedPaths()).as("the previous incarnation's parked fetch completed after it re-registered")
                .containsKey("fetch.follower-completed-after-re-registration");
        assertThat(r.passed()).isFalse();
        // the triggered faults are recorded like any other: the schedule replays the run bit for bit
        FaultSchedule recorded = FaultSchedule.parse("recorded", r.faultSchedule());
        assertThat(SeedRunner.run(spec.withSchedule(recorded), SEED).traceHash()).isEqualTo(r.traceHash());
    }

    @Test
    void withoutFaultsNothingIsTriggered() {
        RunSpec spec = new RunSpec("queue", Map.of(), Set.of(), FaultPlan.Profile.NONE);
        for (long seed = 0; seed < 2; seed++) {
            assertThat(SeedRunner.run(spec, seed).counters()).doesNotContainKey("fault.trigger." + ParkedFetchTrigger.PARKED)
                    .doesNotContainKey("fault.trigger." + ParkedFetchTrigger.STALE);
        }
    }
}
