package dev.samsa.impl.client.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.samsa.impl.protocol.GroupMessage;
import dev.samsa.impl.protocol.GroupMessage.Assignment;
import dev.samsa.impl.protocol.GroupMessage.JoinGroupMember;
import dev.samsa.impl.protocol.GroupMessage.Subscription;
import dev.samsa.impl.protocol.TopicPartition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class AssignorTest {

    static TopicPartition tp(String t, int p) {
        return new TopicPartition(t, p);
    }

    static JoinGroupMember member(String id, List<String> topics, int generation, TopicPartition... owned) {
        return new JoinGroupMember(id, null, new Subscription(topics, List.of(owned), generation));
    }

    static List<TopicPartition> parts(Map<String, Assignment> a, String member) {
        return a.get(member).partitions();
    }

    @Test
    void rangeGivesConsecutiveRangesPerTopicWithTheExtraToTheFirstMembers() {
        var a = new RangeAssignor().assign(Map.of("t", 5, "u", 2), List.of(
                member("b", List.of("t", "u"), -1), member("a", List.of("t", "u"), -1)));
        assertThat(parts(a, "a")).containsExactly(tp("t", 0), tp("t", 1), tp("t", 2), tp("u", 0));
        assertThat(parts(a, "b")).containsExactly(tp("t", 3), tp("t", 4), tp("u", 1));
    }

    @Test
    void rangeOrdersStaticMembersByInstanceIdFirst() {
        var a = new RangeAssignor().assign(Map.of("t", 2), List.of(
                member("a", List.of("t"), -1), new JoinGroupMember("z", "i1", new Subscription(List.of("t"), List.of(), -1))));
        assertThat(parts(a, "z")).containsExactly(tp("t", 0));
        assertThat(parts(a, "a")).containsExactly(tp("t", 1));
    }

    @Test
    void roundRobinDealsPartitionsInTurnSkippingNonSubscribers() {
        var a = new RoundRobinAssignor().assign(Map.of("t", 3, "u", 2), List.of(
                member("a", List.of("t", "u"), -1), member("b", List.of("t"), -1)));
        assertThat(parts(a, "a")).containsExactly(tp("t", 0), tp("t", 2), tp("u", 0), tp("u", 1));
        assertThat(parts(a, "b")).containsExactly(tp("t", 1));
    }

    @Test
    void eagerAssignorsIgnoreOwnershipAndCoverEveryPartitionOnce() {
        for (ConsumerPartitionAssignor assignor : List.of(new RangeAssignor(), new RoundRobinAssignor())) {
            var a = assignor.assign(Map.of("t", 7), List.of(member("a", List.of("t"), 3, tp("t", 6)), member("b", List.of("t"), 3),
                    member("c", List.of("t"), 3)));
            assertEveryPartitionOnce(a, 7);
            assertThat(a.values().stream().mapToInt(x -> x.partitions().size()).max().getAsInt()).isEqualTo(3);
        }
    }

    @Test
    void cooperativeStickyKeepsOwnedPartitionsWhenBalanced() {
        var a = new CooperativeStickyAssignor(false).assign(Map.of("t", 4), List.of(
                member("a", List.of("t"), 5, tp("t", 3), tp("t", 1)), member("b", List.of("t"), 5, tp("t", 0), tp("t", 2))));
        assertThat(parts(a, "a")).containsExactly(tp("t", 1), tp("t", 3));
        assertThat(parts(a, "b")).containsExactly(tp("t", 0), tp("t", 2));
    }

    @Test
    void cooperativeStickyMovesAPartitionToANewMemberOnlyInTheFollowUpRound() {
        var assignor = new CooperativeStickyAssignor(false);
        // round 1: b joins; a owns all four
        var r1 = assignor.assign(Map.of("t", 4), List.of(
                member("a", List.of("t"), 5, tp("t", 0), tp("t", 1), tp("t", 2), tp("t", 3)), member("b", List.of("t"), -1)));
        assertThat(parts(r1, "a")).containsExactly(tp("t", 0), tp("t", 1));
        assertThat(parts(r1, "b")).isEmpty(); // t-2 and t-3 are revoked from a, given to nobody yet
        assertNoRevokedAndAssignedInOneRound(r1, List.of(
                member("a", List.of("t"), 5, tp("t", 0), tp("t", 1), tp("t", 2), tp("t", 3)), member("b", List.of("t"), -1)));
        // round 2: a revoked them and rejoins owning two
        var r2 = assignor.assign(Map.of("t", 4), List.of(
                member("a", List.of("t"), 6, tp("t", 0), tp("t", 1)), member("b", List.of("t"), 6)));
        assertThat(parts(r2, "a")).containsExactly(tp("t", 0), tp("t", 1));
        assertThat(parts(r2, "b")).containsExactly(tp("t", 2), tp("t", 3));
    }

    @Test
    void cooperativeStickySameGenerationConflictTrustsNeither() {
        var a = new CooperativeStickyAssignor(false).assign(Map.of("t", 2), List.of(
                member("a", List.of("t"), 5, tp("t", 0)), member("b", List.of("t"), 5, tp("t", 0), tp("t", 1))));
        assertEveryPartitionOnce(a, 2);
    }

    @Test
    void cooperativeStickyBalancesUnequalSubscriptions() {
        var a = new CooperativeStickyAssignor(false).assign(Map.of("t", 4, "u", 2), List.of(
                member("a", List.of("t", "u"), -1), member("b", List.of("t"), -1), member("c", List.of("u"), -1)));
        assertEveryPartitionOnce(a, 6);
        a.values().forEach(x -> assertThat(x.partitions()).hasSize(2));
    }

    /**
     * G3 (KAFKA-14639): m3 missed generation 6 and still holds t-0 and t-1 from generation 5; m1
     * got t-0 in generation 6; m2 is new. Only the generation-6 claim on t-0 should beat m3's.
     */
    static final List<JoinGroupMember> G3 = List.of(
            member("m1", List.of("t"), 6, tp("t", 0)),
            member("m2", List.of("t"), GroupMessage.NO_GENERATION),
            member("m3", List.of("t"), 5, tp("t", 0), tp("t", 1)));

    @Test
    void g3FixedRuleKeepsTheSoleClaimOfTheOlderGeneration() {
        var a = new CooperativeStickyAssignor(false).assign(Map.of("t", 3), G3);
        assertThat(parts(a, "m1")).containsExactly(tp("t", 0));
        assertThat(parts(a, "m3")).containsExactly(tp("t", 1));
        assertThat(parts(a, "m2")).containsExactly(tp("t", 2));
        assertThat(revokedAndAssignedInOneRound(a, G3)).isEmpty();
    }

    @Test
    void g3FaultyRuleRevokesAndAssignsInTheSameRound() {
        var a = new CooperativeStickyAssignor(true).assign(Map.of("t", 3), G3);
        // m3's claims are ignored: t-1 goes to m2 while m3 still holds it and must revoke it
        assertThat(parts(a, "m2")).containsExactly(tp("t", 1));
        assertThat(parts(a, "m3")).doesNotContain(tp("t", 1));
        assertThat(revokedAndAssignedInOneRound(a, G3)).containsExactly(tp("t", 1));
    }

    static void assertEveryPartitionOnce(Map<String, Assignment> a, int partitions) {
        List<TopicPartition> all = new ArrayList<>();
        a.values().forEach(x -> all.addAll(x.partitions()));
        assertThat(all).doesNotHaveDuplicates();
        assertThat(all).hasSize(partitions);
    }

    static void assertNoRevokedAndAssignedInOneRound(Map<String, Assignment> a, List<JoinGroupMember> members) {
        assertThat(revokedAndAssignedInOneRound(a, members)).isEmpty();
    }

    /** Partitions a member claims and loses while another member, which did not claim it, gets it. */
    static TreeSet<TopicPartition> revokedAndAssignedInOneRound(Map<String, Assignment> a, List<JoinGroupMember> members) {
        TreeSet<TopicPartition> revoked = new TreeSet<>();
        TreeSet<TopicPartition> added = new TreeSet<>();
        TreeMap<String, List<TopicPartition>> owned = new TreeMap<>();
        members.forEach(m -> owned.put(m.memberId(), m.subscription().ownedPartitions()));
        a.forEach((m, x) -> {
            owned.get(m).stream().filter(tp -> !x.partitions().contains(tp)).forEach(revoked::add);
            x.partitions().stream().filter(tp -> !owned.get(m).contains(tp)).forEach(added::add);
        });
        revoked.retainAll(added);
        return revoked;
    }
}
