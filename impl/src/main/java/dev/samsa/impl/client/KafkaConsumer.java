package dev.samsa.impl.client;

import dev.samsa.impl.client.TopicPartitionState.ResetStrategy;
import dev.samsa.impl.node.Context;
import dev.samsa.impl.node.Timer;
import dev.samsa.impl.protocol.ApiMessage;
import dev.samsa.impl.protocol.ApiMessage.FetchResponse;
import dev.samsa.impl.protocol.ApiMessage.ListOffsetsResponse;
import dev.samsa.impl.protocol.ApiMessage.MetadataResponse;
import dev.samsa.impl.protocol.ApiMessage.OffsetsForLeaderEpochResponse;
import dev.samsa.impl.protocol.Errors;
import dev.samsa.impl.protocol.GroupMessage;
import dev.samsa.impl.protocol.GroupMessage.FindCoordinatorResponse;
import dev.samsa.impl.protocol.GroupMessage.HeartbeatResponse;
import dev.samsa.impl.protocol.GroupMessage.JoinGroupResponse;
import dev.samsa.impl.protocol.GroupMessage.OffsetCommitResponse;
import dev.samsa.impl.protocol.GroupMessage.OffsetFetchResponse;
import dev.samsa.impl.protocol.GroupMessage.SyncGroupResponse;
import dev.samsa.impl.protocol.IsolationLevel;
import dev.samsa.impl.protocol.TopicPartition;
import dev.samsa.spec.config.Settings;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiConsumer;

/**
 * Kafka's consumer with manual assignment, as a sans-IO component a client node hosts.
 * {@link #poll} is asynchronous: it completes with up to {@code max.poll.records} buffered records
 * as soon as there are any, or with none when its timeout passes; the position advances only over
 * records poll() returned. Between events the consumer's loop ({@link #runOnce}) keeps metadata
 * fresh, resets and validates positions ({@link OffsetFetcher}) and fetches ({@link Fetcher}).
 *
 * <p>With a {@code group.id} the consumer has a {@link ConsumerCoordinator}: it commits offsets
 * and, after {@link #subscribe}, is a member of its group, whose assignment replaces manual
 * assignment. Without one it is the assign-only consumer it always was, and draws nothing new.
 *
 * <p>Simplified: records are returned from the partitions in order, starting after the partition
 * the previous poll ended on.
 */
public final class KafkaConsumer {

    /** The consumer's only timer: wake the loop at {@code atNanos}. */
    public record Wakeup(long atNanos) implements Timer {}

    final Context ctx;
    final long retryBackoffNanos;
    final long requestTimeoutNanos;
    private final int maxPollRecords;
    final Metadata metadata;
    final TreeMap<TopicPartition, TopicPartitionState> assignment = new TreeMap<>();
    final OffsetFetcher offsets;
    private final Fetcher fetcher;
    private final IsolationLevel isolation;
    private final List<PositionReset> resets = new ArrayList<>();
    private final TreeSet<Long> wakeups = new TreeSet<>();
    private long nextCorrelationId = 1;

    private PollCallback pollCallback;
    private long pollDeadlineNanos;
    private TopicPartition lastPolled;
    /** Null without a group.id. */
    private final ConsumerCoordinator coordinator;

    public KafkaConsumer(Context ctx, List<Integer> bootstrapBrokers) {
        this(ctx, bootstrapBrokers, ctx.settings());
    }

    /** A consumer with its own settings (group.id, group.instance.id...), not the run's. */
    public KafkaConsumer(Context ctx, List<Integer> bootstrapBrokers, Settings s) {
        this.ctx = ctx;
        this.retryBackoffNanos = s.getMsAsNanos("retry.backoff.ms");
        this.requestTimeoutNanos = s.getMsAsNanos("request.timeout.ms");
        this.maxPollRecords = s.getInt("max.poll.records");
        this.isolation = s.get("isolation.level").equals("read_committed") ? IsolationLevel.READ_COMMITTED : IsolationLevel.READ_UNCOMMITTED;
        this.metadata = new Metadata(bootstrapBrokers, s.getMsAsNanos("metadata.max.age.ms"), retryBackoffNanos, requestTimeoutNanos);
        this.offsets = new OffsetFetcher(this, s.get("auto.offset.reset"));
        this.fetcher = new Fetcher(this, s);
        this.coordinator = s.get("group.id").isEmpty() ? null : new ConsumerCoordinator(this, s);
    }

