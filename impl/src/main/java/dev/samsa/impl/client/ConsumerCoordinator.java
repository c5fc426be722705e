package dev.samsa.impl.client;

import dev.samsa.impl.client.consumer.ConsumerPartitionAssignor;
import dev.samsa.impl.client.consumer.ConsumerPartitionAssignor.RebalanceProtocol;
import dev.samsa.impl.protocol.Errors;
import dev.samsa.impl.protocol.GroupMessage;
import dev.samsa.impl.protocol.GroupMessage.Assignment;
import dev.samsa.impl.protocol.GroupMessage.FindCoordinatorRequest;
import dev.samsa.impl.protocol.GroupMessage.FindCoordinatorResponse;
import dev.samsa.impl.protocol.GroupMessage.JoinGroupProtocol;
import dev.samsa.impl.protocol.GroupMessage.JoinGroupRequest;
import dev.samsa.impl.protocol.GroupMessage.LeaveGroupRequest;
import dev.samsa.impl.protocol.GroupMessage.MemberIdentity;
import dev.samsa.impl.protocol.GroupMessage.Subscription;
import dev.samsa.impl.protocol.TopicPartition;
import dev.samsa.spec.bugs.Bug;
import dev.samsa.spec.config.Settings;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/**
 * The consumer's side of the classic group protocol (Kafka's {@code AbstractCoordinator} and
 * {@code ConsumerCoordinator}): finding the coordinator, heartbeats, {@code max.poll.interval.ms},
 * leaving, and the rebalance itself — onJoinPrepare (commit, revoke), JoinGroup, SyncGroup (the
 * leader runs the assignor, {@link GroupJoin}), onJoinComplete (revoke, assign). Offsets are
 * {@link ConsumerOffsets}'.
 *
 * <p>As in Kafka, a rebalance only makes progress while the application is inside poll(): the
 * JoinGroup goes out and the listener is called only while a poll is outstanding. Heartbeats and
 * responses are handled at any time (Kafka's heartbeat thread).
 */
final class ConsumerCoordinator {

    enum MemberState {
        UNJOINED,
        PREPARING_REBALANCE,
        COMPLETING_REBALANCE,
        STABLE
    }

    /** Progress of onJoinPrepare. */
    private enum Prepare {
        NONE,
        COMMITTING,
        REVOKING,
        READY
    }

    final KafkaConsumer consumer;
    final String groupId;
    /** KIP-345; null for a dynamic member. */
    final String groupInstanceId;
    final long sessionTimeoutMs;
    final long rebalanceTimeoutMs;
    private final long maxPollIntervalNanos;
    final boolean autoCommit;
    private final long autoCommitIntervalNanos;
    final ConsumerPartitionAssignor assignor;
    private final boolean bugKafka14196;
    final ConsumerOffsets offsets;
    final GroupJoin join;

    ConsumerRebalanceListener listener = ConsumerRebalanceListener.NOOP;
    ConsumerGroupObserver observer = ConsumerGroupObserver.NONE;
    final TreeSet<String> subscription = new TreeSet<>();
    boolean subscribed;

    int coordinatorId = -1;
    private long findRequestId = -1;
    private int findBroker = -1;
    private long findDeadlineNanos;
    private long findNotBeforeNanos;

    MemberState state = MemberState.UNJOINED;
    int generationId = GroupMessage.NO_GENERATION;
    String memberId = GroupMessage.UNKNOWN_MEMBER_ID;
    /**
     * What {@code groupMetadata()} returns: the generation and member id of the last completed
     * join, as Kafka's ConsumerCoordinator sets it only in onJoinComplete. A member that lost its
     * generation (UNKNOWN_MEMBER_ID...) keeps handing out the last one, so a transactional commit
     * it makes with it is fenced by the group coordinator (KIP-447) instead of being taken as a
     * group-less commit.
     */
    ConsumerGroupMetadata joinedMetadata;
    boolean rejoinNeeded;
    String rejoinReason = "";
    long rejoinNotBeforeNanos;
    /** Kafka's needsJoinPrepare: onJoinPrepare runs once per rebalance, again only after a completed join or a lost generation. */
    boolean needsJoinPrepare = true;
    private Prepare prepare = Prepare.NONE;
    private ConsumerOffsets.Commit prepareCommit;

    final Heartbeat heartbeat;

    private long lastPollNanos;
    private boolean leftOnPollTimeout;
    private long nextAutoCommitNanos;
    /** A listener callback has not called done yet: the rebalance waits, poll() does not return. */
    boolean callbackInProgress;
    private boolean inPoll;
    Errors fatalError;
    private boolean closed;

