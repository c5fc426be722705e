package dev.samsa.impl.group;

import dev.samsa.impl.coordinator.CoordinatorRuntime.ShardContext;
import dev.samsa.impl.coordinator.RecordFields;
import dev.samsa.impl.node.Context;
import dev.samsa.impl.protocol.Errors;
import dev.samsa.impl.protocol.GroupMessage;
import dev.samsa.impl.protocol.GroupMessage.Assignment;
import dev.samsa.impl.protocol.GroupMessage.HeartbeatRequest;
import dev.samsa.impl.protocol.GroupMessage.HeartbeatResponse;
import dev.samsa.impl.protocol.GroupMessage.JoinGroupProtocol;
import dev.samsa.impl.protocol.GroupMessage.JoinGroupRequest;
import dev.samsa.impl.protocol.GroupMessage.JoinGroupResponse;
import dev.samsa.impl.protocol.GroupMessage.LeaveGroupRequest;
import dev.samsa.impl.protocol.GroupMessage.LeaveGroupResponse;
import dev.samsa.impl.protocol.GroupMessage.MemberIdentity;
import dev.samsa.impl.protocol.GroupMessage.SyncGroupAssignment;
import dev.samsa.impl.protocol.GroupMessage.SyncGroupRequest;
import dev.samsa.impl.protocol.GroupMessage.SyncGroupResponse;
import dev.samsa.spec.bugs.Bug;
import java.util.List;
import java.util.TreeMap;

/**
 * The classic group protocol of one {@code __consumer_offsets} shard (the classic half of
 * Kafka's GroupMetadataManager): JoinGroup, SyncGroup, Heartbeat and LeaveGroup, the join and
 * sync phases, session timeouts and static membership (KIP-345). Membership lives in memory and
 * is stored as a GroupMetadata record when a generation gets its assignment (Kafka's storeGroup).
 */
final class GroupMetadataManager {

    /** KIP-394: a new member must complete its first join within this long. */
    static final long NEW_MEMBER_JOIN_TIMEOUT_MS = 300_000;

    static final String HEARTBEAT = "heartbeat";
    static final String PENDING = "pending";
    static final String JOIN = "join";
    static final String SYNC = "sync";

    private final ShardContext sc;
    private final Context ctx;
    private final ResponseSink out;
    private final TreeMap<String, ClassicGroup> groups;
    private final long minSessionMs;
    private final long maxSessionMs;
    private final ClassicGroupRebalance rebalance;
    private long nextMemberSeq;
    private boolean unloaded;

    GroupMetadataManager(ShardContext sc, ResponseSink out, TreeMap<String, ClassicGroup> groups) {
        this.sc = sc;
        this.ctx = sc.ctx();
        this.out = out;
        this.groups = groups;
        var s = ctx.settings();
        this.minSessionMs = s.getLong("group.min.session.timeout.ms");
        this.maxSessionMs = s.getLong("group.max.session.timeout.ms");
        this.rebalance = new ClassicGroupRebalance(sc, out);
    }

    // ================================================================== load and unload

    /** Loaded members get a full session to reach the new coordinator. */
    void onLoaded() {
        for (ClassicGroup g : groups.values()) {
            for (ClassicGroupMember m : g.members().values()) {
                rebalance.scheduleHeartbeat(g, m);
            }
        }
    }

    /** Leadership is gone: parked joins and syncs get NOT_COORDINATOR, the groups are dropped. */
    void onUnloaded() {
        unloaded = true;
        for (ClassicGroup g : groups.values()) {
            for (ClassicGroupMember m : g.members().values()) {
                rebalance.respondJoin(m, ClassicGroupRebalance.error(Errors.NOT_COORDINATOR, m.memberId()));
                rebalance.respondSync(m, Errors.NOT_COORDINATOR, Assignment.EMPTY, null);
            }
            g.transitionTo(ClassicGroupState.DEAD, ctx.wallClockMs());
        }
        groups.clear();
    }

    /** A commit by a member keeps its session alive, as in Kafka. */
    void scheduleHeartbeat(ClassicGroup g, ClassicGroupMember m) {
        rebalance.scheduleHeartbeat(g, m);
    }

