package dev.samsa.harness.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.samsa.harness.fault.FaultEvent;
import dev.samsa.harness.fault.FaultPlan;
import dev.samsa.harness.fault.FaultSchedule;
import dev.samsa.harness.sim.CrashKind;
import dev.samsa.harness.sim.TraceSink;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScheduleReplayTest {

    static final RunSpec SHORT_SWARM = new RunSpec("kraft", Map.of("sim.faults.ms", "15000"), Set.of(), FaultPlan.Profile.SWARM);

    @Test
    void aRecordedScheduleReplaysBitForBit() {
        int faults = 0;
        for (long seed = 0; seed < 6; seed++) {
            SeedResult drawn = SeedRunner.run(SHORT_SWARM, seed);
            FaultSchedule recorded = FaultSchedule.parse("recorded", drawn.faultSchedule());
            faults += recorded.faultCount();
            SeedResult replayed = SeedRunner.run(SHORT_SWARM.withSchedule(recorded), seed);
            assertThat(replayed.traceHash()).as("seed %d", seed).isEqualTo(drawn.traceHash());
            assertThat(replayed.faultSchedule()).isEqualTo(drawn.faultSchedule());
            assertThat(replayed.events()).isEqualTo(drawn.events());
        }
        assertThat(faults).isGreaterThan(20);
    }

    @Test
    void aFailingSeedReplaysToTheSameFailureAndDropingAFaultChangesTheRun() {
        long seed = FailingSeeds.kraft15489();
        RunSpec spec = FailingSeeds.kraft15489Spec();
        SeedResult drawn = SeedRunner.run(spec, seed);
        FaultSchedule recorded = FaultSchedule.parse("recorded", drawn.faultSchedule());
        SeedResult replayed = SeedRunner.run(spec.withSchedule(recorded), seed);
        assertThat(replayed.traceHash()).isEqualTo(drawn.traceHash());
        assertThat(replayed.violatedInvariants()).isEqualTo(drawn.violatedInvariants()).isNotEmpty();

        List<FaultEvent> fewer = new ArrayList<>(recorded.events());
        fewer.remove(fewer.stream().filter(FaultEvent::isFault).findFirst().orElseThrow());
        SeedResult without = SeedRunner.run(spec.withSchedule(recorded.withEvents(fewer)), seed);
        assertThat(without.traceHash()).isNotEqualTo(drawn.traceHash());
    }

    @Test
    void faultsComeFromTheirOwnStream() {
        // No faults drawn and an empty schedule must be the same run: the schedule touches no other randomness.
        RunSpec none = new RunSpec("kraft", Map.of("sim.faults.ms", "5000"), Set.of(), FaultPlan.Profile.NONE);
        FaultSchedule empty = FaultSchedule.of(5_000_000_000L, List.of());
        assertThat(SeedRunner.run(none.withSchedule(empty), 3).traceHash()).isEqualTo(SeedRunner.run(none, 3).traceHash());
        // ...and a schedule with a fault is not.
        FaultSchedule one = FaultSchedule.of(5_000_000_000L, List.of(FaultEvent.crash(6_000_000_000L, CrashKind.KILL, 3000, 7_000_000_000L)));
        SeedResult killed = SeedRunner.run(none.withSchedule(one), 3);
        assertThat(killed.traceHash()).isNotEqualTo(SeedRunner.run(none, 3).traceHash());
        assertThat(killed.counters()).containsEntry("fault.kill", 1L);
    }

    @Test
    void anEventWhoseTargetIsNotReadyIsSkippedAndRecordedAsNone() {
        RunSpec none = new RunSpec("kraft", Map.of("sim.faults.ms", "5000"), Set.of(), FaultPlan.Profile.NONE);
        long s = 1_000_000_000L;
        FaultSchedule twice = FaultSchedule.of(5 * s, List.of(
                FaultEvent.crash(6 * s, CrashKind.KILL, 3000, 8 * s),
                FaultEvent.pause(7 * s, 3000, 9 * s), // still down: skipped
                FaultEvent.pause(9 * s, 3000, 9 * s + 1))); // restarted at 8 s: injected
        SeedResult r = SeedRunner.run(none.withSchedule(twice), 3);
        assertThat(r.counters()).containsEntry("fault.kill", 1L).containsEntry("fault.pause", 1L).containsEntry("fault.pause.skipped", 1L);
        assertThat(r.faultSchedule()).containsExactly("faults-start 5.000000000", "6.000000000 kill node=3000 until=8.000000000",
                "7.000000000 none family=pause", "9.000000000 pause node=3000 until=9.000000001");
    }

    @Test
    void aScheduleMovesWithTheWarmUp() {
        RunSpec none = new RunSpec("kraft", Map.of("sim.faults.ms", "5000", "sim.warmup.ms", "2000"), Set.of(), FaultPlan.Profile.NONE);
        long s = 1_000_000_000L;
        FaultSchedule at5 = FaultSchedule.of(5 * s, List.of(FaultEvent.crash(6 * s, CrashKind.KILL, 3000, 8 * s)));
        SeedResult r = SeedRunner.run(none.withSchedule(at5), 3);
        assertThat(r.faultSchedule()).containsExactly("faults-start 2.000000000", "3.000000000 kill node=3000 until=5.000000000");
    }

    @Test
    void aFailingSeedsFolderHasItsFaultsAsAReplayableSchedule(@TempDir Path tmp) {
        long seed = FailingSeeds.kraft15489();
        RunSpec spec = FailingSeeds.kraft15489Spec();
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        int code = new Campaign(new Campaign.Options(spec, SeedRange.parse(seed + ".." + seed), 1, 1, tmp, 0, false, quiet, quiet)).run();
        assertThat(code).isEqualTo(1);
        FaultSchedule faults = FaultSchedule.read(tmp.resolve("seed-" + seed).resolve("faults.txt"));
        SeedResult original = SeedRunner.run(spec, seed, TraceSink.NONE, false);
        assertThat(faults.lines()).isEqualTo(original.faultSchedule());
        assertThat(SeedRunner.run(spec.withSchedule(faults), seed).traceHash()).isEqualTo(original.traceHash());
    }
}
