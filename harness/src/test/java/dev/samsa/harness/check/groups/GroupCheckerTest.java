package dev.samsa.harness.check.groups;

import static org.assertj.core.api.Assertions.assertThat;

import dev.samsa.harness.check.groups.GroupOp.Outcome;
import dev.samsa.harness.check.groups.GroupOp.Rec;
import java.util.List;
import org.junit.jupiter.api.Test;

class GroupCheckerTest {

    static final long MS = 1_000_000L;

    static GroupPromise eager() {
        return GroupPromise.strict(GroupPromise.COMMIT_AFTER, "range", List.of(GH.G), 2, -1);
    }

    static GroupPromise cooperative() {
        return GroupPromise.strict(GroupPromise.COMMIT_AFTER, "cooperative-sticky", List.of(GH.G), 2, -1);
    }

    static List<String> violated(GH h, GroupPromise p) {
        return GroupChecker.check(h.ops(), p).violations().stream().map(GroupCheckResult.Anomaly::invariantId).distinct().toList();
    }

    static GroupCheckResult.Anomaly only(GH h, GroupPromise p, String id) {
        var as = GroupChecker.check(h.ops(), p).anomalies().stream().filter(a -> a.invariantId().equals(id)).toList();
        assertThat(as).hasSize(1);
        return as.get(0);
    }

    // ---------------------------------------------------------------- group.single-owner

    @Test
    void twoMembersGivenThePartitionInOneGenerationViolateSingleOwner() {
        GH bad = new GH().joinStarted(1, 1).joinStarted(2, 1).joined(1, 5, 1, "m1", 0, 1).joined(2, 6, 1, "m2", 1);
        assertThat(violated(bad, eager())).containsExactly("group.single-owner");
        assertThat(only(bad, eager(), "group.single-owner").evidence()).contains("generation 1 gives partition 1 to two members");
        GH good = new GH().joinStarted(1, 1).joinStarted(2, 1).joined(1, 5, 1, "m1", 0).joined(2, 6, 1, "m2", 1);
        assertThat(violated(good, eager())).isEmpty();
    }

    @Test
    void aGroupThatDiedAndStartedOverReusesItsGenerationNumbers() {
        // generation 3 of the first incarnation, the group empties and dies, its second incarnation counts 1, 2, 3 again
        GH h = new GH().joinStarted(1, 1).joined(1, 5, 3, "m1", 0, 1).commit(1, 6, 7, Outcome.OK, 3, "m1", false, 0, 5).crash(1, 10)
                .joinStarted(2, 20).joined(2, 21, 1, "m2", 0, 1).joined(2, 22, 2, "m2", 0, 1).joined(2, 23, 3, "m2", 0, 1)
                .commit(2, 24, 25, Outcome.OK, 3, "m2", false, 0, 9);
        assertThat(violated(h, eager())).isEmpty();
    }

    @Test
    void aStaticMemberRejoiningTheSameGenerationAfterEveryProcessLeftIsTheSameGroup() {
        // seed 325: the static members' processes all left (unsubscribe) or crashed, but static members stay in the
        // group until their sessions expire; one came back into the same generation 2 (no rebalance), then the one
        // that had left sent its revocation commit under generation 2, still its instance's member: the same group
        GH stillMember = new GH().joinStarted(1, 1).joinedAs(1, 5, 2, "m1", "i1", 0).joinStarted(2, 1).joinedAs(2, 5, 2, "m2", "i2", 1)
                .leave(1, 10).crash(2, 11).joinStarted(3, 20).joinedAs(3, 21, 2, "m3", "i2", 1)
                .commitAs(1, 22, 23, Outcome.OK, 2, "m1", "i1", false, 0, 9);
        assertThat(violated(stillMember, eager())).isEmpty();
        // a dynamic member back at the same generation number after every member had gone: the group died and started over
        GH restarted = new GH().joinStarted(1, 1).joined(1, 5, 2, "m1", 0).crash(1, 10).joinStarted(2, 20).joined(2, 21, 1, "m2", 0)
                .joined(2, 22, 2, "m2", 0).commit(2, 24, 25, Outcome.OK, 2, "m2", false, 0, 9);
        assertThat(violated(restarted, eager())).isEmpty();
    }

