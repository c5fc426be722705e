package dev.samsa.impl.client.consumer;

import dev.samsa.impl.protocol.GroupMessage.Assignment;
import dev.samsa.impl.protocol.GroupMessage.JoinGroupMember;
import dev.samsa.impl.protocol.TopicPartition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Kafka's {@code CooperativeStickyAssignor} (KIP-429), after {@code AbstractStickyAssignor}:
 * members keep the partitions they own (as {@link OwnedPartitionClaims} resolves the claims) up
 * to a balanced quota; the rest go to the members with the fewest partitions. A partition that
 * ends up with a member other than its current owner is then withheld from the new owner for
 * this round (Kafka's partitionsTransferringOwnership): the owner revokes it and rejoins, and
 * the follow-up rebalance hands it out, so no partition is ever owned by two members.
 *
 * <p>Simplified: Kafka's general (unequal subscriptions) algorithm is replaced by greedy filling
 * followed by moves from fuller to emptier eligible members; no rack awareness.
 */
public final class CooperativeStickyAssignor implements ConsumerPartitionAssignor {

    public static final String NAME = "cooperative-sticky";

    private final boolean bugKafka14639;

    public CooperativeStickyAssignor(boolean bugKafka14639) {
        this.bugKafka14639 = bugKafka14639;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public RebalanceProtocol protocol() {
        return RebalanceProtocol.COOPERATIVE;
    }

    @Override
    public TreeMap<String, Assignment> assign(Map<String, Integer> partitionsPerTopic, List<JoinGroupMember> members) {
        TreeMap<String, TreeSet<TopicPartition>> owned = OwnedPartitionClaims.resolve(members, partitionsPerTopic, bugKafka14639);
        TreeMap<String, JoinGroupMember> byId = new TreeMap<>();
        members.forEach(m -> byId.put(m.memberId(), m));
        TreeSet<TopicPartition> all = new TreeSet<>();
        members.forEach(m -> m.subscription().topics().forEach(t -> {
            for (int p = 0; p < partitionsPerTopic.getOrDefault(t, 0); p++) {
                all.add(new TopicPartition(t, p));
            }
        }));
        boolean allEqual = members.stream().map(m -> new TreeSet<>(m.subscription().topics())).distinct().count() <= 1;

        TreeMap<String, TreeSet<TopicPartition>> assigned = new TreeMap<>();
        byId.keySet().forEach(m -> assigned.put(m, new TreeSet<>()));
        keepOwned(owned, assigned, all.size(), allEqual);
        TreeSet<TopicPartition> unassigned = new TreeSet<>(all);
        assigned.values().forEach(unassigned::removeAll);
        for (TopicPartition tp : unassigned) {
            String to = fewest(tp, byId, assigned, null);
            if (to != null) {
                assigned.get(to).add(tp);
            }
        }
        if (!allEqual) {
            balance(byId, assigned);
        }
        // the cooperative step: a partition changing owner goes nowhere this round
        TreeMap<TopicPartition, String> ownerOf = new TreeMap<>();
        owned.forEach((m, tps) -> tps.forEach(tp -> ownerOf.put(tp, m)));
        TreeMap<String, List<TopicPartition>> out = new TreeMap<>();
        assigned.forEach((m, tps) -> {
            List<TopicPartition> keep = new ArrayList<>();
            for (TopicPartition tp : tps) {
                String owner = ownerOf.get(tp);
                if (owner == null || owner.equals(m)) {
                    keep.add(tp);
                }
            }
            out.put(m, keep);
        });
        return ConsumerPartitionAssignor.toAssignments(out);
    }

    /** Kafka's constrainedAssign quotas when subscriptions are equal: keep up to minQuota, or maxQuota for the first n % k. */
    private static void keepOwned(TreeMap<String, TreeSet<TopicPartition>> owned, TreeMap<String, TreeSet<TopicPartition>> assigned,
            int partitions, boolean allEqual) {
        int k = assigned.size();
        int minQuota = k == 0 ? 0 : partitions / k;
        int overMinAllowed = k == 0 ? 0 : partitions % k;
        int overMin = 0;
        for (var e : assigned.entrySet()) {
            List<TopicPartition> mine = new ArrayList<>(owned.getOrDefault(e.getKey(), new TreeSet<>()));
            int keep = mine.size();
            if (allEqual) {
                keep = Math.min(mine.size(), minQuota);
                if (mine.size() > minQuota && overMin < overMinAllowed) {
                    keep = minQuota + 1;
                    overMin++;
                }
            }
            e.getValue().addAll(mine.subList(0, keep));
        }
    }

    /** The member subscribed to {@code tp}'s topic with the fewest partitions (ties: member id), other than {@code except}. */
    private static String fewest(TopicPartition tp, TreeMap<String, JoinGroupMember> byId, TreeMap<String, TreeSet<TopicPartition>> assigned,
            String except) {
        String best = null;
        for (var e : byId.entrySet()) {
            if (e.getKey().equals(except) || !e.getValue().subscription().topics().contains(tp.topic())) {
                continue;
            }
            if (best == null || assigned.get(e.getKey()).size() < assigned.get(best).size()) {
                best = e.getKey();
            }
        }
        return best;
    }

    /** Moves partitions from a member to an eligible one with at least two fewer, until none can move. */
    private static void balance(TreeMap<String, JoinGroupMember> byId, TreeMap<String, TreeSet<TopicPartition>> assigned) {
        boolean moved = true;
        while (moved) { // each move lowers the sum of squared counts, so this ends
            moved = false;
            for (var e : assigned.entrySet()) {
                for (TopicPartition tp : new ArrayList<>(e.getValue().descendingSet())) {
                    String to = fewest(tp, byId, assigned, e.getKey());
                    if (to != null && assigned.get(to).size() + 1 < e.getValue().size()) {
                        e.getValue().remove(tp);
                        assigned.get(to).add(tp);
                        moved = true;
                    }
                }
            }
        }
    }
}