    ConsumerCoordinator(KafkaConsumer consumer, Settings s) {
        this.consumer = consumer;
        this.groupId = s.get("group.id");
        String instance = s.get("group.instance.id");
        this.groupInstanceId = instance.isEmpty() ? null : instance;
        this.joinedMetadata = new ConsumerGroupMetadata(groupId, GroupMessage.NO_GENERATION, GroupMessage.UNKNOWN_MEMBER_ID, groupInstanceId);
        this.sessionTimeoutMs = s.getLong("session.timeout.ms");
        this.rebalanceTimeoutMs = s.getLong("max.poll.interval.ms");
        this.maxPollIntervalNanos = s.getMsAsNanos("max.poll.interval.ms");
        this.autoCommit = s.getBoolean("enable.auto.commit");
        this.autoCommitIntervalNanos = s.getMsAsNanos("auto.commit.interval.ms");
        this.assignor = ConsumerPartitionAssignor.forName(s.get("partition.assignment.strategy"), consumer.ctx.bug(Bug.KAFKA_14639));
        this.bugKafka14196 = consumer.ctx.bug(Bug.KAFKA_14196);
        this.offsets = new ConsumerOffsets(this, s.get("isolation.level").equals("read_committed"));
        this.join = new GroupJoin(this);
        this.heartbeat = new Heartbeat(this, s.getMsAsNanos("heartbeat.interval.ms"));
        this.lastPollNanos = consumer.ctx.nowNanos();
        this.nextAutoCommitNanos = lastPollNanos + autoCommitIntervalNanos;
    }

    RebalanceProtocol protocol() {
        return assignor.protocol();
    }

    boolean hasGeneration() {
        return generationId != GroupMessage.NO_GENERATION && !memberId.isEmpty();
    }

    // ------------------------------------------------------------------ application calls

    void subscribe(Collection<String> topics, ConsumerRebalanceListener l) {
        listener = l;
        TreeSet<String> wanted = new TreeSet<>(topics);
        if (!subscribed || !wanted.equals(subscription)) {
            subscription.clear();
            subscription.addAll(wanted);
            subscribed = true;
            requestRejoin("subscription changed");
        }
        consumer.metadata.setTopics(subscription);
    }

    void onPollCalled(long now) {
        lastPollNanos = now;
        leftOnPollTimeout = false;
    }

    void onPollReturned(long now) {
        lastPollNanos = now;
    }

    /** unsubscribe() and close(): a dynamic member leaves at once (KIP-345: a static one lets its session expire). */
    void leave(String reason) {
        if (groupInstanceId == null && coordinatorId >= 0 && hasGeneration()) {
            consumer.ctx.send(coordinatorId, new LeaveGroupRequest(consumer.nextCorrelationId(), groupId,
                    List.of(new MemberIdentity(memberId, null))));
        }
        resetGeneration();
        rejoinNeeded = false;
        if (consumer.ctx.tracing()) {
            consumer.ctx.trace("consumer " + consumer.ctx.nodeId() + " leaves group " + groupId + ": " + reason);
        }
    }

    void unsubscribed() {
        subscribed = false;
        subscription.clear();
        // having left on purpose, the consumer is in no generation (a lost membership keeps the last one)
        joinedMetadata = new ConsumerGroupMetadata(groupId, GroupMessage.NO_GENERATION, GroupMessage.UNKNOWN_MEMBER_ID, groupInstanceId);
        prepare = Prepare.NONE;
        needsJoinPrepare = true;
        join.reset();
    }

    void close() {
        closed = true;
        subscribed = false;
    }

    // ------------------------------------------------------------------ the loop

    /** Called by the consumer's loop after every event. */
    void poll(long now) {
        if (inPoll) {
            return; // a listener's done ran inside our own loop: the loop goes on by itself
        }
        inPoll = true;
        try {
            checkTimeouts(now);
            boolean progress = true;
            while (progress && fatalError == null && !closed) {
                maybeFindCoordinator(now);
                offsets.sendPending(now);
                progress = subscribed && step(now);
            }
        } finally {
            inPoll = false;
        }
    }

    /** One step of group work; true if something changed that may allow another. */
    private boolean step(long now) {
        maybeLeaveOnPollTimeout(now);
        heartbeat.maybeSend(now);
        if (!consumer.pollOutstanding() || callbackInProgress) {
            return false;
        }
        if (join.maybeCompleteJoin(now)) {
            return true;
        }
        if (state == MemberState.STABLE && !rejoinNeeded) {
            maybeAutoCommit(now);
            join.maybeRejoinOnMetadataChange();
        }
        return rejoinNeeded && (state == MemberState.UNJOINED || state == MemberState.STABLE) && joinStep(now);
    }