    @Test
    void aPartitionMovedAcrossGenerationsAfterRevocationIsFine() {
        GH h = new GH().joinStarted(1, 1).joined(1, 5, 1, "m1", 0, 1)
                .revoked(1, 10, 0, 1).joinStarted(1, 10).joinStarted(2, 10).joined(1, 15, 2, "m1", 0).joined(2, 15, 2, "m2", 1);
        assertThat(violated(h, eager())).isEmpty();
    }

    @Test
    void cooperativeRevokeAndAssignInOneRoundViolatesSingleOwner() {
        // KAFKA-14639: p1 taken from process 1 and given to process 2 in the same generation
        GH bad = new GH().joinStarted(1, 1).joined(1, 5, 1, "m1", 0, 1)
                .joinStarted(1, 10).joinStarted(2, 10).joined(1, 15, 2, "m1", 0).joined(2, 15, 2, "m2", 1).revoked(1, 16, 1);
        assertThat(violated(bad, cooperative())).containsExactly("group.single-owner");
        assertThat(only(bad, cooperative(), "group.single-owner").evidence()).contains("revoked from process 1").contains("same generation 2");
        // the protocol: revoked in generation 2, given to process 2 in generation 3
        GH good = new GH().joinStarted(1, 1).joined(1, 5, 1, "m1", 0, 1)
                .joinStarted(1, 10).joinStarted(2, 10).joined(1, 15, 2, "m1", 0).joined(2, 15, 2, "m2").revoked(1, 16, 1)
                .joinStarted(1, 17).joinStarted(2, 17).joined(1, 20, 3, "m1", 0).joined(2, 20, 3, "m2", 1);
        assertThat(violated(good, cooperative())).isEmpty();
    }

    @Test
    void aStaleCooperativeClaimMayBeDroppedWhileTheRightfulOwnerKeepsThePartition() {
        // process 1 missed generation 2, in which process 2 got p1; in generation 3 process 1 drops p1 and process 2 keeps it
        GH h = new GH().joinStarted(1, 1).joined(1, 5, 1, "m1", 0, 1)
                .joinStarted(2, 6).joined(2, 8, 2, "m2", 1)
                .joinStarted(1, 10).joinStarted(2, 10).joined(1, 15, 3, "m1", 0).joined(2, 15, 3, "m2", 1);
        assertThat(violated(h, cooperative())).isEmpty();
    }

    @Test
    void partitionsLostWhileRejoiningAreNoClaimInTheNextRound() {
        // process 1 timed out of generation 1: it lost p1 just after it started to rejoin; generation 2 gives p1 to process 2
        GH sameId = new GH().joinStarted(1, 1).joinStarted(2, 1).joined(1, 5, 1, "m1", 1).joined(2, 5, 1, "m2", 0)
                .joinStarted(1, 20).lost(1, 20, 1).joinStarted(2, 21).joined(1, 25, 2, "m1").joined(2, 25, 2, "m2", 0, 1);
        assertThat(violated(sameId, cooperative())).isEmpty();
        // the same under a new member id, without the loss being reported
        GH newId = new GH().joinStarted(1, 1).joinStarted(2, 1).joined(1, 5, 1, "m1", 1).joined(2, 5, 1, "m2", 0)
                .joinStarted(1, 20).joinStarted(2, 21).joined(1, 25, 2, "m3").joined(2, 25, 2, "m2", 0, 1);
        assertThat(violated(newId, cooperative())).isEmpty();
    }

    @Test
    void aCommitAcceptedAfterTheGroupMovedOnViolatesSingleOwner() {
        GH base = new GH().joinStarted(1, 1).joined(1, 5, 1, "m1", 0, 1).joinStarted(2, 10).joined(2, 20, 2, "m2", 0, 1);
        GH bad = base.commit(1, 25, 26, Outcome.OK, 1, "m1", false, 0, 7);
        assertThat(violated(bad, eager())).containsExactly("group.single-owner");
        assertThat(only(bad, eager(), "group.single-owner").evidence()).contains("was accepted, though process 2 had joined generation 2");
        GH fenced = new GH().joinStarted(1, 1).joined(1, 5, 1, "m1", 0, 1).joinStarted(2, 10).joined(2, 20, 2, "m2", 0, 1)
                .commit(1, 25, 26, Outcome.FAIL, 1, "m1", false, 0, 7);
        assertThat(violated(fenced, eager())).isEmpty();
    }

