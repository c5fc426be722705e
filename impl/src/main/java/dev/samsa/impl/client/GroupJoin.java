package dev.samsa.impl.client;

import dev.samsa.impl.client.ConsumerCoordinator.MemberState;
import dev.samsa.impl.protocol.Errors;
import dev.samsa.impl.protocol.GroupMessage.Assignment;
import dev.samsa.impl.protocol.GroupMessage.JoinGroupMember;
import dev.samsa.impl.protocol.GroupMessage.JoinGroupRequest;
import dev.samsa.impl.protocol.GroupMessage.JoinGroupResponse;
import dev.samsa.impl.protocol.GroupMessage.SyncGroupAssignment;
import dev.samsa.impl.protocol.GroupMessage.SyncGroupRequest;
import dev.samsa.impl.protocol.GroupMessage.SyncGroupResponse;
import dev.samsa.impl.protocol.TopicPartition;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One member's way through a rebalance after onJoinPrepare: JoinGroup (MEMBER_ID_REQUIRED: join
 * again with the given id), SyncGroup (the leader runs the assignor over everyone's
 * subscription), and onJoinComplete: a cooperative member first revokes what it lost, then takes
 * the new partitions and, if it revoked any, rejoins for the follow-up round (KIP-429).
 */
final class GroupJoin {

    private enum Completion {
        NONE,
        REVOKING,
        ASSIGNING
    }

    private final ConsumerCoordinator c;
    private long joinRequestId = -1;
    private long syncRequestId = -1;
    private long deadlineNanos;
    boolean isLeader;
    /** The partition counts the leader's last assignment used; a change makes it rejoin. */
    private TreeMap<String, Integer> assignmentSnapshot = new TreeMap<>();
    private Assignment pending;
    private Completion completion = Completion.NONE;

    GroupJoin(ConsumerCoordinator c) {
        this.c = c;
    }

    boolean inFlight() {
        return joinRequestId >= 0 || syncRequestId >= 0;
    }

    void reset() {
        joinRequestId = -1;
        syncRequestId = -1;
        pending = null;
        completion = Completion.NONE;
    }

    void sendJoinGroup(long now, String reason) {
        KafkaConsumer consumer = c.consumer;
        joinRequestId = consumer.nextCorrelationId();
        // Kafka lets a JoinGroup wait for the whole rebalance, longer than an ordinary request
        deadlineNanos = now + Math.max(consumer.requestTimeoutNanos, (c.rebalanceTimeoutMs + 5_000) * 1_000_000L);
        c.state = MemberState.PREPARING_REBALANCE;
        consumer.ctx.send(c.coordinatorId, new JoinGroupRequest(joinRequestId, c.groupId, c.sessionTimeoutMs, c.rebalanceTimeoutMs,
                c.memberId, c.groupInstanceId, "consumer", List.of(c.joinProtocol()), reason));
    }

    void handleJoinGroup(JoinGroupResponse r, long now) {
        if (r.correlationId() != joinRequestId) {
            return;
        }
        joinRequestId = -1;
        if (c.state != MemberState.PREPARING_REBALANCE) {
            return;
        }
        switch (r.error()) {
            case NONE -> joined(r, now);
            case MEMBER_ID_REQUIRED -> {
                c.memberId = r.memberId(); // KIP-394: join again at once with the id the coordinator gave
                c.state = MemberState.UNJOINED;
            }
            case UNKNOWN_MEMBER_ID, ILLEGAL_GENERATION -> {
                c.resetGeneration();
                c.requestRejoin("JoinGroup " + r.error());
            }
            case REBALANCE_IN_PROGRESS -> c.state = MemberState.UNJOINED; // keeps its generation and owned partitions (KAFKA-13419)
            case COORDINATOR_NOT_AVAILABLE, NOT_COORDINATOR -> {
                c.state = MemberState.UNJOINED;
                c.markCoordinatorUnknown("JoinGroup " + r.error(), now);
            }
            case FENCED_INSTANCE_ID, INVALID_SESSION_TIMEOUT, INCONSISTENT_GROUP_PROTOCOL, GROUP_MAX_SIZE_REACHED, INVALID_GROUP_ID,
                    GROUP_AUTHORIZATION_FAILED -> c.fatal(r.error());
            default -> {
                c.state = MemberState.UNJOINED;
                c.rejoinNotBeforeNanos = now + c.consumer.retryBackoffNanos;
            }
        }
    }

    private void joined(JoinGroupResponse r, long now) {
        c.generationId = r.generationId();
        c.memberId = r.memberId();
        c.state = MemberState.COMPLETING_REBALANCE;
        c.heartbeat.reset(now);
        isLeader = r.leader().equals(r.memberId());
        List<SyncGroupAssignment> assignments = new ArrayList<>();
        if (isLeader && !r.skipAssignment()) {
            c.consumer.ctx.reached("consumer.leader-assigns");
            TreeMap<String, Integer> counts = groupPartitionCounts(r.members());
            assignmentSnapshot = counts;
            c.assignor.assign(counts, r.members()).forEach((m, a) -> assignments.add(new SyncGroupAssignment(m, a)));
        }
        syncRequestId = c.consumer.nextCorrelationId();
        deadlineNanos = now + c.consumer.requestTimeoutNanos;
        c.consumer.ctx.send(c.coordinatorId, new SyncGroupRequest(syncRequestId, c.groupId, c.generationId, c.memberId,
                c.groupInstanceId, r.protocolName(), assignments));
    }