    /** Replaces the assignment; partitions that stay keep their position and buffered records. */
    public void assign(Collection<TopicPartition> partitions) {
        if (coordinator != null && coordinator.subscribed) {
            throw new IllegalStateException("assign() after subscribe()");
        }
        TreeMap<TopicPartition, TopicPartitionState> next = new TreeMap<>();
        for (TopicPartition tp : partitions) {
            TopicPartitionState st = assignment.get(tp);
            next.put(tp, st != null ? st : new TopicPartitionState());
        }
        assignment.clear();
        assignment.putAll(next);
        TreeSet<String> topics = new TreeSet<>();
        assignment.keySet().forEach(tp -> topics.add(tp.topic()));
        metadata.setTopics(topics);
        runOnce();
    }

    /** Manual assignment, or the current group assignment after subscribe(). */
    public TreeSet<TopicPartition> assignment() {
        return new TreeSet<>(assignment.keySet());
    }

    public void seek(TopicPartition tp, long offset) {
        if (offset < 0) {
            throw new IllegalArgumentException("negative offset " + offset);
        }
        state(tp).moveTo(offset, -1, metadata.leader(tp).leaderEpoch());
        runOnce();
    }

    public void seekToBeginning(Collection<TopicPartition> partitions) {
        partitions.forEach(tp -> state(tp).requestReset(ResetStrategy.EARLIEST, null));
        runOnce();
    }

    public void seekToEnd(Collection<TopicPartition> partitions) {
        partitions.forEach(tp -> state(tp).requestReset(ResetStrategy.LATEST, null));
        runOnce();
    }

    /** The next offset poll() returns for {@code tp}; empty until known. */
    public OptionalLong position(TopicPartition tp) {
        TopicPartitionState st = state(tp);
        return st.hasValidPosition() ? OptionalLong.of(st.position) : OptionalLong.empty();
    }

    /** High watermark (read_committed: last stable offset) minus position, as of the last fetch; -1 while either is unknown. */
    public long lag(TopicPartition tp) {
        TopicPartitionState st = state(tp);
        long end = isolation == IsolationLevel.READ_COMMITTED ? st.lastStableOffset : st.highWatermark;
        return end >= 0 && st.hasValidPosition() ? Math.max(0, end - st.position) : -1;
    }

    private TopicPartitionState state(TopicPartition tp) {
        TopicPartitionState st = assignment.get(tp);
        if (st == null) {
            throw new IllegalStateException(tp + " is not assigned");
        }
        return st;
    }

    /** Completes {@code callback} with records as soon as any are buffered, or empty after {@code timeoutMs}. */
    public void poll(long timeoutMs, PollCallback callback) {
        if (pollCallback != null) {
            throw new IllegalStateException("a poll is already outstanding");
        }
        pollCallback = callback;
        pollDeadlineNanos = ctx.nowNanos() + timeoutMs * 1_000_000L;
        if (coordinator != null) {
            coordinator.onPollCalled(ctx.nowNanos());
        }
        runOnce();
    }

    public void onMessage(int from, ApiMessage message) {
        long now = ctx.nowNanos();
        switch (message.kind()) {
            case METADATA_RESPONSE -> metadata.handleResponse((MetadataResponse) message, now);
            case FETCH_RESPONSE -> fetcher.handleResponse((FetchResponse) message, now);
            case LIST_OFFSETS_RESPONSE -> offsets.handleListOffsets((ListOffsetsResponse) message, now);
            case OFFSETS_FOR_LEADER_EPOCH_RESPONSE -> offsets.handleValidation((OffsetsForLeaderEpochResponse) message, now);
            default -> { } // not for a consumer
        }
        runOnce();
    }

