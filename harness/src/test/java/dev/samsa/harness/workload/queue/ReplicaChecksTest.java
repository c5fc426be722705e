package dev.samsa.harness.workload.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.samsa.harness.sim.Simulation;
import dev.samsa.harness.sim.TraceSink;
import dev.samsa.harness.sim.Violation;
import dev.samsa.impl.broker.BrokerNode;
import dev.samsa.impl.controller.ControllerNode;
import dev.samsa.impl.log.Record;
import dev.samsa.impl.log.RecordBatch;
import dev.samsa.impl.log.UnifiedLog;
import dev.samsa.impl.metadata.ClusterImage;
import dev.samsa.impl.metadata.PartitionChangeRecord;
import dev.samsa.impl.metadata.PartitionRegistration;
import dev.samsa.impl.replication.Partition;
import dev.samsa.spec.bugs.Bug;
import dev.samsa.spec.config.Settings;
import dev.samsa.spec.invariant.Invariant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Each replica invariant, on a real fault-free queue cluster: quiet on its healthy state, and
 * firing once a follower's log or high watermark is corrupted behind its back (or, for the
 * end-state check, once the image says a partition is offline or an ISR member lacks data).
 */
class ReplicaChecksTest {

    static final List<Integer> BROKERS = List.of(0, 1, 2);

    final Simulation sim = new Simulation(3, Settings.defaults(), EnumSet.noneOf(Bug.class), TraceSink.NONE, false);
    final ReplicaChecks checks;

    ReplicaChecksTest() {
        new QueueWorkload().start(sim);
        sim.runUntil(6_000_000_000L);
        checks = new ReplicaChecks(sim, BROKERS, () -> "");
        checks.afterEvent();
    }

    List<Invariant> violated() {
        return sim.violations().stream().map(Violation::invariant).toList();
    }

    ClusterImage image() {
        return ((ControllerNode) sim.node(QueueWorkload.FIRST_CONTROLLER_ID).orElseThrow()).image().copy();
    }

    /** A partition with data committed on its leader, and one of its in-sync followers. */
    record Pick(PartitionRegistration reg, Partition leader, Partition follower, int followerId) {}

    Pick pick() {
        for (PartitionRegistration reg : image().partitions().values()) {
            if (!reg.hasLeader() || reg.isr().size() < 2) {
                continue;
            }
            Partition leader = checks.partitionOn(reg.leader(), reg.tp()).orElseThrow();
            int f = reg.isr().stream().filter(id -> id != reg.leader()).findFirst().orElseThrow();
            Partition follower = checks.partitionOn(f, reg.tp()).orElseThrow();
            if (leader.log().highWatermark() >= 3 && follower.log().highWatermark() >= 3) {
                return new Pick(reg, leader, follower, f);
            }
        }
        throw new AssertionError("no partition with committed data and an in-sync follower after 6 s");
    }

    /** Replaces everything from {@code from} on in {@code log} by batches of one forged record each, in the same epochs. */
    static void forge(UnifiedLog log, long from) {
        List<RecordBatch> original = new ArrayList<>();
        for (RecordBatch b : log.allBatches()) {
            if (b.nextOffset() > from) {
                original.add(b);
            }
        }
        if (original.isEmpty()) {
            // everything the follower holds is committed (the workload may be between sends): forge one record past its end
            List<RecordBatch> all = new ArrayList<>(log.allBatches());
            long hw = log.highWatermark();
            long end = log.logEndOffset();
            log.appendAsFollower(List.of(RecordBatch.of(List.of(new Record(null, "forged-" + end, 0)))
                    .assign(end, all.get(all.size() - 1).partitionLeaderEpoch())), 0);
            log.updateHighWatermark(hw);
            return;
        }
        long start = original.get(0).baseOffset();
        long end = log.logEndOffset();
        long hw = log.highWatermark();
        log.truncateTo(start);
        List<RecordBatch> forged = new ArrayList<>();
        int epoch = original.get(0).partitionLeaderEpoch();
        for (long o = start; o < end; o++) {
            forged.add(RecordBatch.of(List.of(new Record(null, "forged-" + o, 0))).assign(o, epoch));
        }
        log.appendAsFollower(forged, 0);
        log.updateHighWatermark(hw);
    }

    @Test
    void aHealthyClusterViolatesNothing() {
        checks.afterEvent();
        checks.atEnd(image());
        assertThat(sim.violations()).isEmpty();
    }

    @Test
    void aHighWatermarkThatGoesBackIsCaught() {
        Pick p = pick();
        p.follower().log().updateHighWatermark(p.follower().log().highWatermark() - 1);
        checks.afterEvent();
        assertThat(violated()).containsExactly(Invariant.REPLICA_HW_MONOTONIC);
    }

    @Test
    void aDifferentRecordBelowTheHighWatermarkIsCaught() {
        Pick p = pick();
        UnifiedLog fl = p.follower().log();
        long hw = fl.highWatermark();
        // forge what the follower holds from its HW on, then let it claim one forged offset as committed
        forge(fl, hw);
        checks.afterEvent();
        assertThat(sim.violations()).isEmpty(); // uncommitted on the follower: nothing to compare yet
        fl.updateHighWatermark(Math.min(hw + 1, fl.logEndOffset()));
        assertThat(fl.highWatermark()).isGreaterThan(hw);
        checks.afterEvent();
        if (p.leader().log().highWatermark() <= hw) {
            sim.runUntil(sim.nowNanos() + 2_000_000_000L); // the leader commits its own record there
            checks.afterEvent();
        }
        assertThat(violated()).contains(Invariant.REPLICA_COMMITTED_CONSISTENT);
    }

    @Test
    void theLiveChecksOfTheWorkloadFireOnAForgedCommittedRecord() {
        Pick p = pick();
        UnifiedLog fl = p.follower().log();
        long hw = fl.highWatermark();
        forge(fl, hw);
        fl.updateHighWatermark(Math.min(hw + 1, fl.logEndOffset()));
        sim.runUntil(sim.nowNanos() + 3_000_000_000L);
        assertThat(violated()).contains(Invariant.REPLICA_COMMITTED_CONSISTENT);
    }

    @Test
    void anOfflinePartitionAtTheEndIsCaught() {
        ClusterImage img = image();
        PartitionRegistration reg = img.partitions().firstEntry().getValue();
        img.apply(img.appliedOffset() + 1, new PartitionChangeRecord(reg.tp(), -1, reg.isr(), reg.leaderEpoch() + 1, reg.partitionEpoch() + 1, false));
        checks.atEnd(img);
        assertThat(violated()).containsExactly(Invariant.REPLICA_ISR_CONSISTENT);
        assertThat(sim.violations().get(0).evidence()).contains("has no leader");
    }

    @Test
    void anInSyncReplicaMissingCommittedDataAtTheEndIsCaught() {
        Pick p = pick();
        p.follower().log().truncateTo(1);
        checks.atEnd(image());
        assertThat(violated()).containsExactly(Invariant.REPLICA_ISR_CONSISTENT);
        assertThat(sim.violations().get(0).evidence()).contains("in-sync replica " + p.followerId() + " ends at");
    }

    @Test
    void anInSyncReplicaWithDifferentCommittedDataAtTheEndIsCaught() {
        Pick p = pick();
        forge(p.follower().log(), 0);
        checks.atEnd(image());
        assertThat(violated()).containsExactly(Invariant.REPLICA_ISR_CONSISTENT);
        assertThat(sim.violations().get(0).evidence()).contains("forged-");
    }
}