    /** Runs the listener; {@code then} runs when the application calls done, and the loop goes on. */
    void callListener(boolean revoke, boolean lost, Collection<TopicPartition> partitions, Runnable then) {
        callbackInProgress = true;
        List<TopicPartition> parts = List.copyOf(new TreeSet<>(partitions));
        boolean[] called = {false};
        Runnable done = () -> {
            if (called[0]) {
                return;
            }
            called[0] = true;
            callbackInProgress = false;
            then.run();
            if (!inPoll) {
                consumer.runOnce();
            }
        };
        if (lost) {
            listener.onPartitionsLost(parts, done);
        } else if (revoke) {
            listener.onPartitionsRevoked(parts, done);
        } else {
            listener.onPartitionsAssigned(parts, done);
        }
    }

    // ------------------------------------------------------------------ onJoinPrepare and JoinGroup

    private boolean joinStep(long now) {
        if (needsJoinPrepare) {
            return prepareStep(now);
        }
        if (coordinatorId < 0 || now < rejoinNotBeforeNanos || join.inFlight()) {
            return false;
        }
        join.sendJoinGroup(now, rejoinReason);
        return true;
    }

    private boolean prepareStep(long now) {
        switch (prepare) {
            case NONE -> {
                observer.onJoinStarted(rejoinReason);
                var consumed = consumer.allConsumed();
                if (autoCommit && state == MemberState.STABLE && hasGeneration() && !consumed.isEmpty()) {
                    boolean eager = protocol() == RebalanceProtocol.EAGER;
                    if (eager && !bugKafka14196) {
                        consumer.assignment.values().forEach(st -> st.pendingRevocation = true);
                    } else if (eager) {
                        consumer.ctx.reached("consumer.bug.fetch-during-revoke-commit");
                    }
                    prepareCommit = offsets.commit(consumed, ConsumerOffsets.Kind.REVOCATION, eager, null, now);
                    prepare = Prepare.COMMITTING;
                } else {
                    prepare = Prepare.REVOKING;
                }
                return true;
            }
            case COMMITTING -> {
                if (!prepareCommit.isDone()) {
                    return false;
                }
                prepareCommit = null;
                prepare = Prepare.REVOKING;
                return true;
            }
            case REVOKING -> {
                revokeBeforeJoin();
                return true;
            }
            case READY -> {
                prepare = Prepare.NONE;
                needsJoinPrepare = false;
                return true;
            }
            default -> throw new IllegalStateException(prepare.toString());
        }
    }

    /** Eager: give up everything; lost generation: everything is lost; cooperative: only topics no longer subscribed. */
    private void revokeBeforeJoin() {
        TreeSet<TopicPartition> owned = new TreeSet<>(consumer.assignment.keySet());
        boolean lost = !hasGeneration();
        TreeSet<TopicPartition> revoked = new TreeSet<>();
        if (lost || protocol() == RebalanceProtocol.EAGER) {
            revoked.addAll(owned);
        } else {
            owned.stream().filter(tp -> !subscription.contains(tp.topic())).forEach(revoked::add);
        }
        join.isLeader = false;
        if (revoked.isEmpty()) {
            prepare = Prepare.READY;
            return;
        }
        prepare = Prepare.READY; // set first: done may run before the listener returns
        callListener(true, lost, revoked, () -> consumer.removePartitions(revoked));
    }

    void requestRejoin(String reason) {
        if (!rejoinNeeded) {
            rejoinReason = reason;
        }
        rejoinNeeded = true;
    }

    /** Kafka's resetStateAndGeneration: the member must join afresh and its partitions are lost. */
    void resetGeneration() {
        generationId = GroupMessage.NO_GENERATION;
        memberId = GroupMessage.UNKNOWN_MEMBER_ID;
        state = MemberState.UNJOINED;
        needsJoinPrepare = true;
        prepare = Prepare.NONE;
        join.reset();
    }

    void fatal(Errors error) {
        if (fatalError != null) {
            return;
        }
        fatalError = error;
        state = MemberState.UNJOINED;
        join.reset();
        consumer.ctx.reached("consumer.fatal." + error.name().toLowerCase());
        observer.onFatal(error);
    }

    // ------------------------------------------------------------------ max.poll.interval.ms

    private void maybeLeaveOnPollTimeout(long now) {
        if (consumer.pollOutstanding() || leftOnPollTimeout || now < lastPollNanos + maxPollIntervalNanos) {
            return;
        }
        if (state == MemberState.UNJOINED && !hasGeneration()) {
            return;
        }
        leftOnPollTimeout = true;
        consumer.ctx.reached("consumer.poll-timeout-leave");
        leave("consumer poll timeout has expired");
        requestRejoin("consumer poll timeout has expired");
    }

    // ------------------------------------------------------------------ auto-commit