    /** The leader watches every topic of the group (Kafka's groupSubscription) so a partition count change is seen. */
    private TreeMap<String, Integer> groupPartitionCounts(List<JoinGroupMember> members) {
        TreeSet<String> topics = new TreeSet<>(c.subscription);
        members.forEach(m -> topics.addAll(m.subscription().topics()));
        c.consumer.metadata.setTopics(topics);
        TreeMap<String, Integer> counts = new TreeMap<>();
        for (String t : topics) {
            c.consumer.metadata.partitionCount(t).ifPresent(n -> counts.put(t, n));
        }
        return counts;
    }

    void maybeRejoinOnMetadataChange() {
        if (!isLeader) {
            return;
        }
        TreeMap<String, Integer> now = new TreeMap<>();
        assignmentSnapshot.keySet().forEach(t -> now.put(t, c.consumer.metadata.partitionCount(t).orElse(0)));
        TreeSet<String> topics = new TreeSet<>(c.subscription);
        topics.forEach(t -> c.consumer.metadata.partitionCount(t).ifPresent(n -> now.put(t, n)));
        if (!now.equals(assignmentSnapshot)) {
            c.consumer.ctx.reached("consumer.leader-metadata-changed");
            c.requestRejoin("cached metadata has changed");
        }
    }

    void handleSyncGroup(SyncGroupResponse r, long now) {
        if (r.correlationId() != syncRequestId) {
            return;
        }
        syncRequestId = -1;
        if (c.state != MemberState.COMPLETING_REBALANCE) {
            return;
        }
        switch (r.error()) {
            case NONE -> {
                c.state = MemberState.STABLE;
                c.rejoinNeeded = false;
                c.rejoinReason = "";
                pending = r.assignment();
            }
            case UNKNOWN_MEMBER_ID, ILLEGAL_GENERATION -> {
                c.resetGeneration();
                c.requestRejoin("SyncGroup " + r.error());
            }
            case REBALANCE_IN_PROGRESS -> {
                c.state = MemberState.UNJOINED;
                c.requestRejoin("SyncGroup REBALANCE_IN_PROGRESS");
            }
            case COORDINATOR_NOT_AVAILABLE, NOT_COORDINATOR -> {
                c.state = MemberState.UNJOINED;
                c.requestRejoin("SyncGroup " + r.error());
                c.markCoordinatorUnknown("SyncGroup " + r.error(), now);
            }
            case FENCED_INSTANCE_ID -> c.fatal(Errors.FENCED_INSTANCE_ID);
            default -> {
                c.state = MemberState.UNJOINED;
                c.requestRejoin("SyncGroup " + r.error());
                c.rejoinNotBeforeNanos = now + c.consumer.retryBackoffNanos;
            }
        }
    }

    /** onJoinComplete, run inside poll: revoked callback, then the new assignment and the assigned callback. */
    boolean maybeCompleteJoin(long now) {
        if (pending == null || completion != Completion.NONE) {
            return false;
        }
        c.joinedMetadata = new ConsumerGroupMetadata(c.groupId, c.generationId, c.memberId, c.groupInstanceId);
        TreeSet<TopicPartition> assigned = new TreeSet<>(pending.partitions());
        TreeSet<TopicPartition> owned = new TreeSet<>(c.consumer.assignment.keySet());
        TreeSet<TopicPartition> revoked = new TreeSet<>(owned);
        revoked.removeAll(assigned);
        TreeSet<TopicPartition> added = new TreeSet<>(assigned);
        added.removeAll(owned);
        if (revoked.isEmpty()) {
            assign(assigned, added, false, now);
            return true;
        }
        c.consumer.ctx.reached("consumer.cooperative-revoke");
        completion = Completion.REVOKING;
        c.callListener(true, false, revoked, () -> {
            c.consumer.removePartitions(revoked);
            assign(assigned, added, true, now);
        });
        return true;
    }

    private void assign(TreeSet<TopicPartition> assigned, TreeSet<TopicPartition> added, boolean revokedSome, long now) {
        completion = Completion.ASSIGNING;
        c.consumer.addGroupPartitions(added);
        c.resetAutoCommitTimer(now);
        int generation = c.generationId;
        String member = c.memberId;
        c.callListener(false, false, added, () -> {
            pending = null;
            completion = Completion.NONE;
            c.needsJoinPrepare = true;
            c.observer.onJoined(generation, member, List.copyOf(assigned));
            if (revokedSome) {
                c.requestRejoin("need to revoke partitions and re-join");
            }
        });
    }

    void checkTimeout(long now) {
        if (inFlight() && now >= deadlineNanos) {
            reset();
            c.state = MemberState.UNJOINED;
            c.requestRejoin("JoinGroup or SyncGroup timed out");
            c.markCoordinatorUnknown("request timed out", now);
        }
    }

    void addDeadlines(List<Long> deadlines) {
        if (inFlight()) {
            deadlines.add(deadlineNanos);
        }
    }
}
