package dev.samsa.impl.group;

import static dev.samsa.impl.group.GroupFixture.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.samsa.impl.protocol.Errors;
import java.util.List;
import org.junit.jupiter.api.Test;

/** KIP-211: a consumer group's offsets expire offsets.retention.minutes after the group became Empty. */
class OffsetExpiryTest {

    static GroupFixture fixture() {
        return new GroupFixture(0).set("offsets.retention.minutes", "1").set("offsets.retention.check.interval.ms", "5000").start()
                .create(0, List.of(0));
    }

    @Test
    void anEmptyGroupsOffsetsExpireAfterRetentionFromWhenItBecameEmpty() {
        GroupFixture f = fixture();
        String a = f.singleMemberRound(100, null);
        assertThat(f.commit(100, 1, a, null, T0, 9)).isEqualTo(Errors.NONE);
        // the member stays for 2 minutes (longer than the retention): a non-empty group's offsets stay
        for (int i = 0; i < 40; i++) {
            f.advanceByMs(3_000);
            assertThat(f.heartbeat(100, 1, a, null)).isEqualTo(Errors.NONE);
        }
        assertThat(f.fetchOffset(T0)).isEqualTo(9);
        assertThat(f.leave(100, a, null)).isEqualTo(Errors.NONE);
        assertThat(f.group().state()).isEqualTo(ClassicGroupState.EMPTY);
        long emptyAt = f.nowMs;
        f.advanceToMs(emptyAt + 55_000);
        assertThat(f.fetchOffset(T0)).isEqualTo(9);
        f.advanceToMs(emptyAt + 65_000);
        assertThat(f.fetchOffset(T0)).isEqualTo(-1);
        assertThat(f.group()).as("an empty group without offsets is deleted").isNull();
    }

    @Test
    void simpleCommitsExpireFromTheirCommitTime() {
        GroupFixture f = fixture();
        assertThat(f.commit(100, -1, "", null, T0, 3)).isEqualTo(Errors.NONE);
        f.advanceToMs(40_000);
        assertThat(f.commit(100, -1, "", null, GroupFixture.T1, 4)).isEqualTo(Errors.NONE);
        f.advanceToMs(61_000);
        assertThat(f.fetchOffset(T0)).isEqualTo(-1);
        assertThat(f.fetchOffset(GroupFixture.T1)).isEqualTo(4);
    }

    @Test
    void aGroupCreatedWhileItsPredecessorsTombstoneReplicatesSurvivesIt() {
        GroupFixture f = new GroupFixture(0).set("offsets.retention.minutes", "1").set("offsets.retention.check.interval.ms", "5000")
                .set("min.insync.replicas", "2").start().create(0, List.of(0, 1));
        OffsetCommitRequestHolder.commitAndReplicate(f);
        f.advanceToMs(65_000); // the sweep expires the simple group's offset and deletes the group: tombstones wait for the follower
        assertThat(f.group()).isNull();
        String id = f.joinNow(101, "", null).memberId(); // a new group of the same name
        assertThat(f.group()).isNotNull();
        f.followerFetch(1, f.logEnd());
        assertThat(f.fetchOffset(T0)).isEqualTo(-1);
        assertThat(f.group()).as("the old group's tombstone does not delete the new group").isNotNull();
        assertThat(f.group().pendingMembers).contains(id);
    }

    /** A simple commit at time 0, replicated by follower 1. */
    static final class OffsetCommitRequestHolder {
        static void commitAndReplicate(GroupFixture f) {
            assertThat(f.commit(100, -1, "", null, T0, 3)).isNull();
            f.followerFetch(1, f.logEnd());
            assertThat(f.fetchOffset(T0)).isEqualTo(3);
        }
    }
}
