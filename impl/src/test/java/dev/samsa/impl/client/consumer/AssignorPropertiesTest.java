package dev.samsa.impl.client.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.samsa.impl.node.RandomStream;
import dev.samsa.impl.protocol.GroupMessage.Assignment;
import dev.samsa.impl.protocol.GroupMessage.JoinGroupMember;
import dev.samsa.impl.protocol.GroupMessage.Subscription;
import dev.samsa.impl.protocol.TopicPartition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Random groups: members subscribed to random topic sets, each partition held by at most one
 * member per generation (members of older generations may still claim what a newer one took:
 * the KAFKA-13419 situation).
 */
class AssignorPropertiesTest {

    record Group(TreeMap<String, Integer> topics, List<JoinGroupMember> members) {}

    static Group group(long seed) {
        RandomStream r = new RandomStream(seed);
        TreeMap<String, Integer> topics = new TreeMap<>();
        int nTopics = 1 + r.nextInt(3);
        for (int t = 0; t < nTopics; t++) {
            topics.put("t" + t, 1 + r.nextInt(8));
        }
        int nMembers = 1 + r.nextInt(5);
        // per generation, who holds each partition
        TreeMap<Integer, TreeMap<TopicPartition, Integer>> holders = new TreeMap<>();
        int[] generation = new int[nMembers];
        List<List<String>> subs = new ArrayList<>();
        for (int m = 0; m < nMembers; m++) {
            generation[m] = r.nextInt(4) == 0 ? -1 : 3 + r.nextInt(3);
            List<String> sub = new ArrayList<>();
            topics.keySet().forEach(t -> {
                if (r.nextInt(3) != 0) {
                    sub.add(t);
                }
            });
            if (sub.isEmpty()) {
                sub.add(topics.firstKey());
            }
            subs.add(sub);
        }
        topics.forEach((t, n) -> {
            for (int p = 0; p < n; p++) {
                int m = r.nextInt(nMembers + 1);
                // a member revokes partitions of topics it no longer subscribes to before it joins
                if (m < nMembers && generation[m] >= 0 && subs.get(m).contains(t)) {
                    holders.computeIfAbsent(generation[m], g -> new TreeMap<>()).put(new TopicPartition(t, p), m);
                }
            }
        });
        List<JoinGroupMember> members = new ArrayList<>();
        for (int m = 0; m < nMembers; m++) {
            final int id = m;
            List<TopicPartition> owned = new ArrayList<>();
            holders.getOrDefault(generation[m], new TreeMap<>()).forEach((tp, holder) -> {
                if (holder == id) {
                    owned.add(tp);
                }
            });
            members.add(new JoinGroupMember("m" + m, null, new Subscription(subs.get(m), owned, generation[m])));
        }
        return new Group(topics, members);
    }

    static List<TopicPartition> subscribedPartitions(Group g) {
        TreeSet<TopicPartition> out = new TreeSet<>();
        g.members().forEach(m -> m.subscription().topics().forEach(t -> {
            for (int p = 0; p < g.topics().get(t); p++) {
                out.add(new TopicPartition(t, p));
            }
        }));
        return new ArrayList<>(out);
    }

    @Property(tries = 500)
    void eagerAssignorsAssignEverySubscribedPartitionExactlyOnce(@ForAll long seed) {
        Group g = group(seed);
        for (ConsumerPartitionAssignor a : List.of(new RangeAssignor(), new RoundRobinAssignor())) {
            Map<String, Assignment> out = a.assign(g.topics(), g.members());
            List<TopicPartition> all = new ArrayList<>();
            out.forEach((m, x) -> {
                all.addAll(x.partitions());
                JoinGroupMember member = g.members().stream().filter(mm -> mm.memberId().equals(m)).findFirst().orElseThrow();
                x.partitions().forEach(tp -> assertThat(member.subscription().topics()).contains(tp.topic()));
            });
            assertThat(all).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(subscribedPartitions(g));
        }
    }

    @Property(tries = 1000)
    void cooperativeNeverAssignsAPartitionInTheRoundItIsRevoked(@ForAll long seed) {
        Group g = group(seed);
        Map<String, Assignment> out = new CooperativeStickyAssignor(false).assign(g.topics(), g.members());
        List<TopicPartition> all = new ArrayList<>();
        out.values().forEach(x -> all.addAll(x.partitions()));
        assertThat(all).doesNotHaveDuplicates();
        assertThat(AssignorTest.revokedAndAssignedInOneRound(out, g.members())).isEmpty();
    }

    /** Rounds of cooperative rebalancing, each member owning what it got: two rounds reach a balanced, complete assignment. */
    @Property(tries = 300)
    void cooperativeConvergesInTwoRoundsWhenSubscriptionsAreEqual(@ForAll long seed) {
        Group g = group(seed);
        List<String> topics = new ArrayList<>(g.topics().keySet());
        List<JoinGroupMember> members = new ArrayList<>();
        g.members().forEach(m -> members.add(new JoinGroupMember(m.memberId(), null,
                new Subscription(topics, m.subscription().ownedPartitions(), m.subscription().generationId()))));
        CooperativeStickyAssignor a = new CooperativeStickyAssignor(false);
        Map<String, Assignment> out = a.assign(g.topics(), members);
        for (int round = 0; round < 1; round++) {
            List<JoinGroupMember> next = new ArrayList<>();
            for (JoinGroupMember m : members) {
                next.add(new JoinGroupMember(m.memberId(), null, new Subscription(topics, out.get(m.memberId()).partitions(), 10 + round)));
            }
            out = a.assign(g.topics(), next);
        }
        List<TopicPartition> all = new ArrayList<>();
        out.values().forEach(x -> all.addAll(x.partitions()));
        int total = g.topics().values().stream().mapToInt(Integer::intValue).sum();
        assertThat(all).doesNotHaveDuplicates().hasSize(total);
        int max = out.values().stream().mapToInt(x -> x.partitions().size()).max().getAsInt();
        int min = out.values().stream().mapToInt(x -> x.partitions().size()).min().getAsInt();
        assertThat(max - min).isLessThanOrEqualTo(1);
    }
}
