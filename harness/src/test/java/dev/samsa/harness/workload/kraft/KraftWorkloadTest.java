package dev.samsa.harness.workload.kraft;

import static org.assertj.core.api.Assertions.assertThat;

import dev.samsa.harness.fault.FaultPlan;
import dev.samsa.harness.run.RunSpec;
import dev.samsa.harness.run.SeedResult;
import dev.samsa.harness.run.SeedRunner;
import dev.samsa.harness.sim.CrashKind;
import dev.samsa.harness.sim.SimDisk;
import dev.samsa.harness.sim.Simulation;
import dev.samsa.harness.sim.TraceSink;
import dev.samsa.harness.sim.Violation;
import dev.samsa.impl.metadata.ClientRecord;
import dev.samsa.impl.raft.LogEntry;
import dev.samsa.spec.bugs.Bug;
import dev.samsa.spec.config.Settings;
import dev.samsa.spec.invariant.Invariant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KraftWorkloadTest {

    /** Shorter phases keep the suite fast; the campaign runs the full length. */
    static final Map<String, String> SHORT = Map.of("sim.faults.ms", "20000");

    static RunSpec spec(FaultPlan.Profile faults, Set<Bug> bugs) {
        return new RunSpec("kraft", SHORT, bugs, faults);
    }

    @Test
    void seedsPassUnderSwarmFaults() {
        for (long seed = 0; seed < 20; seed++) {
            SeedResult r = SeedRunner.run(spec(FaultPlan.Profile.SWARM, Set.of()), seed);
            assertThat(r.passed()).as("seed %d: %s", seed, r.findings()).isTrue();
            assertThat(r.stats().getOrDefault("write.ok", 0L)).as("seed %d makes progress", seed).isPositive();
        }
    }

    @Test
    void tornWritesAndPowerLossAreSurvived() {
        long torn = 0;
        for (long seed = 0; seed < 10; seed++) {
            SeedResult r = SeedRunner.run(spec(FaultPlan.Profile.POWER, Set.of()), seed);
            assertThat(r.passed()).as("seed %d: %s", seed, r.findings()).isTrue();
            torn += r.counters().getOrDefault("fault.power-loss-torn", 0L);
        }
        assertThat(torn).as("some power losses tore a write").isPositive();
    }

    @Test
    void theCheckQuorumBugIsFoundAndTheSameSeedPassesWithTheFix() {
        RunSpec buggy = spec(FaultPlan.Profile.SWARM, Set.of(Bug.KAFKA_15489));
        for (long seed = 0; seed < 200; seed++) {
            SeedResult r = SeedRunner.run(buggy, seed);
            if (!r.passed()) {
                assertThat(r.findings()).extracting(SeedResult.Finding::invariant).contains(Invariant.KRAFT_LEADER_RESIGNS.id());
                SeedResult fixed = SeedRunner.run(spec(FaultPlan.Profile.SWARM, Set.of()), seed);
                assertThat(fixed.passed()).as("seed %d without the bug: %s", seed, fixed.findings()).isTrue();
                return;
            }
        }
        throw new AssertionError("KAFKA-15489 was not found in 200 seeds");
    }

    @Test
    void aControllerWhoseCommittedEntryIsCorruptedOnDiskIsCaught() {
        Simulation sim = new Simulation(5, Settings.defaults(), EnumSet.noneOf(Bug.class), TraceSink.NONE, false);
        new KraftWorkload().start(sim);
        sim.runUntil(8_000_000_000L);
        // pick a follower and rewrite one committed client record on its disk, behind its back
        int victim = -1;
        for (int id : List.of(3000, 3001, 3002)) {
            if (KraftChecks.view(sim, id).orElseThrow().role() != dev.samsa.impl.raft.RaftRole.LEADER) {
                victim = id;
                break;
            }
        }
        sim.crash(victim, CrashKind.KILL);
        SimDisk disk = sim.disk(victim);
        List<Object> entries = disk.readAll("metadata-log");
        int target = -1;
        for (int i = entries.size() / 2; i < entries.size(); i++) {
            if (((LogEntry) entries.get(i)).record() instanceof ClientRecord) {
                target = i;
                break;
            }
        }
        assertThat(target).isPositive();
        LogEntry original = (LogEntry) entries.get(target);
        disk.truncate("metadata-log", target);
        disk.append("metadata-log", new LogEntry(original.offset(), original.epoch(), new ClientRecord(-42, 9, "forged")), 40);
        for (int i = target + 1; i < entries.size(); i++) {
            disk.append("metadata-log", entries.get(i), 40);
        }
        disk.fsync("metadata-log");
        sim.restart(victim);
        sim.runUntil(20_000_000_000L);
        assertThat(sim.violations()).extracting(Violation::invariant).contains(Invariant.KRAFT_COMMITTED_CONSISTENT);
    }

    @Test
    void theSameSeedReplaysToTheSameTraceHash() {
        RunSpec s = spec(FaultPlan.Profile.SWARM, Set.of());
        assertThat(SeedRunner.run(s, 77).traceHash()).isEqualTo(SeedRunner.run(s, 77).traceHash());
        assertThat(SeedRunner.run(s, 77).traceHash()).isNotEqualTo(SeedRunner.run(s, 78).traceHash());
    }
}
