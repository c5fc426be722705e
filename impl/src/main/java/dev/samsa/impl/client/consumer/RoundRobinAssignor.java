package dev.samsa.impl.client.consumer;

import dev.samsa.impl.protocol.GroupMessage.Assignment;
import dev.samsa.impl.protocol.GroupMessage.JoinGroupMember;
import dev.samsa.impl.protocol.TopicPartition;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Kafka's {@code RoundRobinAssignor} (eager): all partitions of all subscribed topics, in topic
 * then partition order, dealt one by one to the members in MemberInfo order, skipping a member
 * not subscribed to the partition's topic.
 */
public final class RoundRobinAssignor implements ConsumerPartitionAssignor {

    public static final String NAME = "roundrobin";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public RebalanceProtocol protocol() {
        return RebalanceProtocol.EAGER;
    }

    @Override
    public TreeMap<String, Assignment> assign(Map<String, Integer> partitionsPerTopic, List<JoinGroupMember> members) {
        TreeMap<String, List<TopicPartition>> out = ConsumerPartitionAssignor.emptyAssignments(members);
        List<JoinGroupMember> sorted = ConsumerPartitionAssignor.sortedMembers(members);
        TreeSet<String> topics = new TreeSet<>();
        members.forEach(m -> topics.addAll(m.subscription().topics()));
        int next = 0;
        for (String topic : topics) {
            int count = partitionsPerTopic.getOrDefault(topic, 0);
            for (int p = 0; p < count; p++) {
                // the circular iterator moves on until it finds a subscriber of this topic
                while (!sorted.get(next % sorted.size()).subscription().topics().contains(topic)) {
                    next++;
                }
                out.get(sorted.get(next % sorted.size()).memberId()).add(new TopicPartition(topic, p));
                next++;
            }
        }
        return ConsumerPartitionAssignor.toAssignments(out);
    }
}
