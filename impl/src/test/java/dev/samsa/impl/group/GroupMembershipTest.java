package dev.samsa.impl.group;

import static dev.samsa.impl.group.GroupFixture.T0;
import static dev.samsa.impl.group.GroupFixture.T1;
import static dev.samsa.impl.group.GroupFixture.assign;
import static org.assertj.core.api.Assertions.assertThat;

import dev.samsa.impl.protocol.Errors;
import dev.samsa.impl.protocol.GroupMessage.JoinGroupRequest;
import dev.samsa.impl.protocol.GroupMessage.JoinGroupResponse;
import dev.samsa.impl.protocol.GroupMessage.SyncGroupResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/** JoinGroup, SyncGroup, Heartbeat and LeaveGroup of the classic protocol, on the coordinator that leads the group's partition. */
class GroupMembershipTest {

    static GroupFixture leader() {
        return new GroupFixture(0).start().create(0, List.of(0));
    }

    @Test
    void twoMembersJoinSyncAndHeartbeat() {
        GroupFixture f = leader();
        JoinGroupResponse first = f.joinNow(100, "", null);
        assertThat(first.error()).isEqualTo(Errors.MEMBER_ID_REQUIRED);
        String a = first.memberId();
        String b = f.joinNow(101, "", null).memberId();
        assertThat(a).isNotEqualTo(b).isNotEmpty();

        JoinGroupRequest ja = f.join(a, null);
        JoinGroupRequest jb = f.join(b, null);
        assertThat(f.send(100, ja, JoinGroupResponse.class)).isNull(); // parked: the join phase waits for b
        JoinGroupResponse rb = f.send(101, jb, JoinGroupResponse.class);
        assertThat(rb).isNull(); // the initial delay (0 here) still runs on its timer
        f.advanceByMs(1);
        JoinGroupResponse leaderJoin = f.answer(100, ja.correlationId(), JoinGroupResponse.class);
        JoinGroupResponse followerJoin = f.answer(101, jb.correlationId(), JoinGroupResponse.class);
        assertThat(leaderJoin.error()).isEqualTo(Errors.NONE);
        assertThat(leaderJoin.generationId()).isEqualTo(1);
        assertThat(leaderJoin.leader()).isEqualTo(a);
        assertThat(leaderJoin.protocolName()).isEqualTo("range");
        assertThat(leaderJoin.members()).extracting(m -> m.memberId()).containsExactly(a, b);
        assertThat(followerJoin.members()).isEmpty();
        assertThat(f.group().state()).isEqualTo(ClassicGroupState.COMPLETING_REBALANCE);

        // the follower waits for the leader's assignment; heartbeats are fine meanwhile
        assertThat(f.sync(101, 1, b, null, List.of())).isNull();
        assertThat(f.heartbeat(101, 1, b, null)).isEqualTo(Errors.NONE);
        long end = f.logEnd();
        SyncGroupResponse leaderSync = f.sync(100, 1, a, null, List.of(assign(a, T0), assign(b, T1)));
        assertThat(leaderSync.assignment().partitions()).containsExactly(T0);
        assertThat(f.logEnd()).as("the group is stored before members get assignments").isEqualTo(end + 1);
        SyncGroupResponse followerSync = (SyncGroupResponse) f.ctx.outbox.stream()
                .filter(x -> x.to() == 101 && x.message() instanceof SyncGroupResponse).findFirst().orElseThrow().message();
        assertThat(followerSync.assignment().partitions()).containsExactly(T1);
        assertThat(f.group().state()).isEqualTo(ClassicGroupState.STABLE);

        assertThat(f.heartbeat(100, 1, a, null)).isEqualTo(Errors.NONE);
        assertThat(f.heartbeat(100, 0, a, null)).isEqualTo(Errors.ILLEGAL_GENERATION);
        assertThat(f.heartbeat(100, 1, "nobody", null)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);

        // b leaves: a rebalance, and a's heartbeat says so
        assertThat(f.leave(101, b, null)).isEqualTo(Errors.NONE);
        assertThat(f.group().state()).isEqualTo(ClassicGroupState.PREPARING_REBALANCE);
        assertThat(f.heartbeat(100, 1, a, null)).isEqualTo(Errors.REBALANCE_IN_PROGRESS);
        JoinGroupResponse again = f.joinNow(100, a, null);
        assertThat(again.generationId()).isEqualTo(2);
        assertThat(again.members()).extracting(m -> m.memberId()).containsExactly(a);
    }

