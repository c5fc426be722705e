package dev.samsa.impl.group;

import dev.samsa.impl.coordinator.CoordinatorRuntime.ShardContext;
import dev.samsa.impl.log.Record;
import dev.samsa.impl.protocol.Errors;
import dev.samsa.impl.protocol.GroupMessage.OffsetCommitPartition;
import dev.samsa.impl.protocol.GroupMessage.OffsetCommitPartitionResponse;
import dev.samsa.impl.protocol.GroupMessage.OffsetFetchPartition;
import dev.samsa.impl.protocol.TopicPartition;
import dev.samsa.spec.bugs.Bug;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * The committed offsets of the groups of one {@code __consumer_offsets} partition (Kafka's
 * OffsetMetadataManager). A commit is appended and becomes visible only when its record is
 * replayed, once replicated; until then it is pending (Kafka's pendingOffsetCommits): invisible
 * to OffsetFetch and never expired. Expiry follows KIP-211.
 */
public final class OffsetMetadataManager {

    private final ShardContext sc;
    private final TreeMap<String, TreeMap<TopicPartition, OffsetAndMetadata>> offsets = new TreeMap<>();
    /** Writes in flight per group and partition (commits and expiry tombstones). */
    private final TreeMap<String, TreeMap<TopicPartition, Integer>> pending = new TreeMap<>();
    private final long commitTimeoutMs;

    OffsetMetadataManager(ShardContext sc) {
        this.sc = sc;
        this.commitTimeoutMs = sc.ctx().settings().getLong("offsets.commit.timeout.ms");
    }

    // ------------------------------------------------------------------ replay

    /**
     * An offset record. While loading, under KAFKA-8069, an offset without an explicit expiry
     * gets one at its commit time (the old format's default read as explicit), so the next
     * sweep deletes it; live replay never does that.
     */
    void replay(String groupId, TopicPartition tp, String value, boolean loading) {
        if (value == null) {
            TreeMap<TopicPartition, OffsetAndMetadata> g = offsets.get(groupId);
            if (g != null) {
                g.remove(tp);
                if (g.isEmpty()) {
                    offsets.remove(groupId);
                }
            }
            return;
        }
        OffsetAndMetadata o = GroupRecords.parseOffset(value);
        if (loading && !o.hasExplicitExpiry() && sc.ctx().bug(Bug.KAFKA_8069)) {
            o = new OffsetAndMetadata(o.offset(), o.leaderEpoch(), o.metadata(), o.commitTimestampMs(), o.commitTimestampMs());
        }
        offsets.computeIfAbsent(groupId, k -> new TreeMap<>()).put(tp, o);
    }

    // ------------------------------------------------------------------ commit and fetch

    /** Appends the commit; {@code done} gets one error per partition once it is replicated or failed. */
    void commit(String groupId, List<OffsetCommitPartition> parts, Consumer<List<OffsetCommitPartitionResponse>> done) {
        long now = sc.ctx().wallClockMs();
        List<Record> records = new ArrayList<>();
        List<TopicPartition> tps = new ArrayList<>();
        for (OffsetCommitPartition p : parts) {
            records.add(GroupRecords.offsetCommit(groupId, p.tp(), new OffsetAndMetadata(p.offset(), p.leaderEpoch(),
                    p.metadata() == null ? "" : p.metadata(), now, -1), now));
            tps.add(p.tp());
        }
        if (records.isEmpty()) {
            done.accept(List.of());
            return;
        }
        markPending(groupId, tps);
        sc.write(records, true, commitTimeoutMs, error -> {
            unmarkPending(groupId, tps);
            Errors mapped = mapCommitError(error);
            List<OffsetCommitPartitionResponse> out = new ArrayList<>();
            for (TopicPartition tp : tps) {
                out.add(new OffsetCommitPartitionResponse(tp, mapped));
            }
            done.accept(out);
        });
    }

    /** How Kafka's storeOffsets maps an append error for the client. */
    static Errors mapCommitError(Errors e) {
        return switch (e) {
            case NONE -> Errors.NONE;
            case UNKNOWN_TOPIC_OR_PARTITION, NOT_ENOUGH_REPLICAS, NOT_ENOUGH_REPLICAS_AFTER_APPEND -> Errors.COORDINATOR_NOT_AVAILABLE;
            case NOT_LEADER_OR_FOLLOWER, KAFKA_STORAGE_ERROR -> Errors.NOT_COORDINATOR;
            default -> e; // REQUEST_TIMED_OUT stays
        };
    }

    /** The committed offsets of {@code tps} (all the group's when empty); -1 for a partition without one. */
    List<OffsetFetchPartition> fetch(String groupId, List<TopicPartition> tps) {
        TreeMap<TopicPartition, OffsetAndMetadata> g = offsets.getOrDefault(groupId, new TreeMap<>());
        List<OffsetFetchPartition> out = new ArrayList<>();
        List<TopicPartition> wanted = tps.isEmpty() ? new ArrayList<>(g.keySet()) : tps;
        for (TopicPartition tp : wanted) {
            OffsetAndMetadata o = g.get(tp);
            out.add(o == null ? new OffsetFetchPartition(tp, -1, -1, "", Errors.NONE)
                    : new OffsetFetchPartition(tp, o.offset(), o.leaderEpoch(), o.metadata(), Errors.NONE));
        }
        return out;
    }

    // ------------------------------------------------------------------ expiry (KIP-211)

    /**
     * The group's offsets due to expire now (Kafka's removeExpiredOffsets): for an Empty group
     * with a protocol, retention counts from when it became Empty; for a Stable consumer group,
     * offsets of topics nobody subscribes to count from their commit; for a simple group (no
     * protocol), from their commit. An explicit expiry wins. Pending partitions never expire.
     */
    List<TopicPartition> expired(ClassicGroup group, long nowMs, long retentionMs) {
        TreeMap<TopicPartition, OffsetAndMetadata> g = offsets.get(group.groupId());
        List<TopicPartition> out = new ArrayList<>();
        if (g == null) {
            return out;
        }
        boolean emptyWithProtocol = group.protocolType() != null && group.is(ClassicGroupState.EMPTY);
        TreeSet<String> subscribed = group.subscribedTopics();
        boolean stableConsumer = !emptyWithProtocol && ClassicGroup.CONSUMER_PROTOCOL_TYPE.equals(group.protocolType())
                && subscribed != null && group.is(ClassicGroupState.STABLE);
        boolean simple = group.protocolType() == null;
        if (!emptyWithProtocol && !stableConsumer && !simple) {
            return out;
        }
        TreeMap<TopicPartition, Integer> pend = pending.getOrDefault(group.groupId(), new TreeMap<>());
        for (var e : g.entrySet()) {
            TopicPartition tp = e.getKey();
            OffsetAndMetadata o = e.getValue();
            if (pend.containsKey(tp) || (stableConsumer && subscribed.contains(tp.topic()))) {
                continue;
            }
            boolean expire;
            if (o.hasExplicitExpiry()) {
                expire = nowMs >= o.expireTimestampMs();
            } else {
                long base = emptyWithProtocol && group.stateTimestampMs() >= 0 ? group.stateTimestampMs() : o.commitTimestampMs();
                expire = nowMs - base >= retentionMs;
            }
            if (expire) {
                out.add(tp);
            }
        }
        return out;
    }

    /** Writes the tombstones of {@code tps}; the offsets go when the tombstones are replayed. */
    void expire(String groupId, List<TopicPartition> tps, List<Record> extra, Runnable done) {
        long now = sc.ctx().wallClockMs();
        List<Record> records = new ArrayList<>();
        for (TopicPartition tp : tps) {
            records.add(GroupRecords.offsetTombstone(groupId, tp, now));
        }
        records.addAll(extra);
        if (records.isEmpty()) {
            return;
        }
        markPending(groupId, tps);
        sc.write(records, true, commitTimeoutMs, error -> {
            unmarkPending(groupId, tps);
            done.run();
        });
    }

    private void markPending(String groupId, List<TopicPartition> tps) {
        TreeMap<TopicPartition, Integer> m = pending.computeIfAbsent(groupId, k -> new TreeMap<>());
        for (TopicPartition tp : tps) {
            m.merge(tp, 1, Integer::sum);
        }
    }

    private void unmarkPending(String groupId, List<TopicPartition> tps) {
        TreeMap<TopicPartition, Integer> m = pending.get(groupId);
        if (m == null) {
            return;
        }
        for (TopicPartition tp : tps) {
            m.computeIfPresent(tp, (k, v) -> v > 1 ? v - 1 : null);
        }
        if (m.isEmpty()) {
            pending.remove(groupId);
        }
    }

    /** Committed or pending offsets exist for the group (Kafka's hasOffsets). */
    boolean hasOffsets(String groupId) {
        return offsets.containsKey(groupId) || pending.containsKey(groupId);
    }

    int committedCount(String groupId) {
        TreeMap<TopicPartition, OffsetAndMetadata> g = offsets.get(groupId);
        return g == null ? 0 : g.size();
    }

    boolean hasPending(String groupId) {
        return pending.containsKey(groupId);
    }

    // ------------------------------------------------------------------ views

    /** The committed (replicated) offsets of {@code groupId}, read-only. */
    public NavigableMap<TopicPartition, OffsetAndMetadata> offsets(String groupId) {
        return Collections.unmodifiableNavigableMap(offsets.getOrDefault(groupId, new TreeMap<>()));
    }

    /** Every group with committed offsets. */
    public List<String> groupIds() {
        return new ArrayList<>(offsets.keySet());
    }
}
