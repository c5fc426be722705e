package dev.samsa.impl.client.consumer;

import dev.samsa.impl.protocol.GroupMessage;
import dev.samsa.impl.protocol.GroupMessage.JoinGroupMember;
import dev.samsa.impl.protocol.TopicPartition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Which member the sticky assignor takes as the current owner of each partition, from the
 * owned partitions and generation each member put in its subscription (KIP-429, KIP-792).
 * Members are visited in member-id order (Kafka visits them in a hash order).
 *
 * <p>The rule since KAFKA-14639 (3.4.1/3.5.0): a sole claimant keeps its claim; of several
 * claimants, the highest generation wins; claimants of the same generation both lose it. The
 * rule before (flag {@code KAFKA_14639}): only members of the highest generation seen have
 * claims at all; an older member's claims are dropped even where nobody else claims the
 * partition, so the assignor does not see that the older member still holds it and may give it
 * to someone else in the same round, where cooperative rebalancing should first take it away.
 */
final class OwnedPartitionClaims {

    private OwnedPartitionClaims() {}

    /** Each member's claims the assignor honours; every member present. */
    static TreeMap<String, TreeSet<TopicPartition>> resolve(List<JoinGroupMember> members, Map<String, Integer> partitionsPerTopic,
            boolean bugKafka14639) {
        List<JoinGroupMember> byId = new ArrayList<>(members);
        byId.sort((a, b) -> a.memberId().compareTo(b.memberId()));
        return bugKafka14639 ? highestGenerationOnly(byId, partitionsPerTopic) : perPartition(byId, partitionsPerTopic);
    }

    private static boolean valid(JoinGroupMember m, TopicPartition tp, Map<String, Integer> partitionsPerTopic) {
        Integer count = partitionsPerTopic.get(tp.topic());
        return count != null && tp.partition() < count && m.subscription().topics().contains(tp.topic());
    }

    /** The fixed rule: decided partition by partition. */
    private static TreeMap<String, TreeSet<TopicPartition>> perPartition(List<JoinGroupMember> members, Map<String, Integer> partitionsPerTopic) {
        TreeMap<String, TreeSet<TopicPartition>> owned = new TreeMap<>();
        TreeMap<String, Integer> generation = new TreeMap<>();
        TreeMap<TopicPartition, String> claimedBy = new TreeMap<>();
        for (JoinGroupMember m : members) {
            int gen = m.subscription().generationId();
            generation.put(m.memberId(), gen);
            TreeSet<TopicPartition> mine = new TreeSet<>();
            owned.put(m.memberId(), mine);
            for (TopicPartition tp : m.subscription().ownedPartitions()) {
                if (!valid(m, tp, partitionsPerTopic)) {
                    continue;
                }
                String other = claimedBy.put(tp, m.memberId());
                if (other == null) {
                    mine.add(tp);
                    continue;
                }
                int otherGen = generation.get(other);
                if (gen == otherGen) {
                    owned.get(other).remove(tp); // two owners in one generation: trust neither
                } else if (gen > otherGen) {
                    owned.get(other).remove(tp);
                    mine.add(tp);
                } else {
                    claimedBy.put(tp, other);
                }
            }
        }
        return owned;
    }

    /** The rule before KAFKA-14639: claims count only for members of the highest generation. */
    private static TreeMap<String, TreeSet<TopicPartition>> highestGenerationOnly(List<JoinGroupMember> members,
            Map<String, Integer> partitionsPerTopic) {
        TreeMap<String, TreeSet<TopicPartition>> owned = new TreeMap<>();
        TreeMap<TopicPartition, String> claimedBy = new TreeMap<>();
        List<String> ofHighest = new ArrayList<>();
        int maxGeneration = GroupMessage.NO_GENERATION;
        for (JoinGroupMember m : members) {
            int gen = m.subscription().generationId();
            boolean known = gen != GroupMessage.NO_GENERATION;
            TreeSet<TopicPartition> mine = new TreeSet<>();
            owned.put(m.memberId(), mine);
            if (!(known && gen >= maxGeneration || !known && maxGeneration == GroupMessage.NO_GENERATION)) {
                continue; // an older generation: its claims are ignored outright
            }
            if (known && gen > maxGeneration) {
                claimedBy.clear();
                ofHighest.forEach(d -> owned.get(d).clear());
                ofHighest.clear();
                maxGeneration = gen;
            }
            ofHighest.add(m.memberId());
            for (TopicPartition tp : m.subscription().ownedPartitions()) {
                if (!valid(m, tp, partitionsPerTopic)) {
                    continue;
                }
                String other = claimedBy.put(tp, m.memberId());
                if (other == null) {
                    mine.add(tp);
                } else {
                    owned.get(other).remove(tp);
                }
            }
        }
        return owned;
    }
}
