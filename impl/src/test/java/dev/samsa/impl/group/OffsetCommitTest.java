package dev.samsa.impl.group;

import static dev.samsa.impl.group.GroupFixture.T0;
import static dev.samsa.impl.group.GroupFixture.T1;
import static dev.samsa.impl.group.GroupFixture.assign;
import static org.assertj.core.api.Assertions.assertThat;

import dev.samsa.impl.protocol.Errors;
import dev.samsa.impl.protocol.GroupMessage.JoinGroupRequest;
import dev.samsa.impl.protocol.GroupMessage.JoinGroupResponse;
import dev.samsa.impl.protocol.GroupMessage.OffsetCommitRequest;
import dev.samsa.impl.protocol.GroupMessage.OffsetCommitResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/** OffsetCommit fencing (§1.8), visibility only once replicated, and the write's timeout. */
class OffsetCommitTest {

    @Test
    void simpleCommitsOnlyWhileTheGroupIsEmpty() {
        GroupFixture f = new GroupFixture(0).start().create(0, List.of(0));
        assertThat(f.commit(100, -1, "", null, T0, 5)).isEqualTo(Errors.NONE);
        assertThat(f.fetchOffset(T0)).isEqualTo(5);
        assertThat(f.group().protocolType()).as("a simple group").isNull();

        String a = f.singleMemberRound(101, null);
        assertThat(f.group().state()).isEqualTo(ClassicGroupState.STABLE);
        assertThat(f.commit(100, -1, "", null, T0, 6)).as("generation -1 once the group has members").isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        assertThat(f.commit(101, 1, a, null, T0, 7)).isEqualTo(Errors.NONE);
        assertThat(f.fetchOffset(T0)).isEqualTo(7);
    }

    @Test
    void commitFencingErrors() {
        GroupFixture f = new GroupFixture(0).start().create(0, List.of(0));
        assertThat(f.commit(100, 3, "x", null, T0, 5)).as("a generation for a group that does not exist").isEqualTo(Errors.ILLEGAL_GENERATION);
        String a = f.singleMemberRound(100, null);
        assertThat(f.commit(100, 1, "stranger", null, T0, 5)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        assertThat(f.commit(100, 0, a, null, T0, 5)).isEqualTo(Errors.ILLEGAL_GENERATION);
        assertThat(f.commit(100, 1, a, null, T0, 5)).isEqualTo(Errors.NONE);

        // a second member joins: CompletingRebalance refuses commits of the new generation
        String b = f.joinNow(101, "", null).memberId();
        JoinGroupRequest jb = f.join(b, null);
        f.send(101, jb, JoinGroupResponse.class);
        assertThat(f.commit(100, 1, a, null, T0, 6)).as("PreparingRebalance still accepts the old generation").isEqualTo(Errors.NONE);
        f.send(100, f.join(a, null), JoinGroupResponse.class);
        assertThat(f.group().state()).isEqualTo(ClassicGroupState.COMPLETING_REBALANCE);
        assertThat(f.commit(100, 2, a, null, T0, 7)).isEqualTo(Errors.REBALANCE_IN_PROGRESS);
        assertThat(f.commit(100, 1, a, null, T0, 7)).isEqualTo(Errors.ILLEGAL_GENERATION);
        f.sync(101, 2, b, null, List.of());
        f.sync(100, 2, a, null, List.of(assign(a, T0), assign(b, T1)));
        assertThat(f.commit(101, 2, b, null, T1, 9)).isEqualTo(Errors.NONE);
        assertThat(f.fetchOffset(T0)).isEqualTo(6);
        assertThat(f.fetchOffset(T1)).isEqualTo(9);
    }

    @Test
    void staticMemberFencedOnCommit() {
        GroupFixture f = new GroupFixture(0).start().create(0, List.of(0));
        String old = f.singleMemberRound(100, "i1");
        JoinGroupResponse rejoin = f.joinNow(101, "", "i1");
        assertThat(rejoin.error()).isEqualTo(Errors.NONE);
        assertThat(f.commit(100, 1, old, "i1", T0, 5)).isEqualTo(Errors.FENCED_INSTANCE_ID);
        assertThat(f.commit(101, 1, rejoin.memberId(), "i1", T0, 5)).isEqualTo(Errors.NONE);
    }

    @Test
    void aCommitIsVisibleOnlyOnceReplicated() {
        GroupFixture f = new GroupFixture(0).set("min.insync.replicas", "2").start().create(0, List.of(0, 1));
        long end = f.logEnd();
        assertThat(f.commit(100, -1, "", null, T0, 5)).as("parked until the follower has it").isNull();
        assertThat(f.logEnd()).isEqualTo(end + 1);
        assertThat(f.fetchOffset(T0)).as("pending commits are invisible").isEqualTo(-1);
        f.followerFetch(1, f.logEnd());
        OffsetCommitResponse r = f.ctx.sent(OffsetCommitResponse.class).get(0);
        assertThat(r.responses().get(0).error()).isEqualTo(Errors.NONE);
        assertThat(f.fetchOffset(T0)).isEqualTo(5);
    }

    @Test
    void aCommitThatIsNotReplicatedInTimeFailsAndStaysInvisible() {
        GroupFixture f = new GroupFixture(0).set("min.insync.replicas", "2").start().create(0, List.of(0, 1));
        OffsetCommitRequest req = f.commitRequest(-1, "", null, T0, 5);
        assertThat(f.send(100, req, OffsetCommitResponse.class)).isNull();
        f.advanceByMs(5_001); // offsets.commit.timeout.ms
        assertThat(f.answer(100, req.correlationId(), OffsetCommitResponse.class).responses().get(0).error()).isEqualTo(Errors.REQUEST_TIMED_OUT);
        assertThat(f.fetchOffset(T0)).isEqualTo(-1);
    }

    @Test
    void leadershipLostWhileACommitWaitsAnswersNotCoordinator() {
        GroupFixture f = new GroupFixture(0).set("min.insync.replicas", "2").start().create(0, List.of(0, 1));
        OffsetCommitRequest req = f.commitRequest(-1, "", null, T0, 5);
        f.send(100, req, OffsetCommitResponse.class);
        f.changeLeader(1, 1, List.of(0, 1));
        assertThat(f.answer(100, req.correlationId(), OffsetCommitResponse.class).responses().get(0).error()).isEqualTo(Errors.NOT_COORDINATOR);
        assertThat(f.gc.shards()).isEmpty();
    }
}