    @Test
    void aStaticInstanceTakenOverFencesItsOldMemberId() {
        // KAFKA-10284: the old instance (process 1) keeps committing under m1 after process 2 rejoined as i1 under m2
        GH bad = new GH().joinStarted(1, 1).joinedAs(1, 5, 1, "m1", "i1", 0, 1).joinStarted(2, 10).joinedAs(2, 12, 1, "m2", "i1", 0, 1)
                .commitAs(1, 20, 21, Outcome.OK, 1, "m1", "i1", false, 0, 9);
        assertThat(violated(bad, eager())).containsExactly("group.single-owner");
        assertThat(only(bad, eager(), "group.single-owner").evidence()).contains("its instance i1 had rejoined as m2");
        GH good = new GH().joinStarted(1, 1).joinedAs(1, 5, 1, "m1", "i1", 0, 1).joinStarted(2, 10).joinedAs(2, 12, 1, "m2", "i1", 0, 1)
                .commitAs(1, 20, 21, Outcome.FAIL, 1, "m1", "i1", false, 0, 9);
        assertThat(violated(good, eager())).isEmpty();
        // the old process took its instance back under a new member id: its commits are its own again
        GH back = new GH().joinStarted(1, 1).joinedAs(1, 5, 1, "m1", "i1", 0, 1).joinStarted(2, 10).joinedAs(2, 12, 1, "m2", "i1", 0, 1)
                .joinStarted(1, 15).joinedAs(1, 18, 1, "m3", "i1", 0, 1).commitAs(1, 20, 21, Outcome.OK, 1, "m3", "i1", false, 0, 9);
        assertThat(violated(back, eager())).isEmpty();
        // seed 311: a zombie (process 2) began its join at 10 but its answers came late (clogged link, completed at 19); the old
        // process rejoined meanwhile (16..18) and took the instance over as m3: the coordinator ordered them, not the answers
        GH overlapping = new GH().joinStarted(1, 1).joinedAs(1, 5, 1, "m1", "i1", 0, 1).joinStarted(2, 10).joinStarted(1, 16)
                .joinedAs(1, 18, 1, "m3", "i1", 0, 1).joinedAs(2, 19, 1, "m2", "i1", 0, 1)
                .commitAs(1, 20, 21, Outcome.OK, 1, "m3", "i1", false, 0, 9);
        assertThat(violated(overlapping, eager())).isEmpty();
    }

    // ---------------------------------------------------------------- committed offsets

    @Test
    void aLowerCommitAfterAHigherOneViolatesMonotonicUnlessTheConsumerReset() {
        GH bad = new GH().commit(1, 1, 2, Outcome.OK, 1, "m1", false, 0, 10).commit(2, 5, 6, Outcome.OK, 2, "m2", false, 0, 4);
        assertThat(violated(bad, eager())).contains("group.committed-monotonic");
        assertThat(only(bad, eager(), "group.committed-monotonic").evidence()).contains("committed 4").contains("had committed 10");
        GH reset = new GH().commit(1, 1, 2, Outcome.OK, 1, "m1", false, 0, 10).reset(2, 3, 0, 0).commit(2, 5, 6, Outcome.OK, 2, "m2", false, 0, 4);
        assertThat(violated(reset, eager())).isEmpty();
        GH up = new GH().commit(1, 1, 2, Outcome.OK, 1, "m1", false, 0, 10).commit(2, 5, 6, Outcome.OK, 2, "m2", false, 0, 14);
        assertThat(violated(up, eager())).isEmpty();
    }

