package dev.samsa.impl.replication;

import static dev.samsa.impl.replication.ReplicaFixture.TP;
import static org.assertj.core.api.Assertions.assertThat;

import dev.samsa.impl.controller.ControllerMessage.AlterPartitionRequest;
import dev.samsa.impl.controller.ControllerMessage.BrokerState;
import dev.samsa.spec.bugs.Bug;
import java.util.List;
import org.junit.jupiter.api.Test;

/** ISR shrink and expansion on the leader, and which follower fetches count (KIP-903). */
class IsrTest {

    static List<Integer> proposedIsr(ReplicaFixture f) {
        assertThat(f.toController).as("an AlterPartition was sent").isNotEmpty();
        return ((AlterPartitionRequest) f.toController.get(f.toController.size() - 1)).newIsr().stream().map(BrokerState::brokerId).toList();
    }

    @Test
    void aFollowerThatStopsFetchingLeavesTheIsrAfterReplicaLagTimeMax() {
        ReplicaFixture f = PartitionTest.leader(List.of(0, 1, 2));
        f.produce((short) 1, TP, "a");
        for (long ms = 1_000; ms <= 45_000; ms += 1_000) {
            f.advanceToMs(ms);
            f.followerFetch(1, TP, 1, 0); // broker 1 keeps up, broker 2 never fetches
            if (ms == 30_000) {
                assertThat(f.toController).as("not yet lagging for more than 30 s").isEmpty();
            }
        }
        assertThat(proposedIsr(f)).containsExactly(0, 1);
    }

    /** Broker 0 leads with ISR [0, 1]; broker 2 is out and the HW is at 2. */
    static ReplicaFixture leaderWithBroker2Out(Bug... bugs) {
        ReplicaFixture f = PartitionTest.leader(List.of(0, 1), bugs);
        f.produce((short) 1, TP, "a");
        f.produce((short) 1, TP, "b");
        f.followerFetch(1, TP, 2, 0);
        assertThat(f.partition(TP).log().highWatermark()).isEqualTo(2);
        return f;
    }

    @Test
    void aFollowerJoinsTheIsrOnceItReachesTheHighWatermark() {
        ReplicaFixture f = leaderWithBroker2Out();
        f.followerFetch(2, TP, 1, 0);
        assertThat(f.toController).isEmpty();
        f.followerFetch(2, TP, 2, 0);
        assertThat(proposedIsr(f)).containsExactly(0, 1, 2);
    }

    /** A new leader of epoch 1 whose log ends at 2 while its HW is still 0; broker 2 is out of the ISR. */
    static ReplicaFixture newLeaderWithLaggingHighWatermark(Bug... bugs) {
        ReplicaFixture f = PartitionTest.leader(List.of(0, 1, 2), bugs);
        f.produce((short) 1, TP, "a");
        f.produce((short) 1, TP, "b");
        f.change(TP, 0, 1, List.of(0, 1));
        assertThat(f.partition(TP).log().highWatermark()).isZero();
        return f;
    }

    @Test
    void aFollowerBelowTheLeaderEpochStartOffsetDoesNotJoinTheIsr() {
        ReplicaFixture f = newLeaderWithLaggingHighWatermark();
        f.followerFetch(2, TP, 1, 0); // at or above the HW (0), below the epoch start (2)
        assertThat(f.toController).isEmpty();
        f.followerFetch(2, TP, 2, 0);
        assertThat(proposedIsr(f)).containsExactly(0, 1, 2);
    }

    @Test
    void withKafka7128AFollowerJoinsAtTheStaleHighWatermark() {
        ReplicaFixture f = newLeaderWithLaggingHighWatermark(Bug.KAFKA_7128);
        f.followerFetch(2, TP, 1, 0);
        assertThat(proposedIsr(f)).containsExactly(0, 1, 2);
    }

    @Test
    void aFetchUnderAStaleBrokerEpochIsNotCredited() {
        ReplicaFixture f = leaderWithBroker2Out();
        f.followerFetch(2, 99, TP, 0, 2, 0); // broker 2 is registered with epoch 2
        assertThat(f.toController).isEmpty();
        ReplicaFixture g = PartitionTest.leader(List.of(0, 1, 2));
        g.produce((short) 1, TP, "a");
        g.followerFetch(1, TP, 1, 0);
        g.followerFetch(2, 99, TP, 0, 1, 0);
        assertThat(g.partition(TP).log().highWatermark()).as("a stale incarnation's fetch does not move the HW").isZero();
    }

    @Test
    void withKafka14139AFetchUnderAStaleBrokerEpochIsCredited() {
        ReplicaFixture f = leaderWithBroker2Out(Bug.KAFKA_14139);
        f.followerFetch(2, 99, TP, 0, 2, 0);
        assertThat(proposedIsr(f)).containsExactly(0, 1, 2);
        ReplicaFixture g = PartitionTest.leader(List.of(0, 1, 2), Bug.KAFKA_14139);
        g.produce((short) 1, TP, "a");
        g.followerFetch(1, TP, 1, 0);
        g.followerFetch(2, 99, TP, 0, 1, 0);
        assertThat(g.partition(TP).log().highWatermark()).isEqualTo(1);
    }
}
