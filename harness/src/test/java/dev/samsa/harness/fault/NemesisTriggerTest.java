package dev.samsa.harness.fault;

import static org.assertj.core.api.Assertions.assertThat;

import dev.samsa.harness.sim.Role;
import dev.samsa.harness.sim.Simulation;
import dev.samsa.harness.sim.Simulation.NodeState;
import dev.samsa.harness.sim.TraceSink;
import dev.samsa.impl.node.Message;
import dev.samsa.impl.node.Node;
import dev.samsa.impl.node.Timer;
import dev.samsa.spec.bugs.Bug;
import dev.samsa.spec.config.Settings;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A {@link FaultTrigger} strikes its node at once when the plan allows it, and does nothing otherwise. */
class NemesisTriggerTest {

    static final long SECOND = 1_000_000_000L;
    static final FaultTrigger LEADER_1 = FaultTrigger.node("isr-expanded", 1, "test");

    /** A server that does nothing: the test only looks at its state. */
    static final class Idle implements Node {
        @Override
        public void onStart() {}

        @Override
        public void onMessage(int from, Message message) {}

        @Override
        public void onTimer(Timer timer) {}

        @Override
        public void onDisconnect(int peer) {}
    }

    static Simulation sim() {
        Simulation sim = new Simulation(7, Settings.defaults(), EnumSet.noneOf(Bug.class), TraceSink.NONE, false);
        sim.addNode(1, "broker-1", Role.BROKER, ctx -> new Idle());
        sim.addNode(2, "broker-2", Role.BROKER, ctx -> new Idle());
        sim.addNode(100, "client", Role.CLIENT, ctx -> new Idle());
        return sim;
    }

    /** A plan with only {@code families} on, each so rare (1000 s) that no periodic draw lands in the test. */
    static FaultPlan plan(double targeted, FaultFamily... families) {
        EnumMap<FaultFamily, Long> on = new EnumMap<>(FaultFamily.class);
        for (FaultFamily f : families) {
            on.put(f, 1_000_000L);
        }
        return new FaultPlan("test", on, targeted, 0.0, false);
    }

    static Nemesis started(Simulation sim, FaultPlan plan, FaultBudget budget, Optional<FaultSchedule> schedule) {
        Nemesis n = new Nemesis(sim, plan, TargetOracle.NONE, budget, schedule);
        sim.runUntil(SECOND);
        n.start(20 * SECOND);
        return n;
    }

    @Test
    void aTriggerKillsItsNodeOneMicrosecondLaterAndIsCountedAndRecorded() {
        Simulation sim = sim();
        Nemesis n = started(sim, plan(1.0, FaultFamily.KILL), FaultBudget.ANYTHING, Optional.empty());
        assertThat(n.trigger(LEADER_1)).isTrue();
        assertThat(sim.state(1)).as("not during the event that revealed the moment").isEqualTo(NodeState.UP);
        sim.runUntil(SECOND + 1_000);
        assertThat(sim.state(1)).isEqualTo(NodeState.DOWN);
        assertThat(sim.state(2)).isEqualTo(NodeState.UP);
        assertThat(sim.counters()).containsEntry("fault.kill", 1L).containsEntry("fault.kill.targeted", 1L).containsEntry("fault.trigger.isr-expanded", 1L);
        assertThat(n.recorded()).hasSize(1);
        assertThat(n.recorded().get(0).kind()).isEqualTo(FaultEvent.Kind.KILL);
        assertThat(n.recorded().get(0).nodes()).containsExactly(1);
        assertThat(n.recorded().get(0).atNanos()).isEqualTo(SECOND + 1_000);
        sim.runUntil(12 * SECOND);
        assertThat(sim.state(1)).as("restarted after its outage").isEqualTo(NodeState.UP);
    }

