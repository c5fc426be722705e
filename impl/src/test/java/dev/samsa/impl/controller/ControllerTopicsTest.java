package dev.samsa.impl.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.samsa.impl.controller.ControllerMessage.AlterPartitionRequest;
import dev.samsa.impl.controller.ControllerMessage.AlterPartitionResponse;
import dev.samsa.impl.controller.ControllerMessage.CreateTopicsRequest;
import dev.samsa.impl.controller.ControllerMessage.CreateTopicsResponse;
import dev.samsa.impl.metadata.PartitionRegistration;
import dev.samsa.impl.protocol.Errors;
import dev.samsa.impl.protocol.TopicPartition;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** CreateTopics, and what the active controller does to partitions when brokers come and go. */
class ControllerTopicsTest {

    final ControllerFixture f = ControllerFixture.singleVoter();

    @Test
    void aTopicIsPlacedRoundRobinOverTheUnfencedBrokersWithEpochsZero() {
        f.start().registerAll(4, 5, 6, 7);
        assertThat(f.createTopic("t", 5, 3).error()).isEqualTo(Errors.NONE);
        assertThat(f.node.image().topic("t")).hasValue(5);
        List<Integer> sorted = List.of(4, 5, 6, 7);
        int start = sorted.indexOf(f.partition("t", 0).replicas().get(0));
        for (int p = 0; p < 5; p++) {
            PartitionRegistration r = f.partition("t", p);
            List<Integer> expected = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                expected.add(sorted.get((start + p + i) % 4));
            }
            assertThat(r.replicas()).isEqualTo(expected);
            assertThat(r.isr()).isEqualTo(expected);
            assertThat(r.leader()).isEqualTo(expected.get(0));
            assertThat(r.leaderEpoch()).isZero();
            assertThat(r.partitionEpoch()).isZero();
            assertThat(r.recovering()).isFalse();
        }
    }

    @Test
    void fencedBrokersGetNoReplicas() {
        f.start().registerAll(1, 2, 3);
        f.fence(2);
        assertThat(f.createTopic("t", 4, 2).error()).isEqualTo(Errors.NONE);
        for (PartitionRegistration r : f.node.image().partitionsOf("t")) {
            assertThat(r.replicas()).containsExactlyInAnyOrder(1, 3);
        }
        assertThat(f.createTopic("u", 1, 3).error()).isEqualTo(Errors.INVALID_REPLICATION_FACTOR);
    }

    @Test
    void invalidOrDuplicateCreationsAreRefused() {
        f.start().registerAll(1, 2);
        assertThat(f.createTopic("t", 1, 3).error()).isEqualTo(Errors.INVALID_REPLICATION_FACTOR);
        assertThat(f.createTopic("t", 0, 1).error()).isEqualTo(Errors.INVALID_PARTITIONS);
        assertThat(f.node.image().topic("t")).isEmpty();
        assertThat(f.createTopic(50, "t", 2, 2).error()).isEqualTo(Errors.NONE);
        assertThat(f.createTopic(51, "t", 2, 2).error()).isEqualTo(Errors.TOPIC_ALREADY_EXISTS);
        // a retry of the request that created it succeeds, and creates nothing more
        long end = f.node.raft().logEndOffset();
        assertThat(f.createTopic(50, "t", 2, 2).error()).isEqualTo(Errors.NONE);
        assertThat(f.node.raft().logEndOffset()).isEqualTo(end);
    }

    @Test
    void aControllerThatIsNotLeaderAnswersNotController() {
        ControllerNode n = new ControllerNode(f.ctx, List.of(1, 2, 3));
        n.onStart();
        n.onMessage(9, new CreateTopicsRequest(1, "t", 1, 1));
        assertThat(f.last(CreateTopicsResponse.class).error()).isEqualTo(Errors.NOT_CONTROLLER);
        n.onMessage(9, new AlterPartitionRequest(1, 0, new TopicPartition("t", 0), 0, 0, List.of()));
        assertThat(f.last(AlterPartitionResponse.class).error()).isEqualTo(Errors.NOT_CONTROLLER);
    }

    @Test
    void aFencedLeaderIsReplacedByTheNextReplicaInTheIsr() {
        f.start().registerAll(1, 2, 3);
        f.createTopic("t", 1, 3);
        PartitionRegistration before = f.partition("t", 0);
        int leader = before.leader();
        f.fence(leader);
        PartitionRegistration after = f.partition("t", 0);
        assertThat(after.leader()).isEqualTo(before.replicas().get(1));
        assertThat(after.isr()).doesNotContain(leader).hasSize(2);
        assertThat(after.leaderEpoch()).isEqualTo(1);
        assertThat(after.partitionEpoch()).isEqualTo(1);
    }

    @Test
    void aFencedFollowerOnlyLeavesTheIsrAndTheLeaderEpochStays() {
        f.start().registerAll(1, 2, 3);
        f.createTopic("t", 1, 3);
        PartitionRegistration before = f.partition("t", 0);
        int follower = before.replicas().get(2);
        f.fence(follower);
        PartitionRegistration after = f.partition("t", 0);
        assertThat(after.leader()).isEqualTo(before.leader());
        assertThat(after.isr()).containsExactlyElementsOf(before.replicas().subList(0, 2));
        assertThat(after.leaderEpoch()).isZero(); // KAFKA-15021: no leader epoch bump for an ISR-only change
        assertThat(after.partitionEpoch()).isEqualTo(1);
    }

    @Test
    void theLastIsrMemberStaysAndThePartitionGoesOfflineUntilItComesBack() {
        f.start().registerAll(1, 2);
        f.createTopic("t", 1, 1);
        int only = f.partition("t", 0).leader();
        f.fence(only);
        PartitionRegistration offline = f.partition("t", 0);
        assertThat(offline.leader()).isEqualTo(-1);
        assertThat(offline.isr()).containsExactly(only);
        assertThat(offline.leaderEpoch()).isEqualTo(1);
        assertThat(offline.partitionEpoch()).isEqualTo(1);
        f.advance(5_000);
        assertThat(f.partition("t", 0)).isEqualTo(offline); // reconciliation appends nothing while nobody can lead
        f.alive.add(only);
        f.heartbeat(only); // caught up: unfenced, and leads again
        PartitionRegistration back = f.partition("t", 0);
        assertThat(back.leader()).isEqualTo(only);
        assertThat(back.leaderEpoch()).isEqualTo(2);
        assertThat(back.partitionEpoch()).isEqualTo(2);
    }

    /** Replicas [a, b]: b is fenced (leaves the ISR), comes back outside the ISR, then a is fenced. */
    PartitionRegistration onlyAnOutOfSyncReplicaLeft() {
        f.start().registerAll(1, 2);
        f.createTopic("t", 1, 2);
        List<Integer> replicas = f.partition("t", 0).replicas();
        f.fence(replicas.get(1));
        f.alive.add(replicas.get(1));
        f.heartbeat(replicas.get(1));
        assertThat(f.partition("t", 0).isr()).containsExactly(replicas.get(0));
        f.fence(replicas.get(0));
        return f.partition("t", 0);
    }

    @Test
    void withoutUncleanElectionAnOutOfSyncReplicaDoesNotLead() {
        PartitionRegistration p = onlyAnOutOfSyncReplicaLeft();
        assertThat(p.leader()).isEqualTo(-1);
        assertThat(p.isr()).containsExactly(p.replicas().get(0));
        assertThat(p.recovering()).isFalse();
    }

    @Test
    void withUncleanElectionAnOutOfSyncReplicaLeadsAndRecovers() {
        f.ctx.settings = f.ctx.settings.with("unclean.leader.election.enable", "true");
        PartitionRegistration p = onlyAnOutOfSyncReplicaLeft();
        assertThat(p.leader()).isEqualTo(p.replicas().get(1));
        assertThat(p.isr()).containsExactly(p.replicas().get(1));
        assertThat(p.recovering()).isTrue();
        assertThat(p.leaderEpoch()).isEqualTo(1);
    }

    @Test
    void uncleanElectionIsReadPerDecisionAndHealsAnOfflinePartition() {
        PartitionRegistration offline = onlyAnOutOfSyncReplicaLeft();
        assertThat(offline.leader()).isEqualTo(-1);
        f.ctx.settings = f.ctx.settings.with("unclean.leader.election.enable", "true");
        f.advance(1_000); // the periodic reconciliation
        PartitionRegistration p = f.partition("t", 0);
        assertThat(p.leader()).isEqualTo(offline.replicas().get(1));
        assertThat(p.recovering()).isTrue();
        assertThat(p.leaderEpoch()).isEqualTo(offline.leaderEpoch() + 1);
    }

    @Test
    void aReRegisteredBrokerLeavesEveryIsrAndLeadership() {
        f.start().registerAll(1, 2, 3);
        f.createTopic("t", 3, 3);
        f.register(2, 999); // a new incarnation of broker 2 (say its disk was wiped)
        for (PartitionRegistration p : f.node.image().partitionsOf("t")) {
            assertThat(p.isr()).doesNotContain(2).hasSize(2);
            assertThat(p.leader()).isNotEqualTo(2).isNotEqualTo(-1);
            assertThat(p.partitionEpoch()).isEqualTo(1);
        }
        // and it does not come back by unfencing: only the partition leader's AlterPartition brings it back
        assertThat(f.node.image().broker(2).orElseThrow().fenced()).isFalse();
        f.advance(3_000);
        assertThat(f.node.image().partitionsOf("t")).allSatisfy(p -> assertThat(p.isr()).doesNotContain(2));
    }

    @Test
    void aRestartedControllerFinishesTheChangesOfAFenceItFindsInItsLog() {
        f.start().registerAll(1, 2, 3);
        f.createTopic("t", 2, 3);
        TreeSet<Integer> leaders = new TreeSet<>();
        f.node.image().partitionsOf("t").forEach(p -> leaders.add(p.leader()));
        // simulate a controller that appended the fence and failed before the partition changes:
        // cut the log after the fence record and restart on the same disk
        f.fence(leaders.first());
        long fenceOffset = -1;
        for (long o = 0; o < f.node.raft().logEndOffset(); o++) {
            if (f.node.raft().entryAt(o).record() instanceof dev.samsa.impl.metadata.FenceBrokerRecord) {
                fenceOffset = o;
            }
        }
        f.ctx.disk.truncate("metadata-log", (int) fenceOffset + 1);
        f.start();
        for (PartitionRegistration p : f.node.image().partitionsOf("t")) {
            assertThat(p.isr()).doesNotContain(leaders.first());
            assertThat(p.leader()).isNotEqualTo(leaders.first()).isNotEqualTo(-1);
        }
    }
}