    /** Returns true if {@code timer} was this consumer's. */
    public boolean onTimer(Timer timer) {
        if (!(timer instanceof Wakeup w)) {
            return false;
        }
        wakeups.remove(w.atNanos());
        runOnce();
        return true;
    }

    public void onMessage(int from, GroupMessage message) {
        if (coordinator == null) {
            return;
        }
        long now = ctx.nowNanos();
        switch (message.kind()) {
            case FIND_COORDINATOR_RESPONSE -> coordinator.handleFindCoordinator((FindCoordinatorResponse) message, now);
            case JOIN_GROUP_RESPONSE -> coordinator.join.handleJoinGroup((JoinGroupResponse) message, now);
            case SYNC_GROUP_RESPONSE -> coordinator.join.handleSyncGroup((SyncGroupResponse) message, now);
            case HEARTBEAT_RESPONSE -> coordinator.heartbeat.handleResponse((HeartbeatResponse) message, now);
            case OFFSET_COMMIT_RESPONSE -> coordinator.offsets.handleCommit((OffsetCommitResponse) message, now);
            case OFFSET_FETCH_RESPONSE -> coordinator.offsets.handleFetch((OffsetFetchResponse) message, now);
            default -> { } // requests and LeaveGroup answers: nothing to do
        }
        runOnce();
    }

    public void onDisconnect(int peer) {
        long now = ctx.nowNanos();
        if (coordinator != null) {
            coordinator.onDisconnect(peer, now);
        }
        metadata.onDisconnect(peer, now);
        fetcher.failFetches(now, peer);
        offsets.failRequests(now, peer);
        runOnce();
    }

    void runOnce() {
        long now = ctx.nowNanos();
        metadata.checkTimeout(now);
        fetcher.failFetches(now, -1);
        offsets.failRequests(now, -1);
        if (coordinator != null) {
            coordinator.poll(now);
            coordinator.pollAssignOnly(now);
        }
        offsets.resetMissingPositions();
        offsets.markForValidation();
        maybeCompletePoll(now);
        if (metadata.updateDue(now)) {
            var request = metadata.newRequest(nextCorrelationId(), now);
            ctx.send(metadata.inFlightBroker(), request);
        }
        offsets.sendRequests(now);
        fetcher.sendFetches(now);
        scheduleWakeup(now);
    }

    private void maybeCompletePoll(long now) {
        if (pollCallback == null) {
            return;
        }
        if (coordinator != null && coordinator.callbackInProgress) {
            return; // Kafka's poll() does not return while the rebalance listener runs
        }
        boolean buffered = assignment.values().stream().anyMatch(st -> !st.buffered.isEmpty() && !st.pendingRevocation);
        boolean lostPosition = resets.stream().anyMatch(r -> r.toOffset() < 0); // Kafka would throw from poll()
        boolean fatal = coordinator != null && coordinator.fatalError != null; // Kafka would throw from poll()
        if (!buffered && !lostPosition && !fatal && now < pollDeadlineNanos) {
            return;
        }
        List<ConsumerRecord> records = drainBuffered();
        List<PositionReset> reported = List.copyOf(resets);
        resets.clear();
        PollCallback cb = pollCallback;
        pollCallback = null; // the callback may poll again
        if (coordinator != null) {
            coordinator.onPollReturned(now);
        }
        cb.onPoll(records, reported);
    }

