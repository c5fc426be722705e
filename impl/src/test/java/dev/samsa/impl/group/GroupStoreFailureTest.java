package dev.samsa.impl.group;

import static dev.samsa.impl.group.GroupFixture.T0;
import static dev.samsa.impl.group.GroupFixture.assign;
import static org.assertj.core.api.Assertions.assertThat;

import dev.samsa.impl.protocol.Errors;
import dev.samsa.impl.protocol.GroupMessage.JoinGroupRequest;
import dev.samsa.impl.protocol.GroupMessage.JoinGroupResponse;
import dev.samsa.impl.protocol.GroupMessage.SyncGroupRequest;
import dev.samsa.impl.protocol.GroupMessage.SyncGroupResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What members see when the group's record cannot be replicated in offsets.commit.timeout.ms. */
class GroupStoreFailureTest {

    /** min.insync.replicas=2 with follower 1 in the ISR that never fetches: every group write times out. */
    static GroupFixture stuckFollower() {
        return new GroupFixture(0).set("min.insync.replicas", "2").start().create(0, List.of(0, 1));
    }

    @Test
    void aSyncWhoseGroupRecordTimesOutAnswersRebalanceInProgress() {
        GroupFixture f = stuckFollower();
        String a = f.joinNow(100, "", null).memberId();
        f.send(100, f.join(a, null), JoinGroupResponse.class);
        f.advanceByMs(1);
        SyncGroupRequest sync = new SyncGroupRequest(f.correlation(), GroupFixture.GROUP, 1, a, null, "range", List.of(assign(a, T0)));
        assertThat(f.send(100, sync, SyncGroupResponse.class)).as("waits for the group record to replicate").isNull();
        assertThat(f.group().state()).isEqualTo(ClassicGroupState.COMPLETING_REBALANCE);
        f.advanceByMs(5_001);
        SyncGroupResponse r = f.answer(100, sync.correlationId(), SyncGroupResponse.class);
        assertThat(r.error()).as("Kafka maps the store's timeout to REBALANCE_IN_PROGRESS").isEqualTo(Errors.REBALANCE_IN_PROGRESS);
        assertThat(r.assignment().partitions()).isEmpty();
        assertThat(f.group().state()).isEqualTo(ClassicGroupState.PREPARING_REBALANCE);
    }

    @Test
    void aStaticReplacementThatIsNotStoredIsReverted() {
        GroupFixture f = stuckFollower();
        // generation 1 is stored once the follower catches up
        JoinGroupRequest j1 = f.join("", "i1");
        f.send(100, j1, JoinGroupResponse.class);
        f.advanceByMs(1);
        String m1 = f.answer(100, j1.correlationId(), JoinGroupResponse.class).memberId();
        SyncGroupRequest sync = new SyncGroupRequest(f.correlation(), GroupFixture.GROUP, 1, m1, "i1", "range", List.of(assign(m1, T0)));
        f.send(100, sync, SyncGroupResponse.class);
        f.followerFetch(1, f.logEnd());
        assertThat(f.answer(100, sync.correlationId(), SyncGroupResponse.class).error()).isEqualTo(Errors.NONE);

        JoinGroupRequest j2 = f.join("", "i1");
        assertThat(f.send(101, j2, JoinGroupResponse.class)).as("waits for the replacement to be stored").isNull();
        assertThat(f.heartbeat(100, 1, m1, "i1")).as("already fenced in memory").isEqualTo(Errors.FENCED_INSTANCE_ID);
        f.advanceByMs(5_001);
        JoinGroupResponse r = f.answer(101, j2.correlationId(), JoinGroupResponse.class);
        assertThat(r.error()).isEqualTo(Errors.REBALANCE_IN_PROGRESS);
        assertThat(r.memberId()).isEmpty();
        assertThat(f.group().staticMemberId("i1")).as("reverted to the stored id").isEqualTo(m1);
        assertThat(f.heartbeat(100, 1, m1, "i1")).isEqualTo(Errors.NONE);
    }

    @Test
    void membersThatNeverSyncAreRemovedAfterTheRebalanceTimeout() {
        GroupFixture f = new GroupFixture(0).start().create(0, List.of(0));
        String a = f.joinNow(100, "", null).memberId();
        String b = f.joinNow(101, "", null).memberId();
        f.send(100, f.join(a, null), JoinGroupResponse.class);
        f.send(101, f.join(b, null), JoinGroupResponse.class);
        f.advanceByMs(1);
        f.sync(101, 1, b, null, List.of()); // the leader a never syncs, but heartbeats
        for (int i = 0; i < 9; i++) {
            f.advanceByMs(3_000);
            assertThat(f.heartbeat(100, 1, a, null)).isEqualTo(Errors.NONE);
        }
        f.advanceByMs(3_000); // 30 s (the rebalance timeout) after the join phase ended
        assertThat(f.group().has(a)).isFalse();
        assertThat(f.group().has(b)).isTrue();
        assertThat(f.group().state()).isEqualTo(ClassicGroupState.PREPARING_REBALANCE);
        SyncGroupResponse bs = (SyncGroupResponse) f.ctx.outbox.stream()
                .filter(x -> x.to() == 101 && x.message() instanceof SyncGroupResponse).findFirst().orElseThrow().message();
        assertThat(bs.error()).isEqualTo(Errors.REBALANCE_IN_PROGRESS);
    }
}