    /** A membership timer: {@code key} is {@code [kind, group, member?]}. */
    void onTimer(List<String> key) {
        ClassicGroup g = groups.get(key.get(1));
        if (g == null) {
            return;
        }
        switch (key.get(0)) {
            case HEARTBEAT -> rebalance.onHeartbeatExpired(g, key.get(2));
            case PENDING -> {
                if (g.pendingMembers.remove(key.get(2)) && g.is(ClassicGroupState.PREPARING_REBALANCE)) {
                    rebalance.maybeCompleteJoin(g);
                }
            }
            case JOIN -> rebalance.onJoinTimer(g);
            case SYNC -> rebalance.onSyncExpired(g);
            default -> {}
        }
    }

    // ================================================================== JoinGroup

    void joinGroup(Responder r, JoinGroupRequest req) {
        if (req.sessionTimeoutMs() < minSessionMs || req.sessionTimeoutMs() > maxSessionMs) {
            out.send(r, ClassicGroupRebalance.error(r, Errors.INVALID_SESSION_TIMEOUT, req.memberId()));
            return;
        }
        boolean unknown = req.memberId().equals(GroupMessage.UNKNOWN_MEMBER_ID);
        ClassicGroup g = groups.get(req.groupId());
        if (g == null) {
            if (!unknown) {
                out.send(r, ClassicGroupRebalance.error(r, Errors.UNKNOWN_MEMBER_ID, req.memberId()));
                return;
            }
            g = new ClassicGroup(req.groupId(), ClassicGroupState.EMPTY, ctx.wallClockMs());
            groups.put(req.groupId(), g);
        }
        if (!g.supportsProtocols(req.protocolType(), req.protocols())) {
            out.send(r, ClassicGroupRebalance.error(r, Errors.INCONSISTENT_GROUP_PROTOCOL, req.memberId()));
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
            out.send(r, ClassicGroupRebalance.error(r, Errors.FENCED_INSTANCE_ID, id));
            return;
        }
        ClassicGroupMember m = g.member(id);
        if (m == null || g.is(ClassicGroupState.EMPTY)) {
            out.send(r, ClassicGroupRebalance.error(r, Errors.UNKNOWN_MEMBER_ID, id));
            return;
        }
        switch (g.state()) {
            case PREPARING_REBALANCE -> updateMemberAndRebalance(r, g, m, req);
            case COMPLETING_REBALANCE -> {
                if (m.matches(req.protocols())) {
                    // the member lost our JoinGroup answer: send it again
                    out.send(r, rebalance.joinResult(r, g, m, false));
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
            default -> out.send(r, ClassicGroupRebalance.error(r, Errors.UNKNOWN_MEMBER_ID, id));
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
        rebalance.scheduleHeartbeat(g, m);
        rebalance.maybePrepareRebalance(g);
        rebalance.maybeCompleteJoin(g);
    }

    private void updateMemberAndRebalance(Responder r, ClassicGroup g, ClassicGroupMember m, JoinGroupRequest req) {
        m.protocols = List.copyOf(req.protocols());
        m.rebalanceTimeoutMs = req.rebalanceTimeoutMs();
        m.sessionTimeoutMs = req.sessionTimeoutMs();
        m.awaitingJoin = r; // a previous parked join of the same member is dropped, as Kafka's updateMember does
        rebalance.maybePrepareRebalance(g);
        rebalance.maybeCompleteJoin(g);
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
        rebalance.respondJoin(m, ClassicGroupRebalance.error(Errors.FENCED_INSTANCE_ID, oldId));
        rebalance.respondSync(m, Errors.FENCED_INSTANCE_ID, Assignment.EMPTY, null);
        sc.cancel(key(HEARTBEAT, g.groupId(), oldId));
        List<JoinGroupProtocol> oldProtocols = m.protocols;
        long oldRebalance = m.rebalanceTimeoutMs;
        long oldSession = m.sessionTimeoutMs;
        g.replaceStaticMember(req.groupInstanceId(), oldId, newId);
        m.protocols = List.copyOf(req.protocols());
        m.rebalanceTimeoutMs = req.rebalanceTimeoutMs();
        m.sessionTimeoutMs = req.sessionTimeoutMs();
        m.awaitingJoin = r;
        rebalance.scheduleHeartbeat(g, m);
        ctx.reached("group.static-member-replaced");
        switch (g.state()) {
            case STABLE -> {
                if (g.selectProtocol() == null || !g.selectProtocol().equals(g.protocolName)) {
                    rebalance.maybePrepareRebalance(g);
                    return;
                }
                if (ctx.bug(Bug.KAFKA_10284)) {
                    ctx.reached("group.static-replacement-not-persisted");
                    respondStaticRejoin(g, m, currentLeader);
                    return;
                }
                rebalance.storeGroup(g, ClassicGroupRebalance.currentAssignments(g), error -> {
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
                        rebalance.scheduleHeartbeat(g, m);
                        out.send(r, new JoinGroupResponse(r.correlationId(), error, g.generationId, g.protocolName, currentLeader, false,
                                GroupMessage.UNKNOWN_MEMBER_ID, List.of()));
                        return;
                    }
                    respondStaticRejoin(g, m, currentLeader);
                });
            }
            case COMPLETING_REBALANCE -> {
                rebalance.prepareRebalance(g);
                rebalance.maybeCompleteJoin(g);
            }
            default -> rebalance.maybeCompleteJoin(g); // PreparingRebalance: the join phase goes on with the new id
        }
    }

    /** JoinGroup v9+: a static leader learns it leads but keeps the current assignment (skipAssignment, KIP-814). */
    private void respondStaticRejoin(ClassicGroup g, ClassicGroupMember m, String currentLeader) {
        boolean leader = m.memberId().equals(g.leaderId);
        Responder r = m.awaitingJoin;
        m.awaitingJoin = null;
        if (r != null) {
            out.send(r, new JoinGroupResponse(r.correlationId(), Errors.NONE, g.generationId, g.protocolName, g.leaderId, leader, m.memberId(),
                    leader ? rebalance.memberList(g) : List.of()));
        }
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
                    rebalance.storeGroup(g, assignment, error -> {
                        if (unloaded || groups.get(g.groupId()) != g || !g.is(ClassicGroupState.COMPLETING_REBALANCE)
                                || g.generationId != generation) {
                            return;
                        }
                        if (error != Errors.NONE) {
                            ctx.reached("group.store-failed");
                            rebalance.resetAndPropagateAssignmentError(g, error);
                            rebalance.maybePrepareRebalance(g);
                            return;
                        }
                        for (ClassicGroupMember each : g.members().values()) {
                            each.assignment = assignment.getOrDefault(each.memberId(), Assignment.EMPTY);
                        }
                        rebalance.propagateAssignment(g, Errors.NONE);
                        g.transitionTo(ClassicGroupState.STABLE, ctx.wallClockMs());
                        rebalance.trace(g, "stable");
                    });
                }
            }
            case STABLE -> {
                g.pendingSyncMembers.remove(m.memberId());
                if (g.pendingSyncMembers.isEmpty()) {
                    sc.cancel(key(SYNC, g.groupId()));
                }
                rebalance.scheduleHeartbeat(g, m);
                out.send(r, new SyncGroupResponse(r.correlationId(), Errors.NONE, g.protocolName, m.assignment));
            }
            default -> out.send(r, new SyncGroupResponse(r.correlationId(), Errors.UNKNOWN_MEMBER_ID, null, Assignment.EMPTY));
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
                    rebalance.scheduleHeartbeat(g, g.member(req.memberId()));
                    e = Errors.REBALANCE_IN_PROGRESS;
                }
                case COMPLETING_REBALANCE, STABLE -> rebalance.scheduleHeartbeat(g, g.member(req.memberId()));
                default -> e = Errors.UNKNOWN_MEMBER_ID;
            }
        }
        out.send(r, new HeartbeatResponse(r.correlationId(), e));
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
            rebalance.removeMemberAndUpdateGroup(g, g.member(memberId));
            return Errors.NONE;
        }
        if (g.pendingMembers.remove(id.memberId())) {
            sc.cancel(key(PENDING, g.groupId(), id.memberId()));
            rebalance.maybeCompleteJoin(g);
            return Errors.NONE;
        }
        Errors e = validateMember(g, id.memberId(), id.groupInstanceId());
        if (e == Errors.NONE) {
            rebalance.removeMemberAndUpdateGroup(g, g.member(id.memberId()));
        }
        return e;
    }

    // ================================================================== helpers

    /** Kafka's validateMember: a fenced static instance, then an unknown member. */
    static Errors validateMember(ClassicGroup g, String memberId, String groupInstanceId) {
        if (g.isStaticMemberFenced(groupInstanceId, memberId)) {
            return Errors.FENCED_INSTANCE_ID;
        }
        return g.has(memberId) ? Errors.NONE : Errors.UNKNOWN_MEMBER_ID;
    }

    private static String key(String... parts) {
        return RecordFields.join(parts);
    }

}
