package dev.samsa.impl.group;

import dev.samsa.impl.coordinator.CoordinatorRuntime.ShardContext;
import dev.samsa.impl.coordinator.CoordinatorRuntime.WriteCallback;
import dev.samsa.impl.coordinator.CoordinatorShard;
import dev.samsa.impl.coordinator.RecordFields;
import dev.samsa.impl.log.Record;
import dev.samsa.impl.node.Context;
import dev.samsa.impl.protocol.Errors;
import dev.samsa.impl.protocol.GroupMessage;
import dev.samsa.impl.protocol.GroupMessage.Assignment;
import dev.samsa.impl.protocol.GroupMessage.HeartbeatRequest;
import dev.samsa.impl.protocol.GroupMessage.HeartbeatResponse;
import dev.samsa.impl.protocol.GroupMessage.JoinGroupMember;
import dev.samsa.impl.protocol.GroupMessage.JoinGroupProtocol;
import dev.samsa.impl.protocol.GroupMessage.JoinGroupRequest;
import dev.samsa.impl.protocol.GroupMessage.JoinGroupResponse;
import dev.samsa.impl.protocol.GroupMessage.LeaveGroupRequest;
import dev.samsa.impl.protocol.GroupMessage.LeaveGroupResponse;
import dev.samsa.impl.protocol.GroupMessage.MemberIdentity;
import dev.samsa.impl.protocol.GroupMessage.OffsetCommitPartition;
import dev.samsa.impl.protocol.GroupMessage.OffsetCommitPartitionResponse;
import dev.samsa.impl.protocol.GroupMessage.OffsetCommitRequest;
import dev.samsa.impl.protocol.GroupMessage.OffsetCommitResponse;
import dev.samsa.impl.protocol.GroupMessage.OffsetFetchRequest;
import dev.samsa.impl.protocol.GroupMessage.OffsetFetchResponse;
import dev.samsa.impl.protocol.GroupMessage.SyncGroupAssignment;
import dev.samsa.impl.protocol.GroupMessage.SyncGroupRequest;
import dev.samsa.impl.protocol.GroupMessage.SyncGroupResponse;
import dev.samsa.impl.protocol.TopicPartition;
import dev.samsa.spec.bugs.Bug;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The classic groups and offsets of one {@code __consumer_offsets} partition, on the broker
 * that leads it (Kafka's GroupCoordinatorShard with its GroupMetadataManager for the classic
 * protocol). Group membership lives in memory and is stored as a GroupMetadata record when a
 * generation is assigned (Kafka's storeGroup); a load rebuilds groups and offsets from those
 * records through {@link #replay}.
 */
public final class GroupCoordinatorShard implements CoordinatorShard {

    /** KIP-394: a new member must complete its first join within this long. */
    static final long NEW_MEMBER_JOIN_TIMEOUT_MS = 300_000;

    private static final String HEARTBEAT = "heartbeat";
    private static final String PENDING = "pending";
    private static final String JOIN = "join";
    private static final String SYNC = "sync";
    private static final String EXPIRE_OFFSETS = "expire-offsets";

    private final ShardContext sc;
    private final Context ctx;
    private final ResponseSink out;
    private final TreeMap<String, ClassicGroup> groups = new TreeMap<>();
    private final OffsetMetadataManager offsets;
    private final long minSessionMs;
    private final long maxSessionMs;
    private final long initialDelayMs;
    private final long commitTimeoutMs;
    private final long retentionMs;
    private final long retentionCheckMs;
    private long nextMemberSeq;
    private boolean unloaded;

    GroupCoordinatorShard(ShardContext sc, ResponseSink out) {
        this.sc = sc;
        this.ctx = sc.ctx();
        this.out = out;
        this.offsets = new OffsetMetadataManager(sc);
        var s = ctx.settings();
        this.minSessionMs = s.getLong("group.min.session.timeout.ms");
        this.maxSessionMs = s.getLong("group.max.session.timeout.ms");
        this.initialDelayMs = s.getLong("group.initial.rebalance.delay.ms");
        this.commitTimeoutMs = s.getLong("offsets.commit.timeout.ms");
        this.retentionMs = s.getLong("offsets.retention.minutes") * 60_000L;
        this.retentionCheckMs = s.getLong("offsets.retention.check.interval.ms");
    }

    // ================================================================== load, replay, unload

    @Override
    public void replay(long offset, Record record, boolean loading) {
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
            offsets.replay(groupId, tp, record.value(), loading);
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
    public void onLoaded() {
        if (!groups.isEmpty()) {
            ctx.reached("group.load");
        }
        for (ClassicGroup g : groups.values()) {
            for (ClassicGroupMember m : g.members().values()) {
                scheduleHeartbeat(g, m); // loaded members get a full session to reach the new coordinator
            }
        }
        sc.schedule(EXPIRE_OFFSETS, retentionCheckMs * 1_000_000L);
    }

    @Override
    public void onUnloaded() {
        unloaded = true;
        for (ClassicGroup g : groups.values()) {
            for (ClassicGroupMember m : g.members().values()) {
                respondJoin(m, error(Errors.NOT_COORDINATOR, m.memberId()));
                respondSync(m, Errors.NOT_COORDINATOR, Assignment.EMPTY, null);
            }
            g.transitionTo(ClassicGroupState.DEAD, ctx.wallClockMs());
        }
        groups.clear();
    }

    @Override
    public void onTimer(String key) {
        List<String> k = RecordFields.split(key);
        if (k.get(0).equals(EXPIRE_OFFSETS)) {
            cleanupGroupMetadata();
            sc.schedule(EXPIRE_OFFSETS, retentionCheckMs * 1_000_000L);
            return;
        }
        ClassicGroup g = groups.get(k.get(1));
        if (g == null) {
            return;
        }
        switch (k.get(0)) {
            case HEARTBEAT -> onHeartbeatExpired(g, k.get(2));
            case PENDING -> {
                if (g.pendingMembers.remove(k.get(2)) && g.is(ClassicGroupState.PREPARING_REBALANCE)) {
                    maybeCompleteJoin(g);
                }
            }
            case JOIN -> onJoinTimer(g);
            case SYNC -> onSyncExpired(g);
            default -> {}
        }
    }

    // ================================================================== JoinGroup

    void joinGroup(Responder r, JoinGroupRequest req) {
        if (req.sessionTimeoutMs() < minSessionMs || req.sessionTimeoutMs() > maxSessionMs) {
            out.send(r, error(r, Errors.INVALID_SESSION_TIMEOUT, req.memberId()));
            return;
        }
        boolean unknown = req.memberId().equals(GroupMessage.UNKNOWN_MEMBER_ID);
        ClassicGroup g = groups.get(req.groupId());
        if (g == null) {
            if (!unknown) {
                out.send(r, error(r, Errors.UNKNOWN_MEMBER_ID, req.memberId()));
                return;
            }
            g = new ClassicGroup(req.groupId(), ClassicGroupState.EMPTY, ctx.wallClockMs());
            groups.put(req.groupId(), g);
        }
        if (!g.supportsProtocols(req.protocolType(), req.protocols())) {
            out.send(r, error(r, Errors.INCONSISTENT_GROUP_PROTOCOL, req.memberId()));
            return;
        }
        if (unknown) {
            joinNewMember(r, g, req);
        } else {
            joinKnownMember(r, g, req);
        }
    }

    private void joinNewMember(Responder r, ClassicGroup g, JoinGroupRequest req) {
        // unique per coordinator load: no other leadership of this partition has this leader epoch
        String newId = (req.groupInstanceId() != null ? req.groupInstanceId() : "consumer") + "-" + sc.leaderEpoch() + "-" + nextMemberSeq++;
        if (req.groupInstanceId() != null) {
            String existing = g.staticMemberId(req.groupInstanceId());
            if (existing == null) {
                addMemberAndRebalance(r, g, req, newId);
            } else {
                replaceStaticMember(r, g, req, existing, newId);
            }
            return;
        }
        // JoinGroup v4+: a new dynamic member first gets its id, and joins again with it (KIP-394)
        g.pendingMembers.add(newId);
        sc.schedule(key(PENDING, g.groupId(), newId), req.sessionTimeoutMs() * 1_000_000L);
        out.send(r, new JoinGroupResponse(r.correlationId(), Errors.MEMBER_ID_REQUIRED, GroupMessage.NO_GENERATION, null, "", false, newId,
                List.of()));
    }

    private void joinKnownMember(Responder r, ClassicGroup g, JoinGroupRequest req) {
        String id = req.memberId();
        if (g.pendingMembers.contains(id)) {
            addMemberAndRebalance(r, g, req, id);
            return;
        }
        if (g.isStaticMemberFenced(req.groupInstanceId(), id)) {
            out.send(r, error(r, Errors.FENCED_INSTANCE_ID, id));
            return;
        }
        ClassicGroupMember m = g.member(id);
        if (m == null || g.is(ClassicGroupState.EMPTY)) {
            out.send(r, error(r, Errors.UNKNOWN_MEMBER_ID, id));
            return;
        }
        switch (g.state()) {
            case PREPARING_REBALANCE -> updateMemberAndRebalance(r, g, m, req);
            case COMPLETING_REBALANCE -> {
                if (m.matches(req.protocols())) {
                    // the member lost our JoinGroup answer: send it again
                    out.send(r, joinResult(r, g, m, false));
                } else {
                    updateMemberAndRebalance(r, g, m, req);
                }
            }
            case STABLE -> {
                if (id.equals(g.leaderId) || !m.matches(req.protocols())) {
                    updateMemberAndRebalance(r, g, m, req);
                } else {
                    out.send(r, new JoinGroupResponse(r.correlationId(), Errors.NONE, g.generationId, g.protocolName, g.leaderId, false, id,
                            List.of()));
                }
            }
            default -> out.send(r, error(r, Errors.UNKNOWN_MEMBER_ID, id));
        }
    }

    private void addMemberAndRebalance(Responder r, ClassicGroup g, JoinGroupRequest req, String memberId) {
        ClassicGroupMember m = new ClassicGroupMember(memberId, req.groupInstanceId(), req.rebalanceTimeoutMs(), req.sessionTimeoutMs(),
                req.protocolType(), req.protocols());
        m.isNew = true;
        if (g.is(ClassicGroupState.PREPARING_REBALANCE) && g.generationId == 0) {
            g.newMemberAdded = true;
        }
        g.add(m);
        m.awaitingJoin = r;
        g.pendingMembers.remove(memberId);
        sc.cancel(key(PENDING, g.groupId(), memberId));
        scheduleHeartbeat(g, m);
        maybePrepareRebalance(g);
        maybeCompleteJoin(g);
    }

    private void updateMemberAndRebalance(Responder r, ClassicGroup g, ClassicGroupMember m, JoinGroupRequest req) {
        m.protocols = List.copyOf(req.protocols());
        m.rebalanceTimeoutMs = req.rebalanceTimeoutMs();
        m.sessionTimeoutMs = req.sessionTimeoutMs();
        m.awaitingJoin = r; // a previous parked join of the same member is dropped, as Kafka's updateMember does
        maybePrepareRebalance(g);
        maybeCompleteJoin(g);
    }

    /**
     * KIP-345: a known static instance joins with an unknown member id. It continues under a
     * new id; the old id's parked requests and later calls get FENCED_INSTANCE_ID. In a Stable
     * group whose protocol stays, it gets the current assignment without a rebalance — once
     * the group with the new id is stored (KAFKA-10284: before the fix, in memory only).
     */
    private void replaceStaticMember(Responder r, ClassicGroup g, JoinGroupRequest req, String oldId, String newId) {
        ClassicGroupMember m = g.member(oldId);
        String currentLeader = g.leaderId;
        respondJoin(m, error(Errors.FENCED_INSTANCE_ID, oldId));
        respondSync(m, Errors.FENCED_INSTANCE_ID, Assignment.EMPTY, null);
        sc.cancel(key(HEARTBEAT, g.groupId(), oldId));
        List<JoinGroupProtocol> oldProtocols = m.protocols;
        long oldRebalance = m.rebalanceTimeoutMs;
        long oldSession = m.sessionTimeoutMs;
        g.replaceStaticMember(req.groupInstanceId(), oldId, newId);
        m.protocols = List.copyOf(req.protocols());
        m.rebalanceTimeoutMs = req.rebalanceTimeoutMs();
        m.sessionTimeoutMs = req.sessionTimeoutMs();
        m.awaitingJoin = r;
        scheduleHeartbeat(g, m);
        ctx.reached("group.static-member-replaced");
        switch (g.state()) {
            case STABLE -> {
                if (g.selectProtocol() == null || !g.selectProtocol().equals(g.protocolName)) {
                    maybePrepareRebalance(g);
                    return;
                }
                if (ctx.bug(Bug.KAFKA_10284)) {
                    ctx.reached("group.static-replacement-not-persisted");
                    respondStaticRejoin(g, m, currentLeader);
                    return;
                }
                storeGroup(g, currentAssignments(g), error -> {
                    if (unloaded || g.member(newId) != m || m.awaitingJoin != r) {
                        return;
                    }
                    if (error != Errors.NONE) {
                        // not stored: the old id stays the instance's id (Kafka reverts the replacement)
                        ctx.reached("group.static-replacement-reverted");
                        m.protocols = oldProtocols;
                        m.rebalanceTimeoutMs = oldRebalance;
                        m.sessionTimeoutMs = oldSession;
                        m.awaitingJoin = null;
                        g.replaceStaticMember(req.groupInstanceId(), newId, oldId);
                        sc.cancel(key(HEARTBEAT, g.groupId(), newId));
                        scheduleHeartbeat(g, m);
                        out.send(r, new JoinGroupResponse(r.correlationId(), error, g.generationId, g.protocolName, currentLeader, false,
                                GroupMessage.UNKNOWN_MEMBER_ID, List.of()));
                        return;
                    }
                    respondStaticRejoin(g, m, currentLeader);
                });
            }
            case COMPLETING_REBALANCE -> {
                prepareRebalance(g);
                maybeCompleteJoin(g);
            }
            default -> maybeCompleteJoin(g); // PreparingRebalance: the join phase goes on with the new id
        }
    }

    /** JoinGroup v9+: a static leader learns it leads but keeps the current assignment (skipAssignment, KIP-814). */
    private void respondStaticRejoin(ClassicGroup g, ClassicGroupMember m, String currentLeader) {
        boolean leader = m.memberId().equals(g.leaderId);
        Responder r = m.awaitingJoin;
        m.awaitingJoin = null;
        if (r != null) {
            out.send(r, new JoinGroupResponse(r.correlationId(), Errors.NONE, g.generationId, g.protocolName, g.leaderId, leader, m.memberId(),
                    leader ? memberList(g) : List.of()));
        }
    }

    // ================================================================== the join phase

    private void maybePrepareRebalance(ClassicGroup g) {
        if (g.is(ClassicGroupState.STABLE) || g.is(ClassicGroupState.COMPLETING_REBALANCE) || g.is(ClassicGroupState.EMPTY)) {
            prepareRebalance(g);
        }
    }

    private void prepareRebalance(ClassicGroup g) {
        if (g.is(ClassicGroupState.COMPLETING_REBALANCE)) {
            resetAndPropagateAssignmentError(g, Errors.REBALANCE_IN_PROGRESS);
        }
        sc.cancel(key(SYNC, g.groupId()));
        long delayMs;
        if (g.is(ClassicGroupState.EMPTY)) {
            // the first rebalance of an empty group waits for more members (Kafka's InitialDelayedJoin)
            g.initialDelayActive = true;
            g.newMemberAdded = false;
            delayMs = initialDelayMs;
            g.initialDelayRemainingMs = Math.max(g.rebalanceTimeoutMs() - initialDelayMs, 0);
        } else {
            g.initialDelayActive = false;
            delayMs = g.rebalanceTimeoutMs();
        }
        g.transitionTo(ClassicGroupState.PREPARING_REBALANCE, ctx.wallClockMs());
        trace(g, "preparing rebalance");
        sc.schedule(key(JOIN, g.groupId()), delayMs * 1_000_000L);
    }

    private void maybeCompleteJoin(ClassicGroup g) {
        if (g.is(ClassicGroupState.PREPARING_REBALANCE) && !g.initialDelayActive && g.hasAllMembersJoined()) {
            sc.cancel(key(JOIN, g.groupId()));
            completeJoin(g);
        }
    }

    private void onJoinTimer(ClassicGroup g) {
        if (!g.is(ClassicGroupState.PREPARING_REBALANCE)) {
            return;
        }
        if (g.initialDelayActive && g.newMemberAdded && g.initialDelayRemainingMs > 0) {
            g.newMemberAdded = false;
            long delay = Math.min(initialDelayMs, g.initialDelayRemainingMs);
            g.initialDelayRemainingMs = Math.max(g.initialDelayRemainingMs - delay, 0);
            sc.schedule(key(JOIN, g.groupId()), delay * 1_000_000L);
            return;
        }
        g.initialDelayActive = false;
        completeJoin(g);
    }

    /** The join phase ends: dynamic members that did not rejoin are removed, the next generation starts. */
    private void completeJoin(ClassicGroup g) {
        for (ClassicGroupMember m : new ArrayList<>(g.members().values())) {
            if (!m.isAwaitingJoin() && !m.isStatic()) {
                ctx.reached("group.rebalance-timeout-removed-member");
                sc.cancel(key(HEARTBEAT, g.groupId(), m.memberId()));
                g.remove(m.memberId());
            }
        }
        if (!g.maybeElectNewJoinedLeader() && !g.members().isEmpty()) {
            // only static members that have not rejoined: wait another round for them or their session timeouts
            sc.schedule(key(JOIN, g.groupId()), g.rebalanceTimeoutMs() * 1_000_000L);
            return;
        }
        g.initNextGeneration(ctx.wallClockMs());
        trace(g, "generation " + g.generationId + " " + g.state());
        if (g.is(ClassicGroupState.EMPTY)) {
            storeGroup(g, new TreeMap<>(), error -> {});
            return;
        }
        for (ClassicGroupMember m : g.members().values()) {
            Responder r = m.awaitingJoin;
            m.awaitingJoin = null;
            m.isNew = false;
            if (r != null) {
                out.send(r, joinResult(r, g, m, false));
            }
            scheduleHeartbeat(g, m);
            g.pendingSyncMembers.add(m.memberId());
        }
        sc.schedule(key(SYNC, g.groupId()), g.rebalanceTimeoutMs() * 1_000_000L);
    }

    /** Members that did not send SyncGroup within the rebalance timeout leave; the group rebalances (Kafka's pending sync). */
    private void onSyncExpired(ClassicGroup g) {
        if (!(g.is(ClassicGroupState.COMPLETING_REBALANCE) || g.is(ClassicGroupState.STABLE)) || g.pendingSyncMembers.isEmpty()) {
            return;
        }
        for (String id : new ArrayList<>(g.pendingSyncMembers)) {
            ctx.reached("group.pending-sync-removed-member");
            sc.cancel(key(HEARTBEAT, g.groupId(), id));
            g.remove(id);
        }
        prepareRebalance(g);
        maybeCompleteJoin(g);
    }

    // ================================================================== SyncGroup

    void syncGroup(Responder r, SyncGroupRequest req) {
        ClassicGroup g = groups.get(req.groupId());
        Errors e = g == null ? Errors.UNKNOWN_MEMBER_ID : validateMember(g, req.memberId(), req.groupInstanceId());
        if (e == Errors.NONE && req.generationId() != g.generationId) {
            e = Errors.ILLEGAL_GENERATION;
        }
        if (e == Errors.NONE && req.protocolName() != null && !req.protocolName().equals(g.protocolName)) {
            e = Errors.INCONSISTENT_GROUP_PROTOCOL;
        }
        if (e != Errors.NONE) {
            out.send(r, new SyncGroupResponse(r.correlationId(), e, null, Assignment.EMPTY));
            return;
        }
        ClassicGroupMember m = g.member(req.memberId());
        switch (g.state()) {
            case PREPARING_REBALANCE -> out.send(r, new SyncGroupResponse(r.correlationId(), Errors.REBALANCE_IN_PROGRESS, null, Assignment.EMPTY));
            case COMPLETING_REBALANCE -> {
                m.awaitingSync = r;
                g.pendingSyncMembers.remove(m.memberId());
                if (g.pendingSyncMembers.isEmpty()) {
                    sc.cancel(key(SYNC, g.groupId()));
                }
                if (m.memberId().equals(g.leaderId)) {
                    TreeMap<String, Assignment> assignment = new TreeMap<>();
                    for (SyncGroupAssignment a : req.assignments()) {
                        assignment.put(a.memberId(), a.assignment());
                    }
                    int generation = g.generationId;
                    // the group is stored before any member gets its assignment (Kafka's storeGroup)
                    storeGroup(g, assignment, error -> {
                        if (unloaded || groups.get(g.groupId()) != g || !g.is(ClassicGroupState.COMPLETING_REBALANCE)
                                || g.generationId != generation) {
                            return;
                        }
                        if (error != Errors.NONE) {
                            ctx.reached("group.store-failed");
                            resetAndPropagateAssignmentError(g, error);
                            maybePrepareRebalance(g);
                            return;
                        }
                        for (ClassicGroupMember each : g.members().values()) {
                            each.assignment = assignment.getOrDefault(each.memberId(), Assignment.EMPTY);
                        }
                        propagateAssignment(g, Errors.NONE);
                        g.transitionTo(ClassicGroupState.STABLE, ctx.wallClockMs());
                        trace(g, "stable");
                    });
                }
            }
            case STABLE -> {
                g.pendingSyncMembers.remove(m.memberId());
                if (g.pendingSyncMembers.isEmpty()) {
                    sc.cancel(key(SYNC, g.groupId()));
                }
                scheduleHeartbeat(g, m);
                out.send(r, new SyncGroupResponse(r.correlationId(), Errors.NONE, g.protocolName, m.assignment));
            }
            default -> out.send(r, new SyncGroupResponse(r.correlationId(), Errors.UNKNOWN_MEMBER_ID, null, Assignment.EMPTY));
        }
    }

    private void resetAndPropagateAssignmentError(ClassicGroup g, Errors error) {
        for (ClassicGroupMember m : g.members().values()) {
            m.assignment = Assignment.EMPTY;
        }
        propagateAssignment(g, error);
    }

    private void propagateAssignment(ClassicGroup g, Errors error) {
        for (ClassicGroupMember m : g.members().values()) {
            if (m.isAwaitingSync()) {
                respondSync(m, error, m.assignment, g.protocolName);
                // a member whose session ran out while it waited gets a fresh one (Kafka does the same)
                scheduleHeartbeat(g, m);
            }
        }
    }

    // ================================================================== Heartbeat and LeaveGroup

    void heartbeat(Responder r, HeartbeatRequest req) {
        ClassicGroup g = groups.get(req.groupId());
        Errors e = g == null ? Errors.UNKNOWN_MEMBER_ID : validateMember(g, req.memberId(), req.groupInstanceId());
        if (e == Errors.NONE && req.generationId() != g.generationId) {
            e = Errors.ILLEGAL_GENERATION;
        }
        if (e == Errors.NONE) {
            switch (g.state()) {
                case PREPARING_REBALANCE -> {
                    scheduleHeartbeat(g, g.member(req.memberId()));
                    e = Errors.REBALANCE_IN_PROGRESS;
                }
                case COMPLETING_REBALANCE, STABLE -> scheduleHeartbeat(g, g.member(req.memberId()));
                default -> e = Errors.UNKNOWN_MEMBER_ID;
            }
        }
        out.send(r, new HeartbeatResponse(r.correlationId(), e));
    }

    private void onHeartbeatExpired(ClassicGroup g, String memberId) {
        ClassicGroupMember m = g.member(memberId);
        if (m == null || (!m.isNew && (m.isAwaitingJoin() || m.isAwaitingSync()))) {
            return; // members waiting in a rebalance need no heartbeat; they get a new session when it ends
        }
        ctx.reached("group.session-timeout-removed-member");
        trace(g, "session of " + memberId + " expired");
        removeMemberAndUpdateGroup(g, m);
    }

    void leaveGroup(Responder r, LeaveGroupRequest req) {
        ClassicGroup g = groups.get(req.groupId());
        Errors first = Errors.NONE;
        for (MemberIdentity id : req.members()) {
            Errors e = g == null ? Errors.UNKNOWN_MEMBER_ID : leave(g, id);
            if (first == Errors.NONE) {
                first = e;
            }
        }
        out.send(r, new LeaveGroupResponse(r.correlationId(), first));
    }

    private Errors leave(ClassicGroup g, MemberIdentity id) {
        if (id.memberId().equals(GroupMessage.UNKNOWN_MEMBER_ID) && id.groupInstanceId() != null) {
            String memberId = g.staticMemberId(id.groupInstanceId()); // removal by instance id (RemoveMembersFromGroup)
            if (memberId == null) {
                return Errors.UNKNOWN_MEMBER_ID;
            }
            removeMemberAndUpdateGroup(g, g.member(memberId));
            return Errors.NONE;
        }
        if (g.pendingMembers.remove(id.memberId())) {
            sc.cancel(key(PENDING, g.groupId(), id.memberId()));
            maybeCompleteJoin(g);
            return Errors.NONE;
        }
        Errors e = validateMember(g, id.memberId(), id.groupInstanceId());
        if (e == Errors.NONE) {
            removeMemberAndUpdateGroup(g, g.member(id.memberId()));
        }
        return e;
    }

    private void removeMemberAndUpdateGroup(ClassicGroup g, ClassicGroupMember m) {
        respondJoin(m, error(Errors.UNKNOWN_MEMBER_ID, m.memberId()));
        respondSync(m, Errors.UNKNOWN_MEMBER_ID, Assignment.EMPTY, null);
        sc.cancel(key(HEARTBEAT, g.groupId(), m.memberId()));
        g.remove(m.memberId());
        switch (g.state()) {
            case STABLE, COMPLETING_REBALANCE -> {
                maybePrepareRebalance(g);
                maybeCompleteJoin(g);
            }
            case PREPARING_REBALANCE -> maybeCompleteJoin(g);
            default -> {}
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
        Errors e = validateOffsetCommit(g, req);
        if (e != Errors.NONE) {
            ctx.reached("group.commit-fenced");
            respondCommit(r, req, e);
            return;
        }
        ClassicGroupMember m = g.member(req.memberId());
        if (m != null && (g.is(ClassicGroupState.STABLE) || g.is(ClassicGroupState.PREPARING_REBALANCE))) {
            scheduleHeartbeat(g, m); // a commit keeps the session alive, as in Kafka
        }
        offsets.commit(req.groupId(), req.partitions(), results -> out.send(r, new OffsetCommitResponse(r.correlationId(), results)));
    }

    /** Kafka's ClassicGroup.validateOffsetCommit for a non-transactional commit (§1.8). */
    private Errors validateOffsetCommit(ClassicGroup g, OffsetCommitRequest req) {
        if (g.is(ClassicGroupState.DEAD)) {
            return Errors.COORDINATOR_NOT_AVAILABLE;
        }
        if (req.generationId() < 0 && g.is(ClassicGroupState.EMPTY)) {
            return Errors.NONE; // a simple consumer or an admin: only while nobody is a member
        }
        if (req.generationId() >= 0 || !req.memberId().isEmpty() || req.groupInstanceId() != null) {
            Errors e = validateMember(g, req.memberId(), req.groupInstanceId());
            if (e != Errors.NONE) {
                return e;
            }
            if (req.generationId() != g.generationId) {
                return Errors.ILLEGAL_GENERATION;
            }
        } else if (!g.is(ClassicGroupState.EMPTY)) {
            return Errors.UNKNOWN_MEMBER_ID;
        }
        return g.is(ClassicGroupState.COMPLETING_REBALANCE) ? Errors.REBALANCE_IN_PROGRESS : Errors.NONE;
    }

    private void respondCommit(Responder r, OffsetCommitRequest req, Errors e) {
        List<OffsetCommitPartitionResponse> l = new ArrayList<>();
        for (OffsetCommitPartition p : req.partitions()) {
            l.add(new OffsetCommitPartitionResponse(p.tp(), e));
        }
        out.send(r, new OffsetCommitResponse(r.correlationId(), l));
    }

    void fetchOffsets(Responder r, OffsetFetchRequest req) {
        out.send(r, new OffsetFetchResponse(r.correlationId(), Errors.NONE, offsets.fetch(req.groupId(), req.partitions())));
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

    // ================================================================== helpers

    /** Kafka's validateMember: a fenced static instance, then an unknown member. */
    private static Errors validateMember(ClassicGroup g, String memberId, String groupInstanceId) {
        if (g.isStaticMemberFenced(groupInstanceId, memberId)) {
            return Errors.FENCED_INSTANCE_ID;
        }
        return g.has(memberId) ? Errors.NONE : Errors.UNKNOWN_MEMBER_ID;
    }

    private void storeGroup(ClassicGroup g, TreeMap<String, Assignment> assignment, WriteCallback callback) {
        List<GroupRecords.StoredMember> members = new ArrayList<>();
        for (ClassicGroupMember m : g.members().values()) {
            members.add(new GroupRecords.StoredMember(m.memberId(), m.groupInstanceId(), m.sessionTimeoutMs, m.rebalanceTimeoutMs,
                    g.protocolName == null ? null : m.subscription(g.protocolName), assignment.getOrDefault(m.memberId(), Assignment.EMPTY)));
        }
        var stored = new GroupRecords.StoredGroup(g.protocolType == null ? "" : g.protocolType, g.generationId, g.protocolName, g.leaderId,
                g.stateTimestampMs(), members);
        long now = ctx.wallClockMs();
        sc.write(List.of(GroupRecords.groupMetadata(g.groupId(), stored, now)), false, commitTimeoutMs,
                error -> callback.onComplete(mapStoreError(error)));
    }

    /** How Kafka's storeGroup maps an append error for the members. */
    static Errors mapStoreError(Errors e) {
        return switch (e) {
            case NONE -> Errors.NONE;
            case UNKNOWN_TOPIC_OR_PARTITION, NOT_ENOUGH_REPLICAS, NOT_ENOUGH_REPLICAS_AFTER_APPEND -> Errors.COORDINATOR_NOT_AVAILABLE;
            case NOT_LEADER_OR_FOLLOWER, KAFKA_STORAGE_ERROR -> Errors.NOT_COORDINATOR;
            case REQUEST_TIMED_OUT -> Errors.REBALANCE_IN_PROGRESS;
            default -> e;
        };
    }

    private static TreeMap<String, Assignment> currentAssignments(ClassicGroup g) {
        TreeMap<String, Assignment> a = new TreeMap<>();
        for (ClassicGroupMember m : g.members().values()) {
            a.put(m.memberId(), m.assignment);
        }
        return a;
    }

    private void scheduleHeartbeat(ClassicGroup g, ClassicGroupMember m) {
        long ms = m.isNew ? NEW_MEMBER_JOIN_TIMEOUT_MS : m.sessionTimeoutMs;
        sc.schedule(key(HEARTBEAT, g.groupId(), m.memberId()), ms * 1_000_000L);
    }

    private static String key(String... parts) {
        return RecordFields.join(parts);
    }

    private JoinGroupResponse joinResult(Responder r, ClassicGroup g, ClassicGroupMember m, boolean skipAssignment) {
        boolean leader = m.memberId().equals(g.leaderId);
        return new JoinGroupResponse(r.correlationId(), Errors.NONE, g.generationId, g.protocolName, g.leaderId, skipAssignment, m.memberId(),
                leader ? memberList(g) : List.of());
    }

    private static List<JoinGroupMember> memberList(ClassicGroup g) {
        List<JoinGroupMember> l = new ArrayList<>();
        for (ClassicGroupMember m : g.members().values()) {
            l.add(new JoinGroupMember(m.memberId(), m.groupInstanceId(), m.subscription(g.protocolName)));
        }
        return l;
    }

    /** A JoinGroup error answer (Kafka's JoinGroupResult(memberId, error)). */
    private static JoinGroupResponse error(Responder r, Errors e, String memberId) {
        return new JoinGroupResponse(r.correlationId(), e, GroupMessage.NO_GENERATION, null, "", false, memberId, List.of());
    }

    private record JoinError(Errors error, String memberId) {}

    private static JoinError error(Errors e, String memberId) {
        return new JoinError(e, memberId);
    }

    private void respondJoin(ClassicGroupMember m, JoinError e) {
        Responder r = m.awaitingJoin;
        if (r != null) {
            m.awaitingJoin = null;
            out.send(r, error(r, e.error(), e.memberId()));
        }
    }

    private void respondSync(ClassicGroupMember m, Errors e, Assignment a, String protocolName) {
        Responder r = m.awaitingSync;
        if (r != null) {
            m.awaitingSync = null;
            out.send(r, new SyncGroupResponse(r.correlationId(), e, protocolName, a));
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

    public OffsetMetadataManager offsets() {
        return offsets;
    }
}