    @Test
    void anAcknowledgedCommitThatVanishesViolatesDurabilityUnlessOffsetsMayExpire() {
        GH lost = new GH().commit(1, 1, 2, Outcome.OK, 1, "m1", false, 0, 10).fetch(2, 5, 6, 0, -1);
        assertThat(violated(lost, eager())).contains("group.offset-durable", "group.offsets-linearizable");
        assertThat(only(lost, eager(), "group.offset-durable").evidence()).contains("read no committed offset").contains("commit of 10");
        GroupPromise expiring = eager().withOffsetsMayExpire("offsets.retention.minutes=1 and the group was empty that long");
        assertThat(violated(lost, expiring)).isEmpty();
        assertThat(only(lost, expiring, "group.offset-durable").expected()).isTrue();
        GH kept = new GH().commit(1, 1, 2, Outcome.OK, 1, "m1", false, 0, 10).fetch(2, 5, 6, 0, 10);
        assertThat(violated(kept, eager())).isEmpty();
    }

    @Test
    void aStaleReadWhileACoordinatorMayBeDeposedIsExpected() {
        // broker paused 3..9 ms: the read completing at 6 ms may come from its cache
        GH stale = new GH().commit(1, 1, 2, Outcome.OK, 1, "m1", false, 0, 10).commit(1, 3, 4, Outcome.OK, 1, "m1", false, 0, 12)
                .fetch(2, 5, 6, 0, 10);
        assertThat(violated(stale, eager())).contains("group.offset-durable", "group.offsets-linearizable");
        GroupPromise zombie = eager().withStaleReadWindows(List.of(List.of(3 * MS, 9 * MS)));
        assertThat(violated(stale, zombie)).isEmpty();
        assertThat(only(stale, zombie, "group.offset-durable").whyExpected()).contains("deposed coordinator");
    }

    @Test
    void aMemberThatFindsNoCommittedOffsetAfterAnAcknowledgedCommitViolatesDurability() {
        // KAFKA-8069: the offsets expired right after a coordinator fail-over; the next owner resets to the beginning
        GH lost = new GH().joinStarted(1, 1).joined(1, 2, 1, "m1", 0).commit(1, 3, 4, Outcome.OK, 1, "m1", false, 0, 10)
                .joinStarted(2, 10).joined(2, 12, 2, "m2", 0).reset(2, 13, 0, 0);
        assertThat(violated(lost, eager())).contains("group.offset-durable");
        assertThat(only(lost, eager(), "group.offset-durable").evidence()).contains("found no committed offset").contains("commit of 10");
        GH fresh = new GH().joinStarted(2, 10).joined(2, 12, 2, "m2", 0).reset(2, 13, 0, 0).commit(2, 14, 15, Outcome.OK, 2, "m2", false, 0, 3);
        assertThat(violated(fresh, eager())).isEmpty();
    }

    @Test
    void aReadOfAnUnknownCommitIsFine() {
        GH h = new GH().commit(1, 1, 2, Outcome.OK, 1, "m1", false, 0, 10).commit(1, 3, 4, Outcome.INFO, 1, "m1", false, 0, 12)
                .fetch(2, 5, 6, 0, 12).fetch(2, 7, 8, 0, 12);
        assertThat(violated(h, eager())).isEmpty();
    }

    @Test
    void readsThatGoBackBetweenConcurrentWritesAreNotLinearizable() {
        // both writes done before either read: the first read fixes their order, the second contradicts it
        GH bad = new GH().commit(1, 0, 10, Outcome.OK, 1, "m1", false, 0, 5).commit(2, 0, 10, Outcome.OK, 1, "m2", false, 0, 10)
                .fetch(3, 20, 21, 0, 10).fetch(3, 30, 31, 0, 5);
        assertThat(violated(bad, eager())).contains("group.offsets-linearizable");
        GH good = new GH().commit(1, 0, 10, Outcome.OK, 1, "m1", false, 0, 5).commit(2, 0, 10, Outcome.OK, 1, "m2", false, 0, 10)
                .fetch(3, 20, 21, 0, 10).fetch(3, 30, 31, 0, 10);
        assertThat(violated(good, eager())).isEmpty();
    }

    // ---------------------------------------------------------------- delivery