    @Test
    void aQuickPowerLossTriggerPowersTheNodeOffAndRestartsItWithinTheFetchWait() {
        Simulation sim = sim();
        Nemesis n = started(sim, plan(1.0, FaultFamily.KILL, FaultFamily.POWER_LOSS), FaultBudget.ANYTHING, Optional.empty());
        assertThat(n.trigger(FaultTrigger.quickPowerLoss("fetch-parked", 1, 200, "test"))).isTrue();
        sim.runUntil(SECOND + 1_000);
        assertThat(sim.state(1)).isEqualTo(NodeState.DOWN);
        assertThat(sim.counters()).containsEntry("fault.power-loss.targeted", 1L).containsEntry("fault.trigger.fetch-parked", 1L)
                .doesNotContainKey("fault.kill.targeted");
        assertThat(n.recorded().get(0).kind()).isEqualTo(FaultEvent.Kind.POWER_LOSS);
        sim.runUntil(SECOND + 201_000_000L);
        assertThat(sim.state(1)).as("back within 200 ms").isEqualTo(NodeState.UP);
    }

    @Test
    void aQuickPowerLossTriggerDoesNothingWithoutPowerLossInThePlan() {
        Simulation sim = sim();
        Nemesis n = started(sim, plan(1.0, FaultFamily.KILL, FaultFamily.PAUSE), FaultBudget.ANYTHING, Optional.empty());
        assertThat(n.trigger(FaultTrigger.quickPowerLoss("fetch-parked", 1, 200, "test"))).isFalse();
        sim.runUntil(SECOND + 1_000);
        assertThat(sim.state(1)).isEqualTo(NodeState.UP);
    }

    @Test
    void withoutKillsOrPowerLossATriggerIsolatesTheNode() {
        Simulation sim = sim();
        Nemesis n = started(sim, plan(1.0, FaultFamily.PARTITION, FaultFamily.CLOG), FaultBudget.ANYTHING, Optional.empty());
        assertThat(n.trigger(LEADER_1)).isTrue();
        sim.runUntil(SECOND + 1_000);
        assertThat(sim.state(1)).isEqualTo(NodeState.UP);
        assertThat(sim.counters()).containsEntry("fault.partition.isolate", 1L).containsEntry("fault.partition.targeted", 1L);
        assertThat(n.recorded().get(0).variant()).isEqualTo(FaultEvent.Variant.ISOLATE);
    }

    @Test
    void aTriggerAimedAtALinkCutsItOneWayDroppingWhatIsInFlight() {
        Simulation sim = sim();
        Nemesis n = started(sim, plan(1.0, FaultFamily.PARTITION, FaultFamily.KILL), FaultBudget.ANYTHING, Optional.empty());
        assertThat(n.trigger(FaultTrigger.link("isr-expanding", 1, 2, "test"))).isTrue();
        sim.runUntil(SECOND + 1_000);
        assertThat(sim.state(1)).as("a link trigger leaves the node up").isEqualTo(NodeState.UP);
        assertThat(sim.counters()).containsEntry("fault.partition.one-way", 1L).containsEntry("fault.trigger.isr-expanding", 1L);
        FaultEvent e = n.recorded().get(0);
        assertThat(e.variant()).isEqualTo(FaultEvent.Variant.ONE_WAY);
        assertThat(e.nodes()).containsExactly(1);
        assertThat(e.others()).containsExactly(2);
    }

    @Test
    void withoutPartitionsALinkTriggerCrashesTheReceivingEnd() {
        Simulation sim = sim();
        Nemesis n = started(sim, plan(1.0, FaultFamily.KILL, FaultFamily.CLOG), FaultBudget.ANYTHING, Optional.empty());
        assertThat(n.trigger(FaultTrigger.link("isr-expanding", 1, 2, "test"))).isTrue();
        sim.runUntil(SECOND + 1_000);
        assertThat(sim.state(1)).isEqualTo(NodeState.UP);
        assertThat(sim.state(2)).isEqualTo(NodeState.DOWN);
    }

