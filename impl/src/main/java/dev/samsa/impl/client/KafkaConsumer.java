package dev.samsa.impl.client;

import dev.samsa.impl.client.TopicPartitionState.ResetStrategy;
import dev.samsa.impl.node.Context;
import dev.samsa.impl.node.Timer;
import dev.samsa.impl.protocol.ApiMessage;
import dev.samsa.impl.protocol.ApiMessage.FetchResponse;
import dev.samsa.impl.protocol.ApiMessage.ListOffsetsResponse;
import dev.samsa.impl.protocol.ApiMessage.MetadataResponse;
import dev.samsa.impl.protocol.ApiMessage.OffsetsForLeaderEpochResponse;
import dev.samsa.impl.protocol.IsolationLevel;
import dev.samsa.impl.protocol.TopicPartition;
import dev.samsa.spec.config.Settings;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Kafka's consumer with manual assignment, as a sans-IO component a client node hosts.
 * {@link #poll} is asynchronous: it completes with up to {@code max.poll.records} buffered records
 * as soon as there are any, or with none when its timeout passes; the position advances only over
 * records poll() returned. Between events the consumer's loop ({@link #runOnce}) keeps metadata
 * fresh, resets and validates positions ({@link OffsetFetcher}) and fetches ({@link Fetcher}).
 *
 * <p>Simplified: no groups or committed offsets yet (assign only); records are returned from the
 * partitions in order, starting after the partition the previous poll ended on.
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

    public KafkaConsumer(Context ctx, List<Integer> bootstrapBrokers) {
        this.ctx = ctx;
        Settings s = ctx.settings();
        this.retryBackoffNanos = s.getMsAsNanos("retry.backoff.ms");
        this.requestTimeoutNanos = s.getMsAsNanos("request.timeout.ms");
        this.maxPollRecords = s.getInt("max.poll.records");
        this.isolation = s.get("isolation.level").equals("read_committed") ? IsolationLevel.READ_COMMITTED : IsolationLevel.READ_UNCOMMITTED;
        this.metadata = new Metadata(bootstrapBrokers, s.getMsAsNanos("metadata.max.age.ms"), retryBackoffNanos, requestTimeoutNanos);
        this.offsets = new OffsetFetcher(this, s.get("auto.offset.reset"));
        this.fetcher = new Fetcher(this, s);
    }

    /** Replaces the assignment; partitions that stay keep their position and buffered records. */
    public void assign(Collection<TopicPartition> partitions) {
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

    public void onDisconnect(int peer) {
        long now = ctx.nowNanos();
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
        boolean buffered = assignment.values().stream().anyMatch(st -> !st.buffered.isEmpty());
        boolean lostPosition = resets.stream().anyMatch(r -> r.toOffset() < 0); // Kafka would throw from poll()
        if (!buffered && !lostPosition && now < pollDeadlineNanos) {
            return;
        }
        List<ConsumerRecord> records = drainBuffered();
        List<PositionReset> reported = List.copyOf(resets);
        resets.clear();
        PollCallback cb = pollCallback;
        pollCallback = null; // the callback may poll again
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
