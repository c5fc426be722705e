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
 * Kafka's {@code RangeAssignor} (eager): topic by topic, the members subscribed to it (in
 * MemberInfo order) get consecutive ranges of its partitions; the first {@code n % k} members
 * get one partition more.
 */
public final class RangeAssignor implements ConsumerPartitionAssignor {

    public static final String NAME = "range";

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
        for (String topic : topics) {
            Integer count = partitionsPerTopic.get(topic);
            if (count == null) {
                continue;
            }
            List<JoinGroupMember> subscribers = new ArrayList<>();
            sorted.stream().filter(m -> m.subscription().topics().contains(topic)).forEach(subscribers::add);
            int per = count / subscribers.size();
            int extra = count % subscribers.size();
            int next = 0;
            for (int i = 0; i < subscribers.size(); i++) {
                int n = per + (i < extra ? 1 : 0);
                for (int j = 0; j < n; j++) {
                    out.get(subscribers.get(i).memberId()).add(new TopicPartition(topic, next++));
                }
            }
        }
        return ConsumerPartitionAssignor.toAssignments(out);
    }
}
