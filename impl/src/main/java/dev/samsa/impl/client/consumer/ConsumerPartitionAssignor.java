package dev.samsa.impl.client.consumer;

import dev.samsa.impl.protocol.GroupMessage.Assignment;
import dev.samsa.impl.protocol.GroupMessage.JoinGroupMember;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Kafka's {@code ConsumerPartitionAssignor}: the group leader runs the assignor the coordinator
 * chose ({@code partition.assignment.strategy}) over every member's subscription and the
 * partition counts of the subscribed topics. Pure and deterministic: members and partitions are
 * always visited in a fixed order, never a hash order.
 */
public interface ConsumerPartitionAssignor {

    /** KIP-429: EAGER members give up everything before a rebalance; COOPERATIVE ones keep what they own. */
    enum RebalanceProtocol {
        EAGER,
        COOPERATIVE
    }

    String name();

    RebalanceProtocol protocol();

    /**
     * One assignment per member id, every member present (possibly empty).
     *
     * @param partitionsPerTopic partition count of each topic the leader knows of; topics without
     *     metadata are absent and get no partitions
     */
    TreeMap<String, Assignment> assign(Map<String, Integer> partitionsPerTopic, List<JoinGroupMember> members);

    /**
     * The assignor named by {@code partition.assignment.strategy}. {@code bugKafka14639}
     * switches the cooperative-sticky assignor back to its pre-3.4.1 claim rule (G3).
     */
    static ConsumerPartitionAssignor forName(String name, boolean bugKafka14639) {
        return switch (name) {
            case RangeAssignor.NAME -> new RangeAssignor();
            case RoundRobinAssignor.NAME -> new RoundRobinAssignor();
            case CooperativeStickyAssignor.NAME -> new CooperativeStickyAssignor(bugKafka14639);
            default -> throw new IllegalArgumentException("unknown partition.assignment.strategy " + name);
        };
    }

    /**
     * Kafka's MemberInfo order: static members by group.instance.id first, then dynamic ones by
     * member id. Range and round-robin hand partitions out in this order.
     */
    static List<JoinGroupMember> sortedMembers(List<JoinGroupMember> members) {
        List<JoinGroupMember> sorted = new ArrayList<>(members);
        sorted.sort(Comparator.<JoinGroupMember, Boolean>comparing(m -> m.groupInstanceId() == null)
                .thenComparing(m -> m.groupInstanceId() == null ? "" : m.groupInstanceId())
                .thenComparing(JoinGroupMember::memberId));
        return sorted;
    }

    /** An empty assignment for every member, to fill in. */
    static TreeMap<String, List<dev.samsa.impl.protocol.TopicPartition>> emptyAssignments(List<JoinGroupMember> members) {
        TreeMap<String, List<dev.samsa.impl.protocol.TopicPartition>> out = new TreeMap<>();
        members.forEach(m -> out.put(m.memberId(), new ArrayList<>()));
        return out;
    }

    static TreeMap<String, Assignment> toAssignments(TreeMap<String, List<dev.samsa.impl.protocol.TopicPartition>> lists) {
        TreeMap<String, Assignment> out = new TreeMap<>();
        lists.forEach((m, tps) -> out.put(m, new Assignment(tps.stream().sorted().toList())));
        return out;
    }
}