    /** Takes up to max.poll.records, partition by partition, starting after the one the last poll ended on. */
    private List<ConsumerRecord> drainBuffered() {
        List<TopicPartition> order = new ArrayList<>();
        if (lastPolled != null) {
            order.addAll(assignment.tailMap(lastPolled, false).keySet());
            order.addAll(assignment.headMap(lastPolled, true).keySet());
        } else {
            order.addAll(assignment.keySet());
        }
        List<ConsumerRecord> out = new ArrayList<>();
        for (TopicPartition tp : order) {
            TopicPartitionState st = assignment.get(tp);
            if (st.pendingRevocation) {
                continue; // KAFKA-14196's fix: nothing more of a partition being given up
            }
            while (out.size() < maxPollRecords && !st.buffered.isEmpty()) {
                ConsumerRecord r = st.buffered.pollFirst();
                if (r.offset() < st.position) {
                    throw new IllegalStateException("buffered " + r + " below position " + st.position);
                }
                out.add(r);
                st.position = r.offset() + 1;
                st.positionEpoch = r.leaderEpoch();
                lastPolled = tp;
            }
            if (st.buffered.isEmpty() && st.fetchedUpTo > st.position) {
                st.position = st.fetchedUpTo; // past trailing control or aborted records
            }
        }
        return out;
    }

    private void scheduleWakeup(long now) {
        List<Long> deadlines = new ArrayList<>();
        deadlines.add(metadata.nextDeadlineNanos(now));
        fetcher.addDeadlines(deadlines);
        offsets.addDeadlines(deadlines);
        assignment.values().forEach(st -> deadlines.add(st.backoffUntilNanos));
        if (coordinator != null) {
            coordinator.addDeadlines(deadlines, now);
        }
        if (pollCallback != null) {
            deadlines.add(pollDeadlineNanos);
        }
        long next = Long.MAX_VALUE;
        for (long d : deadlines) {
            if (d > now) {
                next = Math.min(next, d);
            }
        }
        if (next != Long.MAX_VALUE && wakeups.floor(next) == null) {
            wakeups.add(next);
            ctx.setTimer(next - now, new Wakeup(next));
        }
    }

    // ------------------------------------------------------------------ groups (needs group.id)

    private ConsumerCoordinator group() {
        if (coordinator == null) {
            throw new IllegalStateException("this consumer has no group.id");
        }
        return coordinator;
    }

    /** Joins the group with these topics; the listener hears of every revocation and assignment. */
    public void subscribe(Collection<String> topics, ConsumerRebalanceListener listener) {
        ConsumerCoordinator g = group();
        if (!g.subscribed && !assignment.isEmpty()) {
            throw new IllegalStateException("subscribe() after assign()");
        }
        g.subscribe(topics, listener);
        runOnce();
    }

    /** Leaves the group (LeaveGroup for a dynamic member) after the listener was told of the revocation. */
    public void unsubscribe() {
        ConsumerCoordinator g = group();
        if (!g.subscribed) {
            return;
        }
        Runnable finish = () -> {
            g.leave("the consumer unsubscribed");
            g.unsubscribed();
            removePartitions(new TreeSet<>(assignment.keySet()));
            metadata.setTopics(List.of());
            runOnce();
        };
        if (assignment.isEmpty() || !g.hasGeneration()) {
            finish.run();
        } else {
            g.callListener(true, false, assignment.keySet(), finish);
        }
    }

