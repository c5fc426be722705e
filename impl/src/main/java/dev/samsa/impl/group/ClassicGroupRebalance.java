package dev.samsa.impl.group;

import dev.samsa.impl.coordinator.CoordinatorRuntime.ShardContext;
import dev.samsa.impl.coordinator.CoordinatorRuntime.WriteCallback;
import dev.samsa.impl.coordinator.RecordFields;
import dev.samsa.impl.node.Context;
import dev.samsa.impl.protocol.Errors;
import dev.samsa.impl.protocol.GroupMessage;
import dev.samsa.impl.protocol.GroupMessage.Assignment;
import dev.samsa.impl.protocol.GroupMessage.JoinGroupMember;
import dev.samsa.impl.protocol.GroupMessage.JoinGroupResponse;
import dev.samsa.impl.protocol.GroupMessage.SyncGroupResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * The rebalance of a classic group, its timed half: the join phase (Kafka's DelayedJoin and
 * InitialDelayedJoin: it ends when every member rejoined or the rebalance timeout expires), the
 * sync phase (the leader's assignment is stored before members get it; members that never sync
 * are removed), and session expiry. {@link GroupMetadataManager} validates requests and calls in.
 */
final class ClassicGroupRebalance {

    private final ShardContext sc;
    private final Context ctx;
    private final ResponseSink out;
    private final long initialDelayMs;
    private final long commitTimeoutMs;

    ClassicGroupRebalance(ShardContext sc, ResponseSink out) {
        this.sc = sc;
        this.ctx = sc.ctx();
        this.out = out;
        this.initialDelayMs = ctx.settings().getLong("group.initial.rebalance.delay.ms");
        this.commitTimeoutMs = ctx.settings().getLong("offsets.commit.timeout.ms");
    }

    // ================================================================== the join phase

    static String key(String... parts) {
        return RecordFields.join(parts);
    }

    void maybePrepareRebalance(ClassicGroup g) {
        if (g.is(ClassicGroupState.STABLE) || g.is(ClassicGroupState.COMPLETING_REBALANCE) || g.is(ClassicGroupState.EMPTY)) {
            prepareRebalance(g);
        }
    }

    void prepareRebalance(ClassicGroup g) {
        if (g.is(ClassicGroupState.COMPLETING_REBALANCE)) {
            resetAndPropagateAssignmentError(g, Errors.REBALANCE_IN_PROGRESS);
        }
        sc.cancel(key(GroupMetadataManager.SYNC, g.groupId()));
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
        sc.schedule(key(GroupMetadataManager.JOIN, g.groupId()), delayMs * 1_000_000L);
    }

    void maybeCompleteJoin(ClassicGroup g) {
        if (g.is(ClassicGroupState.PREPARING_REBALANCE) && !g.initialDelayActive && g.hasAllMembersJoined()) {
            sc.cancel(key(GroupMetadataManager.JOIN, g.groupId()));
            completeJoin(g);
        }
    }

    void onJoinTimer(ClassicGroup g) {
        if (!g.is(ClassicGroupState.PREPARING_REBALANCE)) {
            return;
        }
        if (g.initialDelayActive && g.newMemberAdded && g.initialDelayRemainingMs > 0) {
            g.newMemberAdded = false;
            long delay = Math.min(initialDelayMs, g.initialDelayRemainingMs);
            g.initialDelayRemainingMs = Math.max(g.initialDelayRemainingMs - delay, 0);
            sc.schedule(key(GroupMetadataManager.JOIN, g.groupId()), delay * 1_000_000L);
            return;
        }
        g.initialDelayActive = false;
        completeJoin(g);
    }