    @Test
    void aRecordBelowTheCommittedOffsetNobodyProcessedViolatesAtLeastOnce() {
        GH bad = new GH().send(1, 0, 0, 100, 0, 1, 200, 0, 2, 300).process(1, 5, 0, 0, 100, 0, 2, 300)
                .commit(1, 6, 7, Outcome.OK, 1, "m1", false, 0, 3);
        assertThat(violated(bad, eager())).containsExactly("group.at-least-once");
        assertThat(only(bad, eager(), "group.at-least-once").evidence()).contains("offset 1 is below the final committed offset 3");
        GroupPromise auto = GroupPromise.strict(GroupPromise.AUTO_COMMIT, "range", List.of(GH.G), 2, -1);
        assertThat(violated(bad, auto)).isEmpty();
        assertThat(only(bad, auto, "group.at-least-once").whyExpected()).contains("enable.auto.commit=true");
        GH dup = new GH().send(1, 0, 0, 100, 0, 1, 200).process(1, 5, 0, 0, 100, 0, 1, 200).process(2, 6, 0, 0, 100)
                .commit(1, 6, 7, Outcome.OK, 1, "m1", false, 0, 2);
        GroupCheckResult r = GroupChecker.check(dup.ops(), eager());
        assertThat(r.violations()).isEmpty();
        assertThat(r.counts()).containsEntry("records.processed.again", 1L);
    }

    @Test
    void processingPastTheRevocationCommitViolatesNoDeliveryAfterRevoke() {
        // KAFKA-14196: the revocation commit of 10 is in flight, yet the member hands out offset 10 and 11
        GH inFlight = new GH().joinStarted(1, 1).joined(1, 2, 1, "m1", 0).process(1, 3, 0, 9, 900)
                .process(1, 12, 0, 10, 1000, 0, 11, 1100).commit(1, 10, 15, Outcome.OK, 1, "m1", true, 0, 10);
        assertThat(violated(inFlight, eager())).containsExactly("group.no-delivery-after-revoke");
        assertThat(only(inFlight, eager(), "group.no-delivery-after-revoke").evidence()).contains("offset 10").contains("in flight");
        GH after = new GH().joinStarted(1, 1).joined(1, 2, 1, "m1", 0).commit(1, 10, 15, Outcome.OK, 1, "m1", true, 0, 10)
                .process(1, 16, 0, 10, 1000);
        assertThat(violated(after, eager())).containsExactly("group.no-delivery-after-revoke");
        GH reassigned = new GH().joinStarted(1, 1).joined(1, 2, 1, "m1", 0).commit(1, 10, 15, Outcome.OK, 1, "m1", true, 0, 10)
                .joinStarted(1, 15).joined(1, 20, 2, "m1", 0).process(1, 21, 0, 10, 1000);
        assertThat(violated(reassigned, eager())).isEmpty();
    }