    private void maybeAutoCommit(long now) {
        if (!autoCommit || now < nextAutoCommitNanos) {
            return;
        }
        nextAutoCommitNanos = now + autoCommitIntervalNanos;
        var consumed = consumer.allConsumed();
        if (!consumed.isEmpty()) {
            offsets.commit(consumed, ConsumerOffsets.Kind.AUTO, false, null, now);
        }
    }

    void resetAutoCommitTimer(long now) {
        nextAutoCommitNanos = now + autoCommitIntervalNanos;
    }

    /** Auto-commit for a consumer with a group.id but manual assignment (no group membership). */
    void pollAssignOnly(long now) {
        if (!subscribed && autoCommit && consumer.pollOutstanding() && now >= nextAutoCommitNanos) {
            nextAutoCommitNanos = now + autoCommitIntervalNanos;
            var consumed = consumer.allConsumed();
            if (!consumed.isEmpty()) {
                offsets.commit(consumed, ConsumerOffsets.Kind.AUTO, false, null, now);
            }
        }
    }

    // ------------------------------------------------------------------ coordinator discovery

    private void maybeFindCoordinator(long now) {
        if (coordinatorId >= 0 || findRequestId >= 0 || now < findNotBeforeNanos || !needsCoordinator()) {
            return;
        }
        findRequestId = consumer.nextCorrelationId();
        findDeadlineNanos = now + consumer.requestTimeoutNanos;
        findBroker = consumer.metadata.anyBroker();
        consumer.ctx.send(findBroker,
                new FindCoordinatorRequest(findRequestId, GroupMessage.CoordinatorType.GROUP, groupId));
    }

    /** Only worth looking for a coordinator when something needs it. */
    boolean needsCoordinator() {
        return subscribed || autoCommit || offsets.hasWork();
    }

    void handleFindCoordinator(FindCoordinatorResponse r, long now) {
        if (r.correlationId() != findRequestId) {
            return;
        }
        findRequestId = -1;
        if (r.error() == Errors.NONE && r.nodeId() >= 0) {
            coordinatorId = r.nodeId();
            heartbeat.lastReceivedNanos = now;
        } else {
            findNotBeforeNanos = now + consumer.retryBackoffNanos;
        }
    }

    /** NOT_COORDINATOR, COORDINATOR_NOT_AVAILABLE, a disconnect or a session timeout: find it again. */
    void markCoordinatorUnknown(String reason, long now) {
        if (coordinatorId < 0) {
            return;
        }
        coordinatorId = -1;
        heartbeat.dropInFlight();
        if (join.inFlight()) {
            join.reset();
            state = MemberState.UNJOINED;
            requestRejoin(reason);
        }
        offsets.failInFlight(Errors.COORDINATOR_NOT_AVAILABLE, now);
        if (consumer.ctx.tracing()) {
            consumer.ctx.trace("consumer " + consumer.ctx.nodeId() + " lost coordinator: " + reason);
        }
    }

    void onDisconnect(int peer, long now) {
        if (findRequestId >= 0 && peer == findBroker) {
            findRequestId = -1;
            findNotBeforeNanos = now + consumer.retryBackoffNanos;
        }
        if (peer == coordinatorId) {
            markCoordinatorUnknown("disconnected", now);
        }
    }

    private void checkTimeouts(long now) {
        if (findRequestId >= 0 && now >= findDeadlineNanos) {
            findRequestId = -1;
            findNotBeforeNanos = now + consumer.retryBackoffNanos;
        }
        heartbeat.checkTimeouts(now);
        join.checkTimeout(now);
        offsets.checkTimeouts(now);
    }

    // ------------------------------------------------------------------ wake-ups

    void addDeadlines(List<Long> deadlines, long now) {
        if (findRequestId >= 0) {
            deadlines.add(findDeadlineNanos);
        } else if (coordinatorId < 0 && needsCoordinator()) {
            deadlines.add(findNotBeforeNanos);
        }
        heartbeat.addDeadlines(deadlines);
        if (subscribed && !consumer.pollOutstanding() && !leftOnPollTimeout) {
            deadlines.add(lastPollNanos + maxPollIntervalNanos);
        }
        if (autoCommit && consumer.pollOutstanding()) {
            deadlines.add(nextAutoCommitNanos);
        }
        if (rejoinNeeded) {
            deadlines.add(rejoinNotBeforeNanos);
        }
        join.addDeadlines(deadlines);
        offsets.addDeadlines(deadlines);
    }

    List<TopicPartition> ownedPartitions() {
        return new ArrayList<>(consumer.assignment.keySet());
    }

    Subscription currentSubscription() {
        return new Subscription(new ArrayList<>(subscription), ownedPartitions(), generationId);
    }

    JoinGroupProtocol joinProtocol() {
        return new JoinGroupProtocol(assignor.name(), currentSubscription());
    }
}