    /** The join phase ends: dynamic members that did not rejoin are removed, the next generation starts. */
    void completeJoin(ClassicGroup g) {
        for (ClassicGroupMember m : new ArrayList<>(g.members().values())) {
            if (!m.isAwaitingJoin() && !m.isStatic()) {
                ctx.reached("group.rebalance-timeout-removed-member");
                sc.cancel(key(GroupMetadataManager.HEARTBEAT, g.groupId(), m.memberId()));
                g.remove(m.memberId());
            }
        }
        if (!g.maybeElectNewJoinedLeader() && !g.members().isEmpty()) {
            // only static members that have not rejoined: wait another round for them or their session timeouts
            sc.schedule(key(GroupMetadataManager.JOIN, g.groupId()), g.rebalanceTimeoutMs() * 1_000_000L);
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
        sc.schedule(key(GroupMetadataManager.SYNC, g.groupId()), g.rebalanceTimeoutMs() * 1_000_000L);
    }

    /** Members that did not send SyncGroup within the rebalance timeout leave; the group rebalances (Kafka's pending sync). */
    void onSyncExpired(ClassicGroup g) {
        if (!(g.is(ClassicGroupState.COMPLETING_REBALANCE) || g.is(ClassicGroupState.STABLE)) || g.pendingSyncMembers.isEmpty()) {
            return;
        }
        for (String id : new ArrayList<>(g.pendingSyncMembers)) {
            ctx.reached("group.pending-sync-removed-member");
            sc.cancel(key(GroupMetadataManager.HEARTBEAT, g.groupId(), id));
            g.remove(id);
        }
        prepareRebalance(g);
        maybeCompleteJoin(g);
    }

    void resetAndPropagateAssignmentError(ClassicGroup g, Errors error) {
        for (ClassicGroupMember m : g.members().values()) {
            m.assignment = Assignment.EMPTY;
        }
        propagateAssignment(g, error);
    }

    void propagateAssignment(ClassicGroup g, Errors error) {
        for (ClassicGroupMember m : g.members().values()) {
            if (m.isAwaitingSync()) {
                respondSync(m, error, m.assignment, g.protocolName);
                // a member whose session ran out while it waited gets a fresh one (Kafka does the same)
                scheduleHeartbeat(g, m);
            }
        }
    }

    void onHeartbeatExpired(ClassicGroup g, String memberId) {
        ClassicGroupMember m = g.member(memberId);
        if (m == null || (!m.isNew && (m.isAwaitingJoin() || m.isAwaitingSync()))) {
            return; // members waiting in a rebalance need no heartbeat; they get a new session when it ends
        }
        ctx.reached("group.session-timeout-removed-member");
        trace(g, "session of " + memberId + " expired");
        removeMemberAndUpdateGroup(g, m);
    }

    void removeMemberAndUpdateGroup(ClassicGroup g, ClassicGroupMember m) {
        respondJoin(m, error(Errors.UNKNOWN_MEMBER_ID, m.memberId()));
        respondSync(m, Errors.UNKNOWN_MEMBER_ID, Assignment.EMPTY, null);
        sc.cancel(key(GroupMetadataManager.HEARTBEAT, g.groupId(), m.memberId()));
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

    void storeGroup(ClassicGroup g, TreeMap<String, Assignment> assignment, WriteCallback callback) {
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

    static TreeMap<String, Assignment> currentAssignments(ClassicGroup g) {
        TreeMap<String, Assignment> a = new TreeMap<>();
        for (ClassicGroupMember m : g.members().values()) {
            a.put(m.memberId(), m.assignment);
        }
        return a;
    }

    void scheduleHeartbeat(ClassicGroup g, ClassicGroupMember m) {
        long ms = m.isNew ? GroupMetadataManager.NEW_MEMBER_JOIN_TIMEOUT_MS : m.sessionTimeoutMs;
        sc.schedule(key(GroupMetadataManager.HEARTBEAT, g.groupId(), m.memberId()), ms * 1_000_000L);
    }

    JoinGroupResponse joinResult(Responder r, ClassicGroup g, ClassicGroupMember m, boolean skipAssignment) {
        boolean leader = m.memberId().equals(g.leaderId);
        return new JoinGroupResponse(r.correlationId(), Errors.NONE, g.generationId, g.protocolName, g.leaderId, skipAssignment, m.memberId(),
                leader ? memberList(g) : List.of());
    }

    static List<JoinGroupMember> memberList(ClassicGroup g) {
        List<JoinGroupMember> l = new ArrayList<>();
        for (ClassicGroupMember m : g.members().values()) {
            l.add(new JoinGroupMember(m.memberId(), m.groupInstanceId(), m.subscription(g.protocolName)));
        }
        return l;
    }

    /** A JoinGroup error answer (Kafka's JoinGroupResult(memberId, error)). */
    static JoinGroupResponse error(Responder r, Errors e, String memberId) {
        return new JoinGroupResponse(r.correlationId(), e, GroupMessage.NO_GENERATION, null, "", false, memberId, List.of());
    }

    record JoinError(Errors error, String memberId) {}

    static JoinError error(Errors e, String memberId) {
        return new JoinError(e, memberId);
    }

    void respondJoin(ClassicGroupMember m, JoinError e) {
        Responder r = m.awaitingJoin;
        if (r != null) {
            m.awaitingJoin = null;
            out.send(r, error(r, e.error(), e.memberId()));
        }
    }

    void respondSync(ClassicGroupMember m, Errors e, Assignment a, String protocolName) {
        Responder r = m.awaitingSync;
        if (r != null) {
            m.awaitingSync = null;
            out.send(r, new SyncGroupResponse(r.correlationId(), e, protocolName, a));
        }
    }

    void trace(ClassicGroup g, String line) {
        if (ctx.tracing()) {
            ctx.trace(sc.topicPartition() + " group " + g.groupId() + " " + line);
        }
    }
}
