package dev.samsa.impl.metadata;

import java.util.Collections;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The state built by applying committed metadata records in offset order: which brokers are
 * registered, under which epoch, and whether they are fenced. Every controller and every
 * broker holds one; they agree because they apply the same committed prefix.
 */
public final class ClusterImage {

    private final TreeMap<Integer, BrokerRegistration> brokers = new TreeMap<>();
    private final TreeMap<String, Integer> topics = new TreeMap<>();
    private final TreeMap<dev.samsa.impl.protocol.TopicPartition, PartitionRegistration> partitions = new TreeMap<>();
    private long appliedOffset = -1;

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
        }
        if (record instanceof TopicRecord t) {
            topics.put(t.name(), t.numPartitions());
        } else if (record instanceof PartitionRecord p) {
            partitions.put(p.tp(), new PartitionRegistration(p.tp(), p.replicas(), p.isr(), p.leader(), p.leaderEpoch(), p.partitionEpoch(), false));
        } else if (record instanceof PartitionChangeRecord c) {
            PartitionRegistration old = partitions.get(c.tp());
            if (old != null) {
                partitions.put(c.tp(), new PartitionRegistration(c.tp(), old.replicas(), c.isr(), c.leader(), c.leaderEpoch(), c.partitionEpoch(), c.recovering()));
            }
        }
        // other records (client records of the kraft workload, leader changes) do not touch brokers
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

    public java.util.Optional<PartitionRegistration> partition(dev.samsa.impl.protocol.TopicPartition tp) {
        return Optional.ofNullable(partitions.get(tp));
    }

    public NavigableMap<dev.samsa.impl.protocol.TopicPartition, PartitionRegistration> partitions() {
        return Collections.unmodifiableNavigableMap(partitions);
    }

    /** The partitions of {@code topic} in partition order; empty when the topic does not exist. */
    public java.util.List<PartitionRegistration> partitionsOf(String topic) {
        return new java.util.ArrayList<>(partitions.subMap(new dev.samsa.impl.protocol.TopicPartition(topic, 0), true,
                new dev.samsa.impl.protocol.TopicPartition(topic, Integer.MAX_VALUE), true).values());
    }

    /** The offset of the last applied record; -1 before any. */
    public long appliedOffset() {
        return appliedOffset;
    }
}
