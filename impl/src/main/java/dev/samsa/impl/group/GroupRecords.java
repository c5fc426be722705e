package dev.samsa.impl.group;

import dev.samsa.impl.coordinator.RecordFields;
import dev.samsa.impl.log.Record;
import dev.samsa.impl.protocol.GroupMessage.Assignment;
import dev.samsa.impl.protocol.GroupMessage.Subscription;
import dev.samsa.impl.protocol.TopicPartition;
import java.util.ArrayList;
import java.util.List;

/**
 * The records of {@code __consumer_offsets} as text (Kafka's GroupMetadataKey/Value and
 * OffsetCommitKey/Value). Keys: {@code offset|group|topic|partition} and {@code group|group};
 * a tombstone has a null value. Values are {@link RecordFields} lists; the group's value holds
 * every member with its subscription under the chosen protocol and its assignment.
 */
public final class GroupRecords {

    static final String OFFSET_KEY = "offset";
    static final String GROUP_KEY = "group";

    private GroupRecords() {}

    /** A member as stored in the group's record. */
    public record StoredMember(String memberId, String groupInstanceId, long sessionTimeoutMs, long rebalanceTimeoutMs,
            Subscription subscription, Assignment assignment) {}

    /** The group's record value (Kafka's GroupMetadataValue); protocolType "" and null fields as Kafka stores them. */
    public record StoredGroup(String protocolType, int generationId, String protocolName, String leader, long stateTimestampMs,
            List<StoredMember> members) {
        public StoredGroup {
            members = List.copyOf(members);
        }
    }

    // ------------------------------------------------------------------ keys

    public static String offsetKey(String groupId, TopicPartition tp) {
        return RecordFields.join(OFFSET_KEY, groupId, tp.topic(), Integer.toString(tp.partition()));
    }

    public static String groupKey(String groupId) {
        return RecordFields.join(GROUP_KEY, groupId);
    }

    // ------------------------------------------------------------------ records

    public static Record offsetCommit(String groupId, TopicPartition tp, OffsetAndMetadata o, long nowMs) {
        String v = RecordFields.join(Long.toString(o.offset()), Integer.toString(o.leaderEpoch()), o.metadata(),
                Long.toString(o.commitTimestampMs()), Long.toString(o.expireTimestampMs()));
        return new Record(offsetKey(groupId, tp), v, nowMs);
    }

    public static Record offsetTombstone(String groupId, TopicPartition tp, long nowMs) {
        return new Record(offsetKey(groupId, tp), null, nowMs);
    }

    public static Record groupMetadata(String groupId, StoredGroup g, long nowMs) {
        List<String> members = new ArrayList<>();
        for (StoredMember m : g.members()) {
            members.add(RecordFields.join(m.memberId(), m.groupInstanceId(), Long.toString(m.sessionTimeoutMs()),
                    Long.toString(m.rebalanceTimeoutMs()), subscription(m.subscription()), partitions(m.assignment().partitions())));
        }
        String v = RecordFields.join(g.protocolType(), Integer.toString(g.generationId()), g.protocolName(), g.leader(),
                Long.toString(g.stateTimestampMs()), RecordFields.list(members));
        return new Record(groupKey(groupId), v, nowMs);
    }

    public static Record groupTombstone(String groupId, long nowMs) {
        return new Record(groupKey(groupId), null, nowMs);
    }

    // ------------------------------------------------------------------ parsing

    /** The parts of a key: {@code [offset, group, topic, partition]} or {@code [group, group]}. */
    public static List<String> parseKey(String key) {
        return RecordFields.split(key);
    }

    public static OffsetAndMetadata parseOffset(String value) {
        List<String> f = RecordFields.split(value);
        return new OffsetAndMetadata(Long.parseLong(f.get(0)), Integer.parseInt(f.get(1)), f.get(2), Long.parseLong(f.get(3)),
                Long.parseLong(f.get(4)));
    }

    public static StoredGroup parseGroup(String value) {
        List<String> f = RecordFields.split(value);
        List<StoredMember> members = new ArrayList<>();
        for (String m : RecordFields.unlist(f.get(5))) {
            List<String> mf = RecordFields.split(m);
            members.add(new StoredMember(mf.get(0), mf.get(1), Long.parseLong(mf.get(2)), Long.parseLong(mf.get(3)),
                    parseSubscription(mf.get(4)), new Assignment(parsePartitions(mf.get(5)))));
        }
        return new StoredGroup(f.get(0), Integer.parseInt(f.get(1)), f.get(2), f.get(3), Long.parseLong(f.get(4)), members);
    }

    private static String subscription(Subscription s) {
        return s == null ? null : RecordFields.join(RecordFields.list(s.topics()), partitions(s.ownedPartitions()), Integer.toString(s.generationId()));
    }

    private static Subscription parseSubscription(String field) {
        if (field == null) {
            return null;
        }
        List<String> f = RecordFields.split(field);
        return new Subscription(RecordFields.unlist(f.get(0)), parsePartitions(f.get(1)), Integer.parseInt(f.get(2)));
    }

    private static String partitions(List<TopicPartition> tps) {
        List<String> out = new ArrayList<>();
        for (TopicPartition tp : tps) {
            out.add(RecordFields.join(tp.topic(), Integer.toString(tp.partition())));
        }
        return RecordFields.list(out);
    }

    private static List<TopicPartition> parsePartitions(String field) {
        List<TopicPartition> out = new ArrayList<>();
        for (String s : RecordFields.unlist(field)) {
            List<String> f = RecordFields.split(s);
            out.add(new TopicPartition(f.get(0), Integer.parseInt(f.get(1))));
        }
        return out;
    }
}