    @Test
    void aLinkTriggerDoesNothingWithOnlyClogs() {
        Simulation sim = sim();
        Nemesis n = started(sim, plan(1.0, FaultFamily.CLOG), FaultBudget.ANYTHING, Optional.empty());
        assertThat(n.trigger(FaultTrigger.link("isr-expanding", 1, 2, "test"))).isFalse();
        sim.runUntil(2 * SECOND);
        assertThat(n.recorded()).isEmpty();
    }

    @Test
    void aTriggerDoesNothingWhenThePlanAimsNoFaults() {
        Simulation sim = sim();
        Nemesis n = started(sim, plan(0.0, FaultFamily.KILL), FaultBudget.ANYTHING, Optional.empty());
        assertThat(n.trigger(LEADER_1)).isFalse();
        sim.runUntil(2 * SECOND);
        assertThat(sim.state(1)).isEqualTo(NodeState.UP);
        assertThat(n.recorded()).isEmpty();
    }

    @Test
    void aTriggerDoesNothingWithoutAFamilyThatCanTakeTheNodeOut() {
        Simulation sim = sim();
        Nemesis n = started(sim, plan(1.0, FaultFamily.CLOG, FaultFamily.WIPE), FaultBudget.ANYTHING, Optional.empty());
        assertThat(n.trigger(LEADER_1)).isFalse();
        assertThat(n.recorded()).isEmpty();
    }

    @Test
    void aTriggerRespectsTheBudget() {
        Simulation sim = sim();
        FaultBudget noKillsOf1 = (family, id, s) -> !(family == FaultFamily.KILL && id == 1);
        Nemesis n = started(sim, plan(1.0, FaultFamily.KILL, FaultFamily.PAUSE), noKillsOf1, Optional.empty());
        assertThat(n.trigger(LEADER_1)).isTrue();
        sim.runUntil(SECOND + 1_000);
        assertThat(sim.state(1)).as("the budget forbids the kill: the next family, pause").isEqualTo(NodeState.PAUSED);
    }

    @Test
    void aTriggerDoesNothingOutsideTheFaultPhaseOrWhileTheNodeIsDown() {
        Simulation sim = sim();
        Nemesis n = new Nemesis(sim, plan(1.0, FaultFamily.KILL), TargetOracle.NONE, FaultBudget.ANYTHING);
        assertThat(n.trigger(LEADER_1)).as("before the fault phase").isFalse();
        n.start(20 * SECOND);
        sim.crash(1, dev.samsa.harness.sim.CrashKind.KILL);
        assertThat(n.trigger(LEADER_1)).as("its node is down").isFalse();
        n.heal();
        assertThat(n.trigger(FaultTrigger.node("isr-expanded", 2, "test"))).as("after heal").isFalse();
    }

    @Test
    void aReplayedScheduleIgnoresTriggers() {
        Simulation sim = sim();
        FaultSchedule empty = FaultSchedule.of(SECOND, List.of());
        Nemesis n = started(sim, plan(1.0, FaultFamily.KILL), FaultBudget.ANYTHING, Optional.of(empty));
        assertThat(n.trigger(LEADER_1)).isFalse();
        sim.runUntil(2 * SECOND);
        assertThat(sim.state(1)).isEqualTo(NodeState.UP);
    }

    @Test
    void oneTriggeredFaultAtATime() {
        Simulation sim = sim();
        Nemesis n = started(sim, plan(1.0, FaultFamily.KILL), FaultBudget.ANYTHING, Optional.empty());
        assertThat(n.trigger(LEADER_1)).isTrue();
        assertThat(n.trigger(FaultTrigger.node("isr-expanded", 2, "test"))).isFalse();
        sim.runUntil(SECOND + 1_000);
        assertThat(sim.state(2)).isEqualTo(NodeState.UP);
        assertThat(n.trigger(FaultTrigger.node("isr-expanded", 2, "test"))).isTrue();
    }
}
