package dev.samsa.impl.metadata;

import dev.samsa.impl.protocol.TopicPartition;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * The state built by applying metadata records in offset order: which brokers are registered,
 * under which epoch, and whether they are fenced; which topics exist; and each partition's
 * replicas, leader, ISR and epochs. Every controller and every broker holds one built from the
 * committed log; they agree because they apply the same committed prefix. The active
 * controller also keeps a speculative {@link #copy()} that runs ahead over its uncommitted
 * suffix.
 *
 * <p>Applying a record costs a map update (O(log n)); only {@link #copy()} is linear.
 */
public final class ClusterImage {

    private final TreeMap<Integer, BrokerRegistration> brokers;
    private final TreeMap<String, TopicRecord> topics;
    private final TreeMap<TopicPartition, PartitionRegistration> partitions;
    private long appliedOffset;

    public ClusterImage() {
        this(new TreeMap<>(), new TreeMap<>(), new TreeMap<>(), -1);
    }

    private ClusterImage(TreeMap<Integer, BrokerRegistration> brokers, TreeMap<String, TopicRecord> topics,
            TreeMap<TopicPartition, PartitionRegistration> partitions, long appliedOffset) {
        this.brokers = brokers;
        this.topics = topics;
        this.partitions = partitions;
        this.appliedOffset = appliedOffset;
    }

    /**
     * An independent image with the same content: later applies to either do not show in the
     * other. The values are immutable records, so copying the maps is enough.
     */
    public ClusterImage copy() {
        return new ClusterImage(new TreeMap<>(brokers), new TreeMap<>(topics), new TreeMap<>(partitions), appliedOffset);
    }

    /**
     * Applies the committed record at {@code offset}. Offsets must arrive strictly in order:
     * skipping or repeating one is a programmer error, since images must be identical everywhere.
     */
    public void apply(long offset, MetadataRecord record) {
        if (offset <= appliedOffset) {
            throw new IllegalStateException("metadata offset " + offset + " applied after " + appliedOffset);
        }
        appliedOffset = offset;
        if (record instanceof RegisterBrokerRecord r) {
            brokers.put(r.brokerId(), new BrokerRegistration(r.brokerId(), offset, r.incarnationId(), true));
        } else if (record instanceof FenceBrokerRecord f) {
            current(f.brokerId(), f.brokerEpoch()).ifPresent(b -> brokers.put(b.brokerId(), b.withFenced(true)));
        } else if (record instanceof UnfenceBrokerRecord u) {
            current(u.brokerId(), u.brokerEpoch()).ifPresent(b -> brokers.put(b.brokerId(), b.withFenced(false)));
        } else if (record instanceof TopicRecord t) {
            applyTopic(t);
        } else if (record instanceof PartitionRecord p) {
            applyPartition(p);
        } else if (record instanceof PartitionChangeRecord c) {
            applyPartitionChange(c);
        }
        // other records (client records of the kraft workload) change nothing here
    }

    private void applyTopic(TopicRecord t) {
        if (topics.containsKey(t.name())) {
            throw new IllegalStateException("topic " + t.name() + " created twice");
        }
        topics.put(t.name(), t);
    }

    private void applyPartition(PartitionRecord p) {
        TopicRecord t = topics.get(p.tp().topic());
        if (t == null || p.tp().partition() >= t.numPartitions() || partitions.containsKey(p.tp())) {
            throw new IllegalStateException("partition record for " + p.tp() + " does not fit topic " + t);
        }
        partitions.put(p.tp(), new PartitionRegistration(p.tp(), p.replicas(), p.isr(), p.leader(), p.leaderEpoch(), p.partitionEpoch(), false));
    }

    private void applyPartitionChange(PartitionChangeRecord c) {
        PartitionRegistration old = partitions.get(c.tp());
        if (old == null) {
            throw new IllegalStateException("partition change for unknown partition " + c.tp());
        }
        // epochs only grow: the controller derives every change from the state it replaces
        if (c.partitionEpoch() <= old.partitionEpoch() || c.leaderEpoch() < old.leaderEpoch()) {
            throw new IllegalStateException("partition change " + c + " does not follow " + old);
        }
        partitions.put(c.tp(), new PartitionRegistration(c.tp(), old.replicas(), c.isr(), c.leader(), c.leaderEpoch(), c.partitionEpoch(), c.recovering()));
    }

    /** Tells the image that offset {@code offset} held a record it does not interpret. */
    public void skip(long offset) {
        if (offset <= appliedOffset) {
            throw new IllegalStateException("metadata offset " + offset + " skipped after " + appliedOffset);
        }
        appliedOffset = offset;
    }

    /** The registration if it is still the one with {@code epoch}: records for an older incarnation change nothing. */
    private Optional<BrokerRegistration> current(int brokerId, long epoch) {
        BrokerRegistration b = brokers.get(brokerId);
        return b != null && b.epoch() == epoch ? Optional.of(b) : Optional.empty();
    }

    public Optional<BrokerRegistration> broker(int brokerId) {
        return Optional.ofNullable(brokers.get(brokerId));
    }

    public NavigableMap<Integer, BrokerRegistration> brokers() {
        return Collections.unmodifiableNavigableMap(brokers);
    }

    /** The partition count of {@code topic}, if it exists. */
    public OptionalInt topic(String topic) {
        TopicRecord t = topics.get(topic);
        return t == null ? OptionalInt.empty() : OptionalInt.of(t.numPartitions());
    }

    /** The CreateTopics request id that created {@code topic} (-1 if unknown), if it exists. */
    public OptionalLong topicCreatedBy(String topic) {
        TopicRecord t = topics.get(topic);
        return t == null ? OptionalLong.empty() : OptionalLong.of(t.requestId());
    }

    /** Topic name → partition count, ordered by name. */
    public NavigableMap<String, Integer> topics() {
        TreeMap<String, Integer> m = new TreeMap<>();
        topics.forEach((name, t) -> m.put(name, t.numPartitions()));
        return m;
    }

    public Optional<PartitionRegistration> partition(TopicPartition tp) {
        return Optional.ofNullable(partitions.get(tp));
    }

    /** Every partition, ordered by topic then partition number. */
    public NavigableMap<TopicPartition, PartitionRegistration> partitions() {
        return Collections.unmodifiableNavigableMap(partitions);
    }

    /** The partitions of {@code topic} in partition order; empty if it does not exist. */
    public List<PartitionRegistration> partitionsOf(String topic) {
        if (topic.isEmpty()) {
            return List.of();
        }
        return new ArrayList<>(partitions.subMap(new TopicPartition(topic, 0), true, new TopicPartition(topic, Integer.MAX_VALUE), true).values());
    }

    /** The offset of the last applied record; -1 before any. */
    public long appliedOffset() {
        return appliedOffset;
    }
}
