package dev.samsa.impl.client;

import static dev.samsa.impl.client.GroupFixture.T0;
import static dev.samsa.impl.client.GroupFixture.T1;
import static dev.samsa.impl.client.GroupFixture.member;
import static org.assertj.core.api.Assertions.assertThat;

import dev.samsa.impl.protocol.ApiMessage.FetchRequest;
import dev.samsa.impl.protocol.ApiMessage.ListOffsetsRequest;
import dev.samsa.impl.protocol.Errors;
import dev.samsa.impl.protocol.GroupMessage.FindCoordinatorRequest;
import dev.samsa.impl.protocol.GroupMessage.HeartbeatRequest;
import dev.samsa.impl.protocol.GroupMessage.JoinGroupRequest;
import dev.samsa.impl.protocol.GroupMessage.LeaveGroupRequest;
import dev.samsa.impl.protocol.GroupMessage.MemberIdentity;
import dev.samsa.impl.protocol.GroupMessage.OffsetCommitRequest;
import dev.samsa.impl.protocol.GroupMessage.OffsetFetchRequest;
import dev.samsa.impl.protocol.GroupMessage.SyncGroupAssignment;
import dev.samsa.impl.protocol.GroupMessage.SyncGroupRequest;
import dev.samsa.impl.protocol.GroupMessage.Assignment;
import dev.samsa.spec.bugs.Bug;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class GroupConsumerTest {

    private final GroupFixture f = new GroupFixture();

    @Test
    void joinSyncHeartbeatCycleWithTheLeaderComputingTheAssignment() {
        f.set("enable.auto.commit", "false");
        f.subscribe();
        f.poll(1_000_000);
        f.answerMetadata();
        assertThat(f.ctx.sent(FindCoordinatorRequest.class)).hasSize(1);
        f.answerFindCoordinator();
        JoinGroupRequest first = f.lastJoin();
        assertThat(f.ctx.lastTo(JoinGroupRequest.class)).isEqualTo(GroupFixture.COORDINATOR);
        assertThat(first.memberId()).isEmpty();
        assertThat(first.sessionTimeoutMs()).isEqualTo(45_000);
        assertThat(first.rebalanceTimeoutMs()).isEqualTo(300_000);
        assertThat(first.groupInstanceId()).isNull();
        assertThat(first.protocols().get(0).name()).isEqualTo("range");
        assertThat(first.protocols().get(0).subscription().topics()).containsExactly("t");

        f.answerJoin(Errors.MEMBER_ID_REQUIRED, -1, "m1", "", List.of());
        assertThat(f.ctx.sent(JoinGroupRequest.class)).hasSize(2);
        assertThat(f.lastJoin().memberId()).isEqualTo("m1");

        f.answerJoin(Errors.NONE, 1, "m1", "m1", List.of(member("m1", -1), member("m2", -1)));
        SyncGroupRequest sync = f.ctx.last(SyncGroupRequest.class);
        assertThat(sync.generationId()).isEqualTo(1);
        assertThat(sync.assignments()).containsExactly(
                new SyncGroupAssignment("m1", new Assignment(List.of(T0))), new SyncGroupAssignment("m2", new Assignment(List.of(T1))));

        f.answerSync(Errors.NONE, T0);
        assertThat(f.events).contains("assigned:[t-0]", "joined:1:m1:[t-0]");
        assertThat(f.consumer.assignment()).containsExactly(T0);
        assertThat(f.consumer.groupMetadata()).isEqualTo(new ConsumerGroupMetadata("g", 1, "m1", null));
        assertThat(f.ctx.last(OffsetFetchRequest.class).partitions()).containsExactly(T0);
        f.answerOffsetFetch(42);
        assertThat(f.consumer.position(T0)).isEqualTo(OptionalLong.of(42));
        assertThat(f.ctx.last(FetchRequest.class).partitions().get(0).fetchOffset()).isEqualTo(42);

        assertThat(f.ctx.sent(HeartbeatRequest.class)).isEmpty();
        f.advance(3_000);
        HeartbeatRequest hb = f.ctx.last(HeartbeatRequest.class);
        assertThat(hb.generationId()).isEqualTo(1);
        assertThat(hb.memberId()).isEqualTo("m1");
        f.answerHeartbeat(Errors.NONE);
        f.advance(3_000);
        assertThat(f.ctx.sent(HeartbeatRequest.class)).hasSize(2);
    }

    @Test
    void aFollowerSendsNoAssignments() {
        f.set("enable.auto.commit", "false");
        f.subscribe();
        f.poll(1_000_000);
        f.answerMetadata();
        f.answerFindCoordinator();
        f.answerJoin(Errors.NONE, 3, "m2", "m1", List.of());
        assertThat(f.ctx.last(SyncGroupRequest.class).assignments()).isEmpty();
        f.answerSync(Errors.NONE, T1);
        assertThat(f.consumer.assignment()).containsExactly(T1);
    }

    @Test
    void positionsComeFromCommittedOffsetsElseAutoOffsetReset() {
        f.set("enable.auto.commit", "false");
        f.joinAsLeader(List.of(), 42, -1);
        assertThat(f.consumer.position(T0)).isEqualTo(OptionalLong.of(42));
        assertThat(f.consumer.position(T1)).isEmpty();
        assertThat(f.ctx.last(ListOffsetsRequest.class).partitions()).extracting(p -> p.tp()).containsExactly(T1);
    }

    @Test
    void noResetBeforeTheCommittedOffsetIsKnown() {
        f.set("enable.auto.commit", "false");
        f.subscribe();
        f.poll(1_000_000);
        f.answerMetadata();
        f.answerFindCoordinator();
        f.answerJoin(Errors.NONE, 1, "m1", "m1", List.of(member("m1", -1)));
        f.answerSync(Errors.NONE, T0, T1);
        assertThat(f.ctx.sent(ListOffsetsRequest.class)).isEmpty();
    }

    @Test
    void rebalanceInProgressOnHeartbeatRevokesEverythingBeforeRejoiningWhenEager() {
        f.set("enable.auto.commit", "false");
        f.joinAsLeader(List.of(), 0, 0);
        f.advance(3_000);
        f.listenerCallsDone = false;
        f.answerHeartbeat(Errors.REBALANCE_IN_PROGRESS);
        assertThat(f.events).contains("revoked:[t-0, t-1]");
        assertThat(f.ctx.sent(JoinGroupRequest.class)).hasSize(1); // waits for the listener
        f.heldDones.get(0).run();
        assertThat(f.ctx.sent(JoinGroupRequest.class)).hasSize(2);
        assertThat(f.lastJoin().memberId()).isEqualTo("m1");
        assertThat(f.lastJoin().protocols().get(0).subscription().ownedPartitions()).isEmpty();
        assertThat(f.consumer.assignment()).isEmpty();
    }

    @Test
    void theRebalanceWaitsForTheApplicationToPoll() {
        f.set("enable.auto.commit", "false");
        f.joinAsLeader(List.of(), 0, 0);
        f.answerFetch(f.ctx.last(FetchRequest.class), T0, 0, 1); // the poll returns
        assertThat(f.polls).hasSize(1);
        f.advance(3_000);
        f.answerHeartbeat(Errors.REBALANCE_IN_PROGRESS);
        assertThat(f.events).doesNotContain("revoked:[t-0, t-1]");
        f.poll(100);
        assertThat(f.events).contains("revoked:[t-0, t-1]");
        assertThat(f.ctx.sent(JoinGroupRequest.class)).hasSize(2);
    }

    @Test
    void cooperativeRebalanceTakesTwoRounds() {
        f.set("enable.auto.commit", "false").set("partition.assignment.strategy", "cooperative-sticky");
        f.joinAsLeader(List.of(), 0, 0);
        assertThat(f.consumer.assignment()).containsExactly(T0, T1);
        f.advance(3_000);
        f.answerHeartbeat(Errors.REBALANCE_IN_PROGRESS);
        assertThat(f.events).noneMatch(e -> e.startsWith("revoked"));
        JoinGroupRequest join = f.lastJoin();
        assertThat(join.protocols().get(0).name()).isEqualTo("cooperative-sticky");
        assertThat(join.protocols().get(0).subscription().ownedPartitions()).containsExactly(T0, T1);
        assertThat(join.protocols().get(0).subscription().generationId()).isEqualTo(1);

        // round 1: m2 joins; t-1 is taken from m1 and given to nobody yet
        f.answerJoin(Errors.NONE, 2, "m1", "m1", List.of(new dev.samsa.impl.protocol.GroupMessage.JoinGroupMember("m1", null,
                join.protocols().get(0).subscription()), member("m2", -1)));
        assertThat(f.ctx.last(SyncGroupRequest.class).assignments()).containsExactly(
                new SyncGroupAssignment("m1", new Assignment(List.of(T0))), new SyncGroupAssignment("m2", new Assignment(List.of())));
        f.answerSync(Errors.NONE, T0);
        assertThat(f.events).containsSubsequence("revoked:[t-1]", "assigned:[]", "joined:2:m1:[t-0]");
        assertThat(f.consumer.assignment()).containsExactly(T0);
        assertThat(f.ctx.sent(JoinGroupRequest.class)).hasSize(3); // the follow-up round at once

        // round 2: t-1 goes to m2
        JoinGroupRequest second = f.lastJoin();
        assertThat(second.reason()).isEqualTo("need to revoke partitions and re-join");
        assertThat(second.protocols().get(0).subscription().ownedPartitions()).containsExactly(T0);
        f.answerJoin(Errors.NONE, 3, "m1", "m1", List.of(new dev.samsa.impl.protocol.GroupMessage.JoinGroupMember("m1", null,
                second.protocols().get(0).subscription()), member("m2", 2)));
        assertThat(f.ctx.last(SyncGroupRequest.class).assignments()).containsExactly(
                new SyncGroupAssignment("m1", new Assignment(List.of(T0))), new SyncGroupAssignment("m2", new Assignment(List.of(T1))));
        f.answerSync(Errors.NONE, T0);
        assertThat(f.ctx.sent(JoinGroupRequest.class)).hasSize(3);
        assertThat(f.events).last().isEqualTo("joined:3:m1:[t-0]");
    }

    @Test
    void maxPollIntervalExpiryLeavesTheGroupAndTheNextPollRejoins() {
        f.set("enable.auto.commit", "false").set("max.poll.interval.ms", "10000").set("heartbeat.interval.ms", "1000");
        f.joinAsLeader(List.of(), 0, 0);
        f.answerFetch(f.ctx.last(FetchRequest.class), T0, 0, 1);
        assertThat(f.polls).hasSize(1);
        assertThat(f.ctx.sent(LeaveGroupRequest.class)).isEmpty();
        f.advance(9_999);
        assertThat(f.ctx.sent(LeaveGroupRequest.class)).isEmpty();
        f.advance(1);
        // the poll returned and nothing polled for 10 s since
        assertThat(f.ctx.sent(LeaveGroupRequest.class)).hasSize(1);
        assertThat(f.ctx.last(LeaveGroupRequest.class).members()).containsExactly(new MemberIdentity("m1", null));
        assertThat(f.ctx.reached).contains("consumer.poll-timeout-leave");
        int joins = f.ctx.sent(JoinGroupRequest.class).size();
        f.poll(100);
        assertThat(f.events).contains("lost:[t-0, t-1]");
        assertThat(f.ctx.sent(JoinGroupRequest.class)).hasSize(joins + 1);
        assertThat(f.lastJoin().memberId()).isEmpty();
    }

    @Test
    void aStaticMemberDoesNotSendLeaveGroup() {
        f.set("enable.auto.commit", "false").set("max.poll.interval.ms", "10000").set("group.instance.id", "i1");
        f.joinAsLeader(List.of(), 0, 0);
        assertThat(f.lastJoin().groupInstanceId()).isEqualTo("i1");
        f.advance(1_000_000);
        f.advance(20_000);
        assertThat(f.ctx.sent(LeaveGroupRequest.class)).isEmpty();
        boolean[] closed = {false};
        f.consumer.close(() -> closed[0] = true);
        assertThat(closed[0]).isTrue();
        assertThat(f.ctx.sent(LeaveGroupRequest.class)).isEmpty();
    }

    @Test
    void closeCommitsThenLeaves() {
        f.joinAsLeader(List.of(), 7, 9);
        boolean[] closed = {false};
        f.consumer.close(() -> closed[0] = true);
        OffsetCommitRequest commit = f.ctx.last(OffsetCommitRequest.class);
        assertThat(commit.partitions()).extracting(p -> p.offset()).containsExactly(7L, 9L);
        assertThat(closed[0]).isFalse();
        f.answerCommit(Errors.NONE);
        assertThat(closed[0]).isTrue();
        assertThat(f.ctx.sent(LeaveGroupRequest.class)).hasSize(1);
    }

    @Test
    void fencedInstanceIdIsFatal() {
        f.set("enable.auto.commit", "false").set("group.instance.id", "i1");
        f.joinAsLeader(List.of(), 0, 0);
        f.advance(3_000);
        f.answerHeartbeat(Errors.FENCED_INSTANCE_ID);
        assertThat(f.events).contains("fatal:FENCED_INSTANCE_ID");
        assertThat(f.polls).hasSize(1); // the outstanding poll returns at once
        assertThat(f.consumer.fatalError()).contains(Errors.FENCED_INSTANCE_ID);
    }

    @Test
    void unknownMemberIdOnHeartbeatLosesThePartitionsAndRejoinsAfresh() {
        f.set("enable.auto.commit", "false");
        f.joinAsLeader(List.of(), 0, 0);
        f.advance(3_000);
        f.answerHeartbeat(Errors.UNKNOWN_MEMBER_ID);
        assertThat(f.events).contains("lost:[t-0, t-1]");
        assertThat(f.lastJoin().memberId()).isEmpty();
        assertThat(f.lastJoin().protocols().get(0).subscription().generationId()).isEqualTo(-1);
    }

    @Test
    void notCoordinatorOnHeartbeatRediscoversTheCoordinator() {
        f.set("enable.auto.commit", "false");
        f.joinAsLeader(List.of(), 0, 0);
        f.advance(3_000);
        f.answerHeartbeat(Errors.NOT_COORDINATOR);
        assertThat(f.ctx.sent(FindCoordinatorRequest.class)).hasSize(2);
    }

    @Test
    void findCoordinatorRetriesAfterTheBackoff() {
        f.set("enable.auto.commit", "false");
        f.subscribe();
        f.poll(1_000_000);
        f.answerMetadata();
        f.consumer.onMessage(1, new dev.samsa.impl.protocol.GroupMessage.FindCoordinatorResponse(
                f.ctx.last(FindCoordinatorRequest.class).correlationId(), Errors.COORDINATOR_NOT_AVAILABLE, -1));
        assertThat(f.ctx.sent(FindCoordinatorRequest.class)).hasSize(1);
        f.advance(99);
        assertThat(f.ctx.sent(FindCoordinatorRequest.class)).hasSize(1);
        f.advance(1);
        assertThat(f.ctx.sent(FindCoordinatorRequest.class)).hasSize(2);
        f.answerFindCoordinator();
        assertThat(f.ctx.sent(JoinGroupRequest.class)).hasSize(1);
    }

    @Test
    void aSeekWinsOverTheCommittedOffsetStillBeingFetched() {
        f.set("enable.auto.commit", "false");
        f.subscribe();
        f.poll(1_000_000);
        f.answerMetadata();
        f.answerFindCoordinator();
        f.answerJoin(Errors.NONE, 1, "m1", "m1", List.of(member("m1", -1)));
        f.answerSync(Errors.NONE, T0);
        f.consumer.seek(T0, 77);
        f.answerOffsetFetch(42);
        assertThat(f.consumer.position(T0)).isEqualTo(OptionalLong.of(77));
    }

    @Test
    void rebalanceInProgressOnJoinGroupKeepsTheGenerationAndOwnedPartitions() {
        f.set("enable.auto.commit", "false").set("partition.assignment.strategy", "cooperative-sticky");
        f.joinAsLeader(List.of(), 0, 0);
        f.advance(3_000);
        f.answerHeartbeat(Errors.REBALANCE_IN_PROGRESS);
        f.answerJoin(Errors.REBALANCE_IN_PROGRESS, -1, "m1", "", List.of());
        JoinGroupRequest again = f.lastJoin();
        assertThat(f.ctx.sent(JoinGroupRequest.class)).hasSize(3);
        assertThat(again.memberId()).isEqualTo("m1");
        assertThat(again.protocols().get(0).subscription().generationId()).isEqualTo(1); // KAFKA-13419, the G3 set-up
        assertThat(again.protocols().get(0).subscription().ownedPartitions()).containsExactly(T0, T1);
    }

    @Test
    void groupMetadataKeepsTheLastJoinedGenerationWhenMembershipIsLost() {
        f.joinAsLeader(List.of(), 0, 0);
        var joined = f.consumer.groupMetadata();
        assertThat(joined.generationId()).isPositive();
        assertThat(joined.memberId()).isEqualTo("m1");
        f.advance(3_000);
        f.answerHeartbeat(Errors.UNKNOWN_MEMBER_ID);
        // as Kafka's: set only on join completion, so a zombie's transactional offsets are fenced by generation
        assertThat(f.consumer.groupMetadata()).isEqualTo(joined);
    }

    @Test
    void unsubscribeRevokesThenLeaves() {
        f.set("enable.auto.commit", "false");
        f.joinAsLeader(List.of(), 0, 0);
        f.consumer.unsubscribe();
        assertThat(f.events).contains("revoked:[t-0, t-1]");
        assertThat(f.ctx.last(LeaveGroupRequest.class).members()).containsExactly(new MemberIdentity("m1", null));
        assertThat(f.consumer.assignment()).isEmpty();
        assertThat(f.consumer.groupMetadata().generationId()).isEqualTo(-1);
    }

    @Test
    void aCommitDuringARebalanceFailsWithoutARequest() {
        f.set("enable.auto.commit", "false");
        f.joinAsLeader(List.of(), 3, 4);
        f.advance(3_000);
        f.answerHeartbeat(Errors.REBALANCE_IN_PROGRESS); // revoked (nothing to commit: auto-commit off), JoinGroup sent
        Errors[] result = {null};
        f.consumer.commitSync(java.util.Map.of(T0, new OffsetAndMetadata(3)), (o, e) -> result[0] = e);
        assertThat(result[0]).isEqualTo(Errors.REBALANCE_IN_PROGRESS);
        assertThat(f.ctx.sent(OffsetCommitRequest.class)).isEmpty();
        assertThat(f.events).containsSubsequence("commit-sent:[t-0]:false", "commit-done:REBALANCE_IN_PROGRESS@-1:"); // never sent: no generation
    }

    // ------------------------------------------------------------------ commits

    /** Joined owning t-0 from committed offset 10; poll returned 10..14, so the position is 15. */
    private FetchRequest consumedUpTo15() {
        f.joinAsLeader(List.of(member("m2", -1)), 10);
        assertThat(f.consumer.assignment()).containsExactly(T0);
        f.answerFetch(f.ctx.last(FetchRequest.class), T0, 10, 5);
        assertThat(f.polls).hasSize(1);
        assertThat(f.polls.get(0)).hasSize(5);
        f.poll(1_000_000);
        return f.ctx.last(FetchRequest.class); // the next fetch, from 15, in flight
    }

    @Test
    void autoCommitOnRevokeCommitsBeforeTheRevocationAndTheJoin() {
        consumedUpTo15();
        f.advance(3_000);
        f.answerHeartbeat(Errors.REBALANCE_IN_PROGRESS);
        OffsetCommitRequest commit = f.ctx.last(OffsetCommitRequest.class);
        assertThat(commit.generationId()).isEqualTo(1);
        assertThat(commit.memberId()).isEqualTo("m1");
        assertThat(commit.partitions()).extracting(p -> p.offset()).containsExactly(15L);
        assertThat(f.events).contains("commit-sent:[t-0]:true");
        assertThat(f.events).noneMatch(e -> e.startsWith("revoked"));
        assertThat(f.ctx.sent(JoinGroupRequest.class)).hasSize(1);
        f.answerCommit(Errors.NONE);
        assertThat(f.events).containsSubsequence("commit-done:NONE@1:m1", "revoked:[t-0]"); // accepted under generation 1
        assertThat(f.ctx.sent(JoinGroupRequest.class)).hasSize(2);
    }

    @Test
    void partitionsAwaitingRevocationAreNotFetchedNorReturned() {
        FetchRequest inFlight = consumedUpTo15();
        f.advance(3_000);
        f.answerHeartbeat(Errors.REBALANCE_IN_PROGRESS);
        int fetches = f.ctx.sent(FetchRequest.class).size();
        f.answerFetch(inFlight, T0, 15, 5);
        assertThat(f.polls).hasSize(1); // nothing returned while the revocation commit is in flight
        assertThat(f.ctx.sent(FetchRequest.class)).hasSize(fetches);
        f.answerCommit(Errors.NONE);
        assertThat(f.events).contains("revoked:[t-0]");
        assertThat(f.consumer.assignment()).isEmpty();
    }

    @Test
    void kafka14196ReturnsRecordsAfterTheRevocationCommitWasSent() {
        f.ctx.bugs.add(Bug.KAFKA_14196);
        FetchRequest inFlight = consumedUpTo15();
        f.advance(3_000);
        f.answerHeartbeat(Errors.REBALANCE_IN_PROGRESS);
        assertThat(f.events).contains("commit-sent:[t-0]:true");
        f.answerFetch(inFlight, T0, 15, 5);
        assertThat(f.polls).hasSize(2);
        assertThat(f.polls.get(1)).extracting(ConsumerRecord::offset).containsExactly(15L, 16L, 17L, 18L, 19L);
        assertThat(f.ctx.reached).contains("consumer.bug.fetch-during-revoke-commit");
    }

    @Test
    void autoCommitEveryInterval() {
        consumedUpTo15();
        f.ctx.outbox.clear();
        f.advance(4_999);
        assertThat(f.ctx.sent(OffsetCommitRequest.class)).isEmpty();
        f.advance(1);
        assertThat(f.ctx.last(OffsetCommitRequest.class).partitions()).extracting(p -> p.offset()).containsExactly(15L);
        assertThat(f.events).contains("commit-sent:[t-0]:false");
    }

    @Test
    void commitSyncRetriesOnCoordinatorNotAvailable() {
        f.set("enable.auto.commit", "false");
        f.consumer = new KafkaConsumer(f.ctx, List.of(1, 2, 3), f.ctx.settings);
        f.consumer.assign(List.of(T0));
        f.answerMetadata();
        f.consumer.seek(T0, 5);
        Errors[] result = {null};
        f.consumer.commitSync(null, (o, e) -> result[0] = e);
        f.answerFindCoordinator();
        OffsetCommitRequest first = f.ctx.last(OffsetCommitRequest.class);
        assertThat(first.generationId()).isEqualTo(-1);
        assertThat(first.memberId()).isEmpty();
        f.answerCommit(Errors.COORDINATOR_NOT_AVAILABLE);
        assertThat(result[0]).isNull();
        assertThat(f.ctx.sent(FindCoordinatorRequest.class)).hasSize(2);
        f.answerFindCoordinator();
        f.advance(100);
        assertThat(f.ctx.sent(OffsetCommitRequest.class)).hasSize(2);
        f.answerCommit(Errors.NONE);
        assertThat(result[0]).isEqualTo(Errors.NONE);
        assertThat(f.ctx.reached).contains("consumer.commit-sync-retry");
    }

    @Test
    void commitAsyncDoesNotRetry() {
        f.set("enable.auto.commit", "false");
        f.consumer = new KafkaConsumer(f.ctx, List.of(1, 2, 3), f.ctx.settings);
        f.consumer.assign(List.of(T0));
        f.answerMetadata();
        f.consumer.seek(T0, 5);
        Errors[] result = {null};
        f.consumer.commitAsync(null, (o, e) -> result[0] = e);
        f.answerFindCoordinator();
        f.answerCommit(Errors.COORDINATOR_NOT_AVAILABLE);
        assertThat(result[0]).isEqualTo(Errors.COORDINATOR_NOT_AVAILABLE);
        f.answerFindCoordinator();
        f.advance(1_000);
        assertThat(f.ctx.sent(OffsetCommitRequest.class)).hasSize(1);
    }

    @Test
    void commitSyncFailsOnIllegalGenerationAndTheMemberRejoins() {
        f.set("enable.auto.commit", "false");
        f.joinAsLeader(List.of(), 3, 4);
        Errors[] result = {null};
        f.consumer.commitSync(null, (o, e) -> result[0] = e);
        f.answerCommit(Errors.ILLEGAL_GENERATION);
        assertThat(result[0]).isEqualTo(Errors.ILLEGAL_GENERATION);
        assertThat(f.events).contains("lost:[t-0, t-1]");
        assertThat(f.lastJoin().memberId()).isEmpty();
    }

    @Test
    void committedFetchesTheGroupsOffsets() {
        f.set("enable.auto.commit", "false");
        f.consumer = new KafkaConsumer(f.ctx, List.of(1, 2, 3), f.ctx.settings);
        List<Object> out = new java.util.ArrayList<>();
        f.consumer.committed(List.of(T1, T0), (m, e) -> out.add(m + " " + e));
        f.answerFindCoordinator();
        assertThat(f.ctx.last(OffsetFetchRequest.class).partitions()).containsExactly(T0, T1);
        f.answerOffsetFetch(8, -1);
        assertThat(out).containsExactly("{t-0=OffsetAndMetadata[offset=8, leaderEpoch=-1, metadata=]} NONE");
    }
}
