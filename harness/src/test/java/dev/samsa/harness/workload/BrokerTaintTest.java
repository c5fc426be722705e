package dev.samsa.harness.workload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.samsa.harness.sim.CrashKind;
import dev.samsa.harness.sim.Role;
import dev.samsa.harness.sim.Simulation;
import dev.samsa.harness.sim.TraceSink;
import dev.samsa.impl.metadata.ClusterImage;
import dev.samsa.impl.metadata.PartitionRecord;
import dev.samsa.impl.metadata.TopicRecord;
import dev.samsa.impl.node.Message;
import dev.samsa.impl.node.Node;
import dev.samsa.impl.node.Timer;
import dev.samsa.impl.protocol.TopicPartition;
import dev.samsa.spec.bugs.Bug;
import dev.samsa.spec.config.Settings;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The durability budget, with min.insync.replicas=2: one broker may be tainted at a time, and a tainted sole leader ends the promise. */
class BrokerTaintTest {

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

    final Simulation sim = new Simulation(1, Settings.defaults(), EnumSet.noneOf(Bug.class), TraceSink.NONE, false);
    /** What the controller's image says; empty = no live controller caught up. */
    Optional<ClusterImage> image = Optional.empty();
    final BrokerTaint taint;

    BrokerTaintTest() {
        for (int id = 0; id < 3; id++) {
            sim.addNode(id, "broker-" + id, Role.BROKER, ctx -> new Idle());
        }
        taint = new BrokerTaint(sim, List.of(0, 1, 2), () -> image);
    }

    static ClusterImage soleLeaderImage(int leader) {
        ClusterImage img = new ClusterImage();
        img.apply(0, new TopicRecord("t", 1));
        img.apply(1, new PartitionRecord(new TopicPartition("t", 0), List.of(0, 1, 2), List.of(leader), leader, 1, 1));
        return img;
    }

    @Test
    void aCleanKillTaintsNobody() {
        sim.crash(0, CrashKind.KILL);
        taint.update();
        assertThat(taint.isTainted(0)).isFalse();
        assertThat(taint.allowsLossyCrash(1)).isTrue();
        assertThat(taint.budgetExceeded()).isFalse();
        assertThat(taint.whyNotDurable()).isEmpty();
    }

    @Test
    void aPowerLossTaintsTheBrokerAndSpendsTheBudget() {
        sim.crash(0, CrashKind.POWER_LOSS);
        taint.update();
        assertThat(taint.isTainted(0)).isTrue();
        assertThat(taint.isTainted(1)).isFalse();
        assertThat(taint.allowsLossyCrash(1)).isFalse();
        assertThat(taint.allowsLossyCrash(0)).isTrue(); // losing again only what it already lost
        assertThat(taint.budgetExceeded()).isFalse();
        assertThat(taint.whyNotDurable()).isEmpty();
    }

    @Test
    void aSecondLossyCrashExceedsTheBudget() {
        sim.crash(0, CrashKind.POWER_LOSS);
        taint.update();
        sim.crash(1, CrashKind.WIPE);
        taint.update();
        assertThat(taint.budgetExceeded()).isTrue();
        assertThat(taint.lastReplicaStanding()).isFalse();
        assertThat(taint.whyNotDurable()).contains("min.insync.replicas-1=1");
    }

    @Test
    void aTaintedSoleLeaderIsTheLastReplicaStanding() {
        sim.crash(0, CrashKind.POWER_LOSS);
        taint.update();
        image = Optional.of(soleLeaderImage(0));
        taint.update();
        assertThat(taint.lastReplicaStanding()).isTrue();
        assertThat(taint.budgetExceeded()).isTrue();
        assertThat(taint.whyNotDurable()).startsWith("last replica standing");
    }

    @Test
    void anUntaintedSoleLeaderIsNot() {
        sim.crash(0, CrashKind.POWER_LOSS);
        taint.update();
        image = Optional.of(soleLeaderImage(1));
        taint.update();
        assertThat(taint.lastReplicaStanding()).isFalse();
        assertThat(taint.budgetExceeded()).isFalse();
        assertThat(taint.whyNotDurable()).isEmpty();
    }
}