    @Test
    void aCommittedPoisonRecordMissingFromTheDeadLetterTopicViolatesDeadLetter() {
        GroupPromise p = GroupPromise.strict(GroupPromise.DEAD_LETTER, "range", List.of(GH.G), 2, -1); // poison: (v / 100) % 5 == 0
        GH bad = new GH().send(1, 0, 0, 500, 0, 1, 600).process(1, 2, 0, 0, 500, 0, 1, 600).commit(1, 3, 4, Outcome.OK, 1, "m1", false, 0, 2)
                .dlt(10);
        assertThat(violated(bad, p)).containsExactly("group.dead-letter");
        assertThat(only(bad, p, "group.dead-letter").evidence()).contains("poison record 500");
        GH good = new GH().send(1, 0, 0, 500, 0, 1, 600).process(1, 2, 0, 0, 500, 0, 1, 600).commit(1, 3, 4, Outcome.OK, 1, "m1", false, 0, 2)
                .dlt(10, new Rec(0, 0, 500, "x-exception=poison;group=g1;"));
        assertThat(violated(good, p)).isEmpty();
        GH skipped = new GH().send(1, 0, 0, 500, 0, 1, 600).process(1, 2, 0, 0, 500, 0, 1, 600).commit(1, 3, 4, Outcome.OK, 1, "m1", false, 0, 2)
                .dltReset(9, 0, 40).dlt(10);
        assertThat(violated(skipped, p)).isEmpty();
        assertThat(only(skipped, p, "group.dead-letter").whyExpected()).contains("retention");
        GH uncommitted = new GH().send(1, 0, 0, 500).process(1, 2, 0, 0, 500).crash(1, 3).dlt(10);
        assertThat(violated(uncommitted, p)).isEmpty();
        assertThat(only(uncommitted, p, "group.dead-letter").expected()).isTrue();
        // seed 220: the member that processed it crashed before forwarding it; retention deleted it before the next
        // owner fetched, whose reset jumped past it and committed past it
        GH crashedThenReset = new GH().send(1, 0, 0, 500, 0, 1, 600, 0, 2, 700).process(1, 2, 0, 0, 500).crash(1, 3)
                .reset(2, 5, 0, 2).process(2, 6, 0, 2, 700).commit(2, 7, 8, Outcome.OK, 1, "m2", false, 0, 3).dlt(10);
        assertThat(violated(crashedThenReset, p)).isEmpty();
        assertThat(only(crashedThenReset, p, "group.dead-letter").whyExpected()).contains("reset past it");
        GH crashedNoReset = new GH().send(1, 0, 0, 500, 0, 1, 600, 0, 2, 700).process(1, 2, 0, 0, 500).crash(1, 3)
                .process(2, 6, 0, 1, 600, 0, 2, 700).commit(2, 7, 8, Outcome.OK, 1, "m2", false, 0, 3).dlt(10);
        assertThat(violated(crashedNoReset, p)).containsExactly("group.dead-letter");
    }

    // ---------------------------------------------------------------- stability and rebalances

    @Test
    void aGroupThatEndsWithAnUnassignedPartitionIsNotStable() {
        GroupPromise p = GroupPromise.strict(GroupPromise.COMMIT_AFTER, "range", List.of(GH.G), 2, 100 * MS);
        GH bad = new GH().joinStarted(1, 1).joinStarted(2, 1).joined(1, 5, 1, "m1", 0).joined(2, 5, 1, "m2");
        assertThat(violated(bad, p)).containsExactly("group.stable-after-heal");
        assertThat(only(bad, p, "group.stable-after-heal").evidence()).contains("partitions [1] unassigned in generation 1");
        GH crashed = new GH().joinStarted(1, 1).joinStarted(2, 1).joined(1, 5, 1, "m1", 0).joined(2, 5, 1, "m2", 1).crash(2, 50);
        assertThat(violated(crashed, p)).containsExactly("group.stable-after-heal");
        GH late = new GH().joinStarted(1, 1).joinStarted(2, 1).joined(1, 5, 1, "m1", 0).joined(2, 150, 1, "m2", 1);
        assertThat(only(late, p, "group.stable-after-heal").evidence()).contains("after the deadline");
        GH good = new GH().joinStarted(1, 1).joinStarted(2, 1).joined(1, 5, 1, "m1", 0).joined(2, 5, 1, "m2", 1);
        assertThat(violated(good, p)).isEmpty();
        GroupPromise unjudged = GroupPromise.strict(GroupPromise.COMMIT_AFTER, "range", List.of(GH.G), 2, -1);
        assertThat(violated(bad, unjudged)).isEmpty();
    }

    @Test
    void aRebalanceLastsFromTheFirstJoinToTheLastArrival() {
        GH h = new GH().joinStarted(1, 1).joinStarted(2, 2).joined(1, 5, 1, "m1", 0).joined(2, 7, 1, "m2", 1)
                .revoked(1, 20, 0).joinStarted(1, 20).joinStarted(2, 21).joined(2, 30, 2, "m2", 1).joined(1, 33, 2, "m1", 0);
        var rs = GroupChecker.check(h.ops(), eager()).rebalances();
        assertThat(rs).extracting(GroupCheckResult.Rebalance::durationNs).containsExactly(6 * MS, 13 * MS);
        assertThat(rs).extracting(GroupCheckResult.Rebalance::generation).containsExactly(1, 2);
    }
}