    /** Commits {@code offsets}, or every consumed position when null, retrying retriable errors until request.timeout.ms. */
    public void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets, OffsetCommitCallback cb) {
        group().offsets.commit(offsets != null ? offsets : allConsumed(), ConsumerOffsets.Kind.SYNC, false, cb, ctx.nowNanos());
        runOnce();
    }

    /** Like commitSync, but tried once. */
    public void commitAsync(Map<TopicPartition, OffsetAndMetadata> offsets, OffsetCommitCallback cb) {
        group().offsets.commit(offsets != null ? offsets : allConsumed(), ConsumerOffsets.Kind.ASYNC, false, cb, ctx.nowNanos());
        runOnce();
    }

    /** The group's committed offsets of {@code partitions} (absent: none committed). */
    public void committed(Collection<TopicPartition> partitions, BiConsumer<Map<TopicPartition, OffsetAndMetadata>, Errors> cb) {
        group().offsets.committed(new ArrayList<>(new TreeSet<>(partitions)), cb, ctx.nowNanos());
        runOnce();
    }

    /** The group metadata of the last completed join (Kafka's), for sendOffsetsToTransaction (KIP-447). */
    public ConsumerGroupMetadata groupMetadata() {
        return group().joinedMetadata;
    }

    public void setGroupObserver(ConsumerGroupObserver observer) {
        group().observer = observer;
    }

    /** The error that put this consumer out of its group (FENCED_INSTANCE_ID...); poll() returns at once from then on. */
    public Optional<Errors> fatalError() {
        return coordinator == null ? Optional.empty() : Optional.ofNullable(coordinator.fatalError);
    }

    /** Auto-commits (commitSync) if enabled, leaves the group if dynamic, then runs {@code done}. */
    public void close(Runnable done) {
        if (coordinator == null) {
            done.run();
            return;
        }
        Runnable finish = () -> {
            if (coordinator.subscribed) {
                coordinator.leave("the consumer is being closed");
            }
            coordinator.close();
            done.run();
        };
        var consumed = allConsumed();
        if (coordinator.autoCommit && !consumed.isEmpty() && coordinator.fatalError == null) {
            coordinator.offsets.commit(consumed, ConsumerOffsets.Kind.SYNC, false, (o, e) -> finish.run(), ctx.nowNanos());
            runOnce();
        } else {
            finish.run();
        }
    }

    /** The positions poll() has returned up to, to commit: offset, and the epoch of the last record returned. */
    TreeMap<TopicPartition, OffsetAndMetadata> allConsumed() {
        TreeMap<TopicPartition, OffsetAndMetadata> out = new TreeMap<>();
        assignment.forEach((tp, st) -> {
            if (st.hasValidPosition()) {
                out.put(tp, new OffsetAndMetadata(st.position, st.positionEpoch, ""));
            }
        });
        return out;
    }

    boolean pollOutstanding() {
        return pollCallback != null;
    }

    void removePartitions(Collection<TopicPartition> partitions) {
        partitions.forEach(assignment::remove);
        if (coordinator != null) {
            coordinator.offsets.dropPositionFetches();
            List<TopicPartition> waiting = new ArrayList<>();
            assignment.forEach((tp, st) -> {
                if (st.awaitingCommitted) {
                    waiting.add(tp);
                }
            });
            coordinator.offsets.fetchPositions(waiting, ctx.nowNanos());
        }
    }

    /** New partitions of a group assignment: their position comes from the committed offset, else auto.offset.reset. */
    void addGroupPartitions(Collection<TopicPartition> partitions) {
        List<TopicPartition> added = new ArrayList<>();
        for (TopicPartition tp : partitions) {
            if (!assignment.containsKey(tp)) {
                TopicPartitionState st = new TopicPartitionState();
                st.awaitingCommitted = true;
                assignment.put(tp, st);
                added.add(tp);
            }
        }
        TreeSet<String> topics = new TreeSet<>(coordinator.subscription);
        assignment.keySet().forEach(tp -> topics.add(tp.topic()));
        metadata.setTopics(topics);
        coordinator.offsets.fetchPositions(added, ctx.nowNanos());
    }

    void applyCommittedPositions(List<TopicPartition> partitions, Map<TopicPartition, OffsetAndMetadata> committed) {
        for (TopicPartition tp : partitions) {
            TopicPartitionState st = assignment.get(tp);
            if (st == null || !st.awaitingCommitted) {
                continue;
            }
            st.awaitingCommitted = false;
            OffsetAndMetadata o = committed.get(tp);
            if (o != null) {
                st.moveTo(o.offset(), o.leaderEpoch(), -1); // KIP-320: validated against the leader's epochs like any position
            }
        }
    }

    long nextCorrelationId() {
        return nextCorrelationId++;
    }

    void recordReset(PositionReset reset) {
        resets.add(reset);
    }

    IsolationLevel fetcherIsolation() {
        return isolation;
    }
}
