package dev.samsa.impl.group;

import dev.samsa.impl.coordinator.CoordinatorRuntime.ShardContext;
import dev.samsa.impl.coordinator.CoordinatorShard;
import dev.samsa.impl.coordinator.RecordFields;
import dev.samsa.impl.log.Record;
import dev.samsa.impl.node.Context;
import dev.samsa.impl.protocol.Errors;
import dev.samsa.impl.protocol.GroupMessage;
import dev.samsa.impl.protocol.GroupMessage.JoinGroupProtocol;
import dev.samsa.impl.protocol.GroupMessage.OffsetCommitPartition;
import dev.samsa.impl.protocol.GroupMessage.OffsetCommitPartitionResponse;
import dev.samsa.impl.protocol.GroupMessage.OffsetCommitRequest;
import dev.samsa.impl.protocol.GroupMessage.OffsetCommitResponse;
import dev.samsa.impl.protocol.GroupMessage.OffsetFetchRequest;
import dev.samsa.impl.protocol.GroupMessage.OffsetFetchResponse;
import dev.samsa.impl.protocol.TopicPartition;
import dev.samsa.impl.protocol.TxnMessage.TxnOffsetCommitRequest;
import dev.samsa.impl.protocol.TxnMessage.TxnOffsetCommitResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The classic groups and offsets of one {@code __consumer_offsets} partition, on the broker
 * that leads it (Kafka's GroupCoordinatorShard): membership through its
 * {@link GroupMetadataManager}, offsets through its {@link OffsetMetadataManager}. A load
 * rebuilds groups and offsets from the partition's records through {@link #replay}.
 */
public final class GroupCoordinatorShard implements CoordinatorShard {

    private static final String EXPIRE_OFFSETS = "expire-offsets";

    private final ShardContext sc;
    private final Context ctx;
    private final ResponseSink out;
    private final TreeMap<String, ClassicGroup> groups = new TreeMap<>();
    private final GroupMetadataManager groupMetadata;
    private final OffsetMetadataManager offsets;
    private final long retentionMs;
    private final long retentionCheckMs;

    GroupCoordinatorShard(ShardContext sc, ResponseSink out) {
        this.sc = sc;
        this.ctx = sc.ctx();
        this.out = out;
        this.groupMetadata = new GroupMetadataManager(sc, out, groups);
        this.offsets = new OffsetMetadataManager(sc);
        var s = ctx.settings();
        this.retentionMs = s.getLong("offsets.retention.minutes") * 60_000L;
        this.retentionCheckMs = s.getLong("offsets.retention.check.interval.ms");
    }

    // ================================================================== load, replay, unload

    @Override
    public void replay(long offset, Record record, boolean loading) {
        replay(offset, -1, (short) -1, record, loading);
    }

    /** Offset records of a transactional batch ({@code producerId} >= 0) wait for the producer's marker. */
    @Override
    public void replay(long offset, long producerId, short producerEpoch, Record record, boolean loading) {
        if (record.key() == null) {
            return; // not a coordinator record
        }
        List<String> key = GroupRecords.parseKey(record.key());
        String groupId = key.get(1);
        if (key.get(0).equals(GroupRecords.OFFSET_KEY)) {
            TopicPartition tp = new TopicPartition(key.get(2), Integer.parseInt(key.get(3)));
            if (record.value() != null && !groups.containsKey(groupId)) {
                // as Kafka: offsets without a group belong to a simple group, created Empty with no protocol
                groups.put(groupId, new ClassicGroup(groupId, ClassicGroupState.EMPTY, -1));
            }
            if (producerId >= 0) {
                offsets.replayTransactional(offset, producerId, groupId, tp, record.value());
            } else {
                offsets.replay(offset, groupId, tp, record.value(), loading);
            }
        } else if (!loading) {
            // a live group write: membership already lives in memory (Kafka writes these without replaying them),
            // and a group created since a tombstone was written must survive the tombstone's commit
        } else if (record.value() == null) {
            groups.remove(groupId);
        } else {
            groups.put(groupId, fromRecord(groupId, GroupRecords.parseGroup(record.value())));
        }
    }

    private static ClassicGroup fromRecord(String groupId, GroupRecords.StoredGroup s) {
        ClassicGroup g = new ClassicGroup(groupId, s.members().isEmpty() ? ClassicGroupState.EMPTY : ClassicGroupState.STABLE,
                s.stateTimestampMs());
        g.generationId = s.generationId();
        g.protocolName = s.protocolName();
        for (GroupRecords.StoredMember m : s.members()) {
            List<JoinGroupProtocol> protocols = s.protocolName() == null || m.subscription() == null ? List.of()
                    : List.of(new JoinGroupProtocol(s.protocolName(), m.subscription()));
            ClassicGroupMember member = new ClassicGroupMember(m.memberId(), m.groupInstanceId(), m.rebalanceTimeoutMs(),
                    m.sessionTimeoutMs(), s.protocolType(), protocols);
            member.assignment = m.assignment();
            g.add(member);
        }
        g.protocolType = s.protocolType().isEmpty() ? null : s.protocolType();
        g.leaderId = s.leader();
        return g;
    }

    @Override
    public void replayEndTransactionMarker(long producerId, short producerEpoch, boolean committed, boolean loading) {
        offsets.replayEndTransactionMarker(producerId, committed);
    }

    @Override
    public void onLoaded() {
        if (!groups.isEmpty()) {
            ctx.reached("group.load");
        }
        groupMetadata.onLoaded();
        sc.schedule(EXPIRE_OFFSETS, retentionCheckMs * 1_000_000L);
    }

    @Override
    public void onUnloaded() {
        groupMetadata.onUnloaded();
    }

    @Override
    public void onTimer(String key) {
        List<String> k = RecordFields.split(key);
        if (k.get(0).equals(EXPIRE_OFFSETS)) {
            cleanupGroupMetadata();
            sc.schedule(EXPIRE_OFFSETS, retentionCheckMs * 1_000_000L);
        } else {
            groupMetadata.onTimer(k);
        }
    }

    // ================================================================== offsets

    void commitOffsets(Responder r, OffsetCommitRequest req) {
        ClassicGroup g = groups.get(req.groupId());
        if (g == null) {
            if (req.generationId() >= 0) {
                respondCommit(r, req, Errors.ILLEGAL_GENERATION);
                return;
            }
            // a commit by a consumer outside group management creates a simple group
            g = new ClassicGroup(req.groupId(), ClassicGroupState.EMPTY, ctx.wallClockMs());
            groups.put(req.groupId(), g);
        }
        Errors e = validateOffsetCommit(g, req.generationId(), req.memberId(), req.groupInstanceId(), false);
        if (e != Errors.NONE) {
            ctx.reached("group.commit-fenced");
            respondCommit(r, req, e);
            return;
        }
        ClassicGroupMember m = g.member(req.memberId());
        if (m != null && (g.is(ClassicGroupState.STABLE) || g.is(ClassicGroupState.PREPARING_REBALANCE))) {
            groupMetadata.scheduleHeartbeat(g, m); // a commit keeps the session alive, as in Kafka
        }
        offsets.commit(req.groupId(), req.partitions(), results -> out.send(r, new OffsetCommitResponse(r.correlationId(), results)));
    }

    /**
     * Kafka's ClassicGroup.validateOffsetCommit (§1.8), for OffsetCommit and, {@code transactional},
     * TxnOffsetCommit (KIP-447: the same member and generation fencing; a transactional commit
     * without a member is allowed in any state, and is not refused during a rebalance).
     */
    private static Errors validateOffsetCommit(ClassicGroup g, int generationId, String memberId, String groupInstanceId,
            boolean transactional) {
        if (g.is(ClassicGroupState.DEAD)) {
            return Errors.COORDINATOR_NOT_AVAILABLE;
        }
        if (generationId < 0 && g.is(ClassicGroupState.EMPTY)) {
            return Errors.NONE; // a simple consumer or an admin: only while nobody is a member
        }
        String member = memberId == null ? "" : memberId;
        if (generationId >= 0 || !member.isEmpty() || groupInstanceId != null) {
            Errors e = GroupMetadataManager.validateMember(g, member, groupInstanceId);
            if (e != Errors.NONE) {
                return e;
            }
            if (generationId != g.generationId) {
                return Errors.ILLEGAL_GENERATION;
            }
        } else if (!transactional && !g.is(ClassicGroupState.EMPTY)) {
            return Errors.UNKNOWN_MEMBER_ID;
        }
        return !transactional && g.is(ClassicGroupState.COMPLETING_REBALANCE) ? Errors.REBALANCE_IN_PROGRESS : Errors.NONE;
    }

    /** TxnOffsetCommit (KIP-98, KIP-447 fencing): the offsets are written in the producer's transaction. */
    void commitTransactionalOffsets(Responder r, TxnOffsetCommitRequest req) {
        ClassicGroup g = groups.get(req.groupId());
        if (g == null) {
            if (req.generationId() >= 0) {
                out.send(r, GroupCoordinator.txnOffsetCommitError(req, Errors.ILLEGAL_GENERATION));
                return;
            }
            g = new ClassicGroup(req.groupId(), ClassicGroupState.EMPTY, ctx.wallClockMs());
            groups.put(req.groupId(), g);
        }
        Errors e = validateOffsetCommit(g, req.generationId(), req.memberId(), req.groupInstanceId(), true);
        if (e != Errors.NONE) {
            ctx.reached("group.txn-commit-fenced");
            out.send(r, GroupCoordinator.txnOffsetCommitError(req, e));
            return;
        }
        offsets.commitTransactional(req.groupId(), req.producerId(), req.producerEpoch(), req.partitions(),
                results -> out.send(r, new TxnOffsetCommitResponse(r.correlationId(), results)));
    }

    private void respondCommit(Responder r, OffsetCommitRequest req, Errors e) {
        List<OffsetCommitPartitionResponse> l = new ArrayList<>();
        for (OffsetCommitPartition p : req.partitions()) {
            l.add(new OffsetCommitPartitionResponse(p.tp(), e));
        }
        out.send(r, new OffsetCommitResponse(r.correlationId(), l));
    }

    void fetchOffsets(Responder r, OffsetFetchRequest req) {
        out.send(r, new OffsetFetchResponse(r.correlationId(), Errors.NONE,
                offsets.fetch(req.groupId(), req.partitions(), req.requireStable())));
    }

    /**
     * KIP-211 expiry, every offsets.retention.check.interval.ms (Kafka's cleanupGroupMetadata):
     * tombstones for expired offsets; an Empty group left without offsets dies and its record
     * is deleted too.
     */
    private void cleanupGroupMetadata() {
        long now = ctx.wallClockMs();
        for (String groupId : new ArrayList<>(groups.keySet())) {
            ClassicGroup g = groups.get(groupId);
            List<TopicPartition> expired = offsets.expired(g, now, retentionMs);
            boolean dead = g.is(ClassicGroupState.EMPTY) && !offsets.hasPending(groupId) && offsets.committedCount(groupId) == expired.size();
            if (expired.isEmpty() && !dead) {
                continue;
            }
            List<Record> extra = new ArrayList<>();
            if (dead) {
                g.transitionTo(ClassicGroupState.DEAD, now);
                groups.remove(groupId);
                extra.add(GroupRecords.groupTombstone(groupId, now));
            }
            if (!expired.isEmpty()) {
                ctx.reached("group.offsets-expired");
                trace(g, "offsets expired: " + expired);
            }
            offsets.expire(groupId, expired, extra, () -> {});
        }
    }
    private void trace(ClassicGroup g, String line) {
        if (ctx.tracing()) {
            ctx.trace(sc.topicPartition() + " group " + g.groupId() + " " + line);
        }
    }

    // ================================================================== views

    /** The groups of this partition (read-only). */
    public NavigableMap<String, ClassicGroup> groups() {
        return Collections.unmodifiableNavigableMap(groups);
    }

    GroupMetadataManager groupMetadata() {
        return groupMetadata;
    }

    public OffsetMetadataManager offsets() {
        return offsets;
    }
}
