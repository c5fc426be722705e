package dev.samsa.impl.group;

import static dev.samsa.impl.group.GroupFixture.T0;
import static dev.samsa.impl.group.GroupFixture.T1;
import static dev.samsa.impl.group.GroupFixture.assign;
import static org.assertj.core.api.Assertions.assertThat;

import dev.samsa.impl.protocol.Errors;
import dev.samsa.impl.protocol.GroupMessage.JoinGroupRequest;
import dev.samsa.impl.protocol.GroupMessage.JoinGroupResponse;
import dev.samsa.spec.bugs.Bug;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Coordinator fail-over: broker 1 takes over {@code __consumer_offsets-0} with broker 0's log and
 * loads it through the same replay that live writes use. Also the two load-time bugs: KAFKA-10284
 * (a static member's replacement kept in memory only) and KAFKA-8069 (loaded offsets expire).
 */
class CoordinatorFailoverTest {

    /** Broker 1, follower of broker 0, given broker 0's log, then elected leader in epoch 1. */
    static GroupFixture takeOver(GroupFixture old, Bug... bugs) {
        GroupFixture f = new GroupFixture(1, bugs);
        f.ctx.settings = old.ctx.settings;
        f.start().create(0, List.of(0, 1));
        f.replicateFrom(old);
        f.ctx.advanceTo(old.ctx.now);
        f.nowMs = old.nowMs;
        f.changeLeader(1, 1, List.of(1));
        old.changeLeader(1, 1, List.of(1));
        return f;
    }

    @Test
    void reElectedInANewerEpochTheActiveCoordinatorKeepsWhatItHasNotStoredYet() {
        // seed 303 of the groups workload: a broker cut off as the only in-sync replica kept coordinating in its old
        // epoch, storing nothing; re-elected in a newer epoch it reloaded the log and fenced every live static member
        // (their member ids were never stored). Kafka's CoordinatorRuntime keeps an active coordinator ("already active").
        GroupFixture f = new GroupFixture(0).start().create(0, List.of(0));
        String a = f.joinNow(100, "", null).memberId();
        JoinGroupRequest ja = f.join(a, null);
        f.send(100, ja, JoinGroupResponse.class);
        f.advanceByMs(1);
        assertThat(f.answer(100, ja.correlationId(), JoinGroupResponse.class).generationId()).isEqualTo(1);
        long end = f.logEnd();

        f.changeLeader(0, 1, List.of(0));
        assertThat(f.logEnd()).as("nothing of the group was stored").isEqualTo(end);
        assertThat(f.group().members().keySet()).containsExactly(a);
        assertThat(f.group().state()).isEqualTo(ClassicGroupState.COMPLETING_REBALANCE);
        assertThat(f.sync(100, 1, a, null, List.of(assign(a, T0))).error()).isEqualTo(Errors.NONE);
        // the kept shard's timers still run: without heartbeats the member's session ends
        f.advanceByMs(31_000);
        assertThat(f.group().members()).isEmpty();
    }

    @Test
    void aLoadRebuildsTheSameGroupsAndOffsets() {
        GroupFixture f = new GroupFixture(0).start().create(0, List.of(0));
        String a = f.joinNow(100, "", null).memberId();
        JoinGroupRequest ja = f.join(a, null);
        JoinGroupRequest jb = f.join("", "static-b");
        f.send(100, ja, JoinGroupResponse.class);
        f.send(101, jb, JoinGroupResponse.class);
        f.advanceByMs(1);
        String b = f.answer(101, jb.correlationId(), JoinGroupResponse.class).memberId();
        f.sync(101, 1, b, "static-b", List.of());
        f.sync(100, 1, a, null, List.of(assign(a, T0), assign(b, T1)));
        assertThat(f.commit(100, 1, a, null, T0, 11)).isEqualTo(Errors.NONE);
        assertThat(f.commit(101, 1, b, "static-b", T1, 22)).isEqualTo(Errors.NONE);
        ClassicGroup before = f.group();

        GroupFixture g = takeOver(f);
        assertThat(f.gc.shards()).as("the old coordinator unloaded").isEmpty();
        assertThat(f.joinNow(100, a, null).error()).isEqualTo(Errors.NOT_COORDINATOR);
        ClassicGroup after = g.group();
        assertThat(after.state()).isEqualTo(ClassicGroupState.STABLE);
        assertThat(after.generationId()).isEqualTo(before.generationId());
        assertThat(after.leaderId()).isEqualTo(before.leaderId());
        assertThat(after.protocolType()).isEqualTo("consumer");
        assertThat(after.protocolName()).isEqualTo("range");
        assertThat(after.members().keySet()).containsExactly(a, b);
        assertThat(after.member(b).groupInstanceId()).isEqualTo("static-b");
        assertThat(after.staticMemberId("static-b")).isEqualTo(b);
        assertThat(after.member(a).assignment().partitions()).containsExactly(T0);
        assertThat(after.member(b).assignment().partitions()).containsExactly(T1);
        assertThat(after.member(a).subscription("range").topics()).containsExactly("t");
        assertThat(g.fetchOffset(T0)).isEqualTo(11);
        assertThat(g.fetchOffset(T1)).isEqualTo(22);
        // the members carry on with the new coordinator
        assertThat(g.heartbeat(100, 1, a, null)).isEqualTo(Errors.NONE);
        assertThat(g.commit(101, 1, b, "static-b", T1, 23)).isEqualTo(Errors.NONE);
    }

    @Test
    void aLoadedMemberWithoutHeartbeatsIsRemovedAfterItsSession() {
        GroupFixture f = new GroupFixture(0).start().create(0, List.of(0));
        String a = f.singleMemberRound(100, null);
        GroupFixture g = takeOver(f);
        assertThat(g.group().has(a)).isTrue();
        g.advanceByMs(10_001);
        assertThat(g.group().members()).isEmpty();
        assertThat(g.group().state()).isEqualTo(ClassicGroupState.EMPTY);
    }

    /** Instance i1 (id m1) is replaced by a new process under m2; then the coordinator fails over. */
    static GroupFixture[] staticReplacementThenFailover(Bug... bugs) {
        GroupFixture f = new GroupFixture(0, bugs).start().create(0, List.of(0));
        f.singleMemberRound(100, "i1");
        JoinGroupResponse rejoin = f.joinNow(101, "", "i1");
        assertThat(rejoin.error()).isEqualTo(Errors.NONE);
        assertThat(rejoin.generationId()).as("no rebalance").isEqualTo(1);
        assertThat(rejoin.skipAssignment()).as("the static leader keeps the assignment (KIP-814)").isTrue();
        assertThat(f.group().state()).isEqualTo(ClassicGroupState.STABLE);
        return new GroupFixture[] {f, takeOver(f)};
    }

    @Test
    void aStaticReplacementIsPersistedAndSurvivesFailover() {
        GroupFixture[] fs = staticReplacementThenFailover();
        GroupFixture f = fs[0];
        GroupFixture g = fs[1];
        String m1 = f.answerOfLastJoin(100).memberId();
        String m2 = f.answerOfLastJoin(101).memberId();
        assertThat(g.group().staticMemberId("i1")).isEqualTo(m2);
        assertThat(g.heartbeat(100, 1, m1, "i1")).as("the replaced process stays fenced").isEqualTo(Errors.FENCED_INSTANCE_ID);
        assertThat(g.commit(100, 1, m1, "i1", T0, 5)).isEqualTo(Errors.FENCED_INSTANCE_ID);
        assertThat(g.heartbeat(101, 1, m2, "i1")).isEqualTo(Errors.NONE);
    }

    @Test
    void kafka10284TheReplacementIsLostOnFailover() {
        GroupFixture[] fs = staticReplacementThenFailover(Bug.KAFKA_10284);
        GroupFixture f = fs[0];
        GroupFixture g = fs[1];
        String m1 = f.answerOfLastJoin(100).memberId();
        String m2 = f.answerOfLastJoin(101).memberId();
        assertThat(g.group().staticMemberId("i1")).as("reloaded with the old id").isEqualTo(m1);
        assertThat(g.heartbeat(100, 1, m1, "i1")).as("the fenced process is accepted again").isEqualTo(Errors.NONE);
        assertThat(g.commit(100, 1, m1, "i1", T0, 5)).isEqualTo(Errors.NONE);
        assertThat(g.heartbeat(101, 1, m2, "i1")).isEqualTo(Errors.FENCED_INSTANCE_ID);
    }

    static GroupFixture commitThenFailover(Bug... bugs) {
        GroupFixture f = new GroupFixture(0, bugs).set("offsets.retention.check.interval.ms", "5000").start().create(0, List.of(0));
        f.advanceToMs(1_000);
        assertThat(f.commit(100, -1, "", null, T0, 42)).isEqualTo(Errors.NONE);
        f.advanceToMs(7_000); // a sweep on the old coordinator: live offsets stay, with or without the flag
        assertThat(f.fetchOffset(T0)).isEqualTo(42);
        GroupFixture g = takeOver(f, bugs);
        assertThat(g.fetchOffset(T0)).isEqualTo(42);
        g.advanceByMs(5_001); // the new coordinator's first sweep
        return g;
    }

    @Test
    void loadedOffsetsKeepNoExplicitExpiry() {
        GroupFixture g = commitThenFailover();
        assertThat(g.fetchOffset(T0)).isEqualTo(42);
        assertThat(g.gc.committedOffsets(GroupFixture.GROUP).orElseThrow().get(T0).hasExplicitExpiry()).isFalse();
    }

    @Test
    void kafka8069LoadedOffsetsExpireAtTheNextSweep() {
        GroupFixture g = commitThenFailover(Bug.KAFKA_8069);
        assertThat(g.fetchOffset(T0)).as("a live offset deleted after the fail-over").isEqualTo(-1);
    }
}
