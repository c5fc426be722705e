package dev.samsa.impl.group;

import dev.samsa.impl.coordinator.CoordinatorRuntime.ShardContext;
import dev.samsa.impl.log.Record;
import dev.samsa.impl.protocol.Errors;
import dev.samsa.impl.protocol.GroupMessage.OffsetCommitPartition;
import dev.samsa.impl.protocol.GroupMessage.OffsetCommitPartitionResponse;
import dev.samsa.impl.protocol.GroupMessage.OffsetFetchPartition;
import dev.samsa.impl.protocol.TopicPartition;
import dev.samsa.impl.protocol.TxnMessage.PartitionResult;
import dev.samsa.impl.protocol.TxnMessage.TxnOffsetCommitPartition;
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
 *
 * <p>Transactional offsets (TxnOffsetCommit, KIP-98/447) are written in a transactional batch of
 * the producer; replayed, they wait per producer (Kafka's pendingTransactionalOffsets) until the
 * producer's marker: COMMIT makes each one the committed offset unless a commit written later
 * (a higher record offset) is already there; ABORT drops them. While they wait, OffsetFetch with
 * {@code requireStable} answers UNSTABLE_OFFSET_COMMIT for their partitions, and they do not expire.
 */
public final class OffsetMetadataManager {

    private final ShardContext sc;
    private final TreeMap<String, TreeMap<TopicPartition, OffsetAndMetadata>> offsets = new TreeMap<>();
    /** Writes in flight per group and partition (commits and expiry tombstones). */
    private final TreeMap<String, TreeMap<TopicPartition, Integer>> pending = new TreeMap<>();
    /** The log offset of the record of each committed offset: a transactional one wins only if written later. */
    private final TreeMap<String, TreeMap<TopicPartition, Long>> recordOffsets = new TreeMap<>();

    /** A replayed transactional offset and the log offset of its record. */
    private record PendingTxnOffset(OffsetAndMetadata offset, long recordOffset) {}

    /** Replayed transactional offsets waiting for their producer's marker: producer id → group → partition. */
    private final TreeMap<Long, TreeMap<String, TreeMap<TopicPartition, PendingTxnOffset>>> pendingTxn = new TreeMap<>();
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
    void replay(long recordOffset, String groupId, TopicPartition tp, String value, boolean loading) {
        if (value == null) {
            TreeMap<TopicPartition, OffsetAndMetadata> g = offsets.get(groupId);
            if (g != null) {
                g.remove(tp);
                recordOffsets.get(groupId).remove(tp);
                if (g.isEmpty()) {
                    offsets.remove(groupId);
                    recordOffsets.remove(groupId);
                }
            }
            return;
        }
        OffsetAndMetadata o = GroupRecords.parseOffset(value);
        if (loading && !o.hasExplicitExpiry() && sc.ctx().bug(Bug.KAFKA_8069)) {
            o = new OffsetAndMetadata(o.offset(), o.leaderEpoch(), o.metadata(), o.commitTimestampMs(), o.commitTimestampMs());
        }
        put(groupId, tp, o, recordOffset);
    }

    private void put(String groupId, TopicPartition tp, OffsetAndMetadata o, long recordOffset) {
        offsets.computeIfAbsent(groupId, k -> new TreeMap<>()).put(tp, o);
        recordOffsets.computeIfAbsent(groupId, k -> new TreeMap<>()).put(tp, recordOffset);
    }

    /** A transactional offset record of {@code producerId}: pending until the producer's marker. */
    void replayTransactional(long recordOffset, long producerId, String groupId, TopicPartition tp, String value) {
        if (value == null) {
            return; // transactions write offsets, never tombstones
        }
        pendingTxn.computeIfAbsent(producerId, k -> new TreeMap<>()).computeIfAbsent(groupId, k -> new TreeMap<>())
                .put(tp, new PendingTxnOffset(GroupRecords.parseOffset(value), recordOffset));
    }

    /** The producer's transaction ended: materialise its offsets on COMMIT, drop them on ABORT. */
    void replayEndTransactionMarker(long producerId, boolean committed) {
        TreeMap<String, TreeMap<TopicPartition, PendingTxnOffset>> byGroup = pendingTxn.remove(producerId);
        if (byGroup == null) {
            return;
        }
        sc.ctx().reached(committed ? "group.txn-offsets-committed" : "group.txn-offsets-aborted");
        if (!committed) {
            return;
        }
        byGroup.forEach((groupId, byPartition) -> byPartition.forEach((tp, p) -> {
            Long existing = recordOffsets.getOrDefault(groupId, new TreeMap<>()).get(tp);
            if (existing == null || existing < p.recordOffset()) {
                put(groupId, tp, p.offset(), p.recordOffset());
            }
        }));
    }

    /** Whether a transactional offset of {@code tp} waits for its marker. */
    boolean hasPendingTransactionalOffsets(String groupId, TopicPartition tp) {
        for (TreeMap<String, TreeMap<TopicPartition, PendingTxnOffset>> byGroup : pendingTxn.values()) {
            TreeMap<TopicPartition, PendingTxnOffset> g = byGroup.get(groupId);
            if (g != null && g.containsKey(tp)) {
                return true;
            }
        }
        return false;
    }

    private boolean hasPendingTransactionalOffsets(String groupId) {
        for (TreeMap<String, TreeMap<TopicPartition, PendingTxnOffset>> byGroup : pendingTxn.values()) {
            if (byGroup.containsKey(groupId)) {
                return true;
            }
        }
        return false;
    }

    /** The pending transactional offsets of {@code producerId} for {@code groupId} (for tests and invariants). */
    public NavigableMap<TopicPartition, Long> pendingTransactionalOffsets(long producerId, String groupId) {
        TreeMap<TopicPartition, Long> out = new TreeMap<>();
        pendingTxn.getOrDefault(producerId, new TreeMap<>()).getOrDefault(groupId, new TreeMap<>())
                .forEach((tp, p) -> out.put(tp, p.offset().offset()));
        return out;
    }

    // ------------------------------------------------------------------ commit and fetch

    /** Appends the commit; {@code done} gets one error per partition once it is replicated or failed. */
    void commit(String groupId, List<OffsetCommitPartition> parts, Consumer<List<OffsetCommitPartitionResponse>> done) {
        long now = sc.ctx().wallClockMs();
        List<Record> records = new ArrayList<>();
        List<TopicPartition> tps = new ArrayList<>();
        for (OffsetCommitPartition p : parts) {
            records.add(offsetRecord(groupId, p.tp(), p.offset(), p.leaderEpoch(), p.metadata(), now));
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

    /**
     * Appends a TxnOffsetCommit as a transactional batch of the producer; {@code done} gets one
     * result per partition once it is replicated (the offsets then wait for the marker) or failed.
     */
    void commitTransactional(String groupId, long producerId, short producerEpoch, List<TxnOffsetCommitPartition> parts,
            Consumer<List<PartitionResult>> done) {
        long now = sc.ctx().wallClockMs();
        List<Record> records = new ArrayList<>();
        List<TopicPartition> tps = new ArrayList<>();
        for (TxnOffsetCommitPartition p : parts) {
            records.add(offsetRecord(groupId, p.tp(), p.offset(), p.leaderEpoch(), p.metadata(), now));
            tps.add(p.tp());
        }
        if (records.isEmpty()) {
            done.accept(List.of());
            return;
        }
        markPending(groupId, tps);
        sc.writeTransactional(producerId, producerEpoch, records, commitTimeoutMs, error -> {
            unmarkPending(groupId, tps);
            // Kafka answers a stale producer epoch on the offsets partition as PRODUCER_FENCED
            Errors mapped = error == Errors.INVALID_PRODUCER_EPOCH ? Errors.PRODUCER_FENCED : mapCommitError(error);
            List<PartitionResult> out = new ArrayList<>();
            for (TopicPartition tp : tps) {
                out.add(new PartitionResult(tp, mapped));
            }
            done.accept(out);
        });
    }

    /** The record of one committed offset (plain or transactional), stamped with the commit time, no explicit expiry. */
    private static Record offsetRecord(String groupId, TopicPartition tp, long offset, int leaderEpoch, String metadata, long now) {
        return GroupRecords.offsetCommit(groupId, tp, new OffsetAndMetadata(offset, leaderEpoch, metadata == null ? "" : metadata, now, -1), now);
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

    /**
     * The committed offsets of {@code tps} (all the group's when empty); -1 for a partition without one.
     * With {@code requireStable}, a partition with a transactional offset awaiting its marker
     * answers UNSTABLE_OFFSET_COMMIT (KIP-447: the consumer retries).
     */
    List<OffsetFetchPartition> fetch(String groupId, List<TopicPartition> tps, boolean requireStable) {
        TreeMap<TopicPartition, OffsetAndMetadata> g = offsets.getOrDefault(groupId, new TreeMap<>());
        List<OffsetFetchPartition> out = new ArrayList<>();
        List<TopicPartition> wanted = tps.isEmpty() ? new ArrayList<>(g.keySet()) : tps;
        for (TopicPartition tp : wanted) {
            if (requireStable && hasPendingTransactionalOffsets(groupId, tp)) {
                sc.ctx().reached("group.fetch-unstable");
                out.add(new OffsetFetchPartition(tp, -1, -1, "", Errors.UNSTABLE_OFFSET_COMMIT));
                continue;
            }
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
            if (pend.containsKey(tp) || hasPendingTransactionalOffsets(group.groupId(), tp) || (stableConsumer && subscribed.contains(tp.topic()))) {
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
        return offsets.containsKey(groupId) || pending.containsKey(groupId) || hasPendingTransactionalOffsets(groupId);
    }

    int committedCount(String groupId) {
        TreeMap<TopicPartition, OffsetAndMetadata> g = offsets.get(groupId);
        return g == null ? 0 : g.size();
    }

    boolean hasPending(String groupId) {
        return pending.containsKey(groupId) || hasPendingTransactionalOffsets(groupId);
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