    @Test
    void sessionTimeoutRemovesASilentMember() {
        GroupFixture f = leader();
        String a = f.joinNow(100, "", null).memberId();
        String b = f.joinNow(101, "", null).memberId();
        JoinGroupRequest ja = f.join(a, null);
        JoinGroupRequest jb = f.join(b, null);
        f.send(100, ja, JoinGroupResponse.class);
        f.send(101, jb, JoinGroupResponse.class);
        f.advanceByMs(1);
        f.sync(101, 1, b, null, List.of());
        f.sync(100, 1, a, null, List.of(assign(a, T0), assign(b, T1)));
        assertThat(f.group().state()).isEqualTo(ClassicGroupState.STABLE);

        // a heartbeats every 3 s, b never again: after b's session (10 s) it is removed
        for (int i = 0; i < 3; i++) {
            f.advanceByMs(3_000);
            assertThat(f.heartbeat(100, 1, a, null)).isEqualTo(Errors.NONE);
        }
        assertThat(f.group().has(b)).isTrue();
        f.advanceByMs(1_500);
        assertThat(f.group().has(b)).isFalse();
        assertThat(f.group().state()).isEqualTo(ClassicGroupState.PREPARING_REBALANCE);
        assertThat(f.heartbeat(100, 1, a, null)).isEqualTo(Errors.REBALANCE_IN_PROGRESS);
        assertThat(f.heartbeat(101, 1, b, null)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
    }

    @Test
    void rebalanceTimeoutRemovesMembersThatDoNotRejoin() {
        GroupFixture f = leader();
        String a = f.joinNow(100, "", null).memberId();
        String b = f.joinNow(101, "", null).memberId();
        f.send(100, f.join(a, null), JoinGroupResponse.class);
        f.send(101, f.join(b, null), JoinGroupResponse.class);
        f.advanceByMs(1);
        f.sync(101, 1, b, null, List.of());
        f.sync(100, 1, a, null, List.of(assign(a, T0), assign(b, T1)));

        // a rejoins (a rebalance: the leader's join always triggers one); b keeps heartbeating but never rejoins
        JoinGroupRequest ja = f.join(a, null);
        assertThat(f.send(100, ja, JoinGroupResponse.class)).isNull();
        for (int i = 0; i < 9; i++) {
            f.advanceByMs(3_000);
            assertThat(f.heartbeat(101, 1, b, null)).isEqualTo(Errors.REBALANCE_IN_PROGRESS);
        }
        f.advanceByMs(3_001); // the rebalance timeout (30 s) ends the join phase without b
        JoinGroupResponse r = f.answer(100, ja.correlationId(), JoinGroupResponse.class);
        assertThat(r.generationId()).isEqualTo(2);
        assertThat(r.members()).extracting(m -> m.memberId()).containsExactly(a);
        assertThat(f.group().has(b)).isFalse();
    }

    @Test
    void invalidSessionTimeoutAndInconsistentProtocol() {
        GroupFixture f = leader();
        JoinGroupResponse r = f.send(100, new JoinGroupRequest(f.correlation(), GroupFixture.GROUP, 1_000, 30_000, "", null, "consumer",
                GroupFixture.range("t"), ""), JoinGroupResponse.class);
        assertThat(r.error()).isEqualTo(Errors.INVALID_SESSION_TIMEOUT);
        f.singleMemberRound(100, null);
        JoinGroupResponse other = f.send(101, new JoinGroupRequest(f.correlation(), GroupFixture.GROUP, 10_000, 30_000, "", null, "consumer",
                List.of(new dev.samsa.impl.protocol.GroupMessage.JoinGroupProtocol("roundrobin", GroupFixture.subscription("t"))), ""),
                JoinGroupResponse.class);
        assertThat(other.error()).isEqualTo(Errors.INCONSISTENT_GROUP_PROTOCOL);
    }

    @Test
    void aPendingMemberMayJoinAfterEveryMemberLeftMidRebalance() {
        // seed 91 of the groups workload: a restarted consumer got its member id (pending), then the group's last
        // members left; the group is PreparingRebalance with no members. Kafka counts each protocol's supporters
        // against the member count (0 == 0) and lets the pending member in; refusing is fatal to the consumer.
        GroupFixture f = leader();
        String a = f.singleMemberRound(100, null);
        JoinGroupResponse first = f.joinNow(101, "", null);
        assertThat(first.error()).isEqualTo(Errors.MEMBER_ID_REQUIRED);
        assertThat(f.leave(100, a, null)).isEqualTo(Errors.NONE);
        assertThat(f.group().state()).isEqualTo(ClassicGroupState.PREPARING_REBALANCE);
        assertThat(f.group().members()).isEmpty();

        JoinGroupResponse r = f.joinNow(101, first.memberId(), null);
        if (r == null) {
            f.advanceByMs(1);
            r = f.answerOfLastJoin(101);
        }
        assertThat(r.error()).isEqualTo(Errors.NONE);
        assertThat(r.generationId()).isEqualTo(2);
        assertThat(r.leader()).isEqualTo(first.memberId());
    }

    @Test
    void requestsForAPartitionThisBrokerDoesNotLeadGetNotCoordinator() {
        GroupFixture f = new GroupFixture(0).start().create(1, List.of(1, 0));
        assertThat(f.joinNow(100, "", null).error()).isEqualTo(Errors.NOT_COORDINATOR);
        assertThat(f.commit(100, -1, "", null, T0, 5)).isEqualTo(Errors.NOT_COORDINATOR);
    }
}
