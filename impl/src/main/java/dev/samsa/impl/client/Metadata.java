package dev.samsa.impl.client;

import dev.samsa.impl.protocol.ApiMessage.MetadataRequest;
import dev.samsa.impl.protocol.ApiMessage.MetadataResponse;
import dev.samsa.impl.protocol.ApiMessage.PartitionMetadata;
import dev.samsa.impl.protocol.Errors;
import dev.samsa.impl.protocol.TopicPartition;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A client's cache of cluster metadata, like Kafka's {@code org.apache.kafka.clients.Metadata}:
 * the leader and leader epoch of each partition of the topics in use, and the partition count of
 * each topic. It decides when a MetadataRequest is due (an explicit update request, a topic or
 * leader not known yet after {@code retry.backoff.ms}, or {@code metadata.max.age.ms}) and to which
 * broker (round-robin over the known brokers); the owning client sends it and feeds back the
 * answer. Leader epochs never go backwards (KIP-320): an answer from a broker with an older view of
 * a partition does not overwrite a newer one.
 */
final class Metadata {

    /** Cached leadership of one partition; leaderId -1 while none is known. */
    record LeaderAndEpoch(int leaderId, int leaderEpoch) {}

    private final List<Integer> bootstrap;
    private final long maxAgeNanos;
    private final long backoffNanos;
    private final long requestTimeoutNanos;

    private final TreeSet<String> topics = new TreeSet<>();
    private final TreeMap<TopicPartition, LeaderAndEpoch> leaders = new TreeMap<>();
    private final TreeMap<String, Integer> partitionCounts = new TreeMap<>();
    private List<Integer> brokers;
    private int nextBroker;

    private boolean updateRequested = true;
    private long lastRefreshNanos = Long.MIN_VALUE / 2;
    private long notBeforeNanos;
    private long inFlightCorrelationId = -1;
    private int inFlightBroker = -1;
    private long inFlightDeadlineNanos;

    Metadata(List<Integer> bootstrapBrokers, long maxAgeNanos, long backoffNanos, long requestTimeoutNanos) {
        if (bootstrapBrokers.isEmpty()) {
            throw new IllegalArgumentException("a client needs at least one bootstrap broker");
        }
        this.bootstrap = List.copyOf(bootstrapBrokers);
        this.brokers = this.bootstrap;
        this.maxAgeNanos = maxAgeNanos;
        this.backoffNanos = backoffNanos;
        this.requestTimeoutNanos = requestTimeoutNanos;
    }

    /** Replaces the topics in use; a new topic makes an update due at once. */
    void setTopics(Iterable<String> newTopics) {
        TreeSet<String> wanted = new TreeSet<>();
        newTopics.forEach(wanted::add);
        if (!topics.containsAll(wanted)) {
            updateRequested = true;
            notBeforeNanos = 0;
        }
        topics.clear();
        topics.addAll(wanted);
    }

    void addTopic(String topic) {
        if (topics.add(topic)) {
            updateRequested = true;
            notBeforeNanos = 0;
        }
    }

    /** Asks for an update as soon as the backoff allows (after a leadership error or a disconnect). */
    void requestUpdate() {
        updateRequested = true;
    }

    boolean hasTopics() {
        return !topics.isEmpty();
    }

    OptionalInt partitionCount(String topic) {
        Integer n = partitionCounts.get(topic);
        return n == null ? OptionalInt.empty() : OptionalInt.of(n);
    }

    /** The cached leader, or leaderId -1 and epoch -1 when unknown. */
    LeaderAndEpoch leader(TopicPartition tp) {
        return leaders.getOrDefault(tp, new LeaderAndEpoch(-1, -1));
    }

    /** A leader hint from a response (KIP-951): taken only if it is newer than what is cached. */
    void applyLeaderHint(TopicPartition tp, int leaderId, int leaderEpoch) {
        if (leaderId >= 0 && leaderEpoch > leader(tp).leaderEpoch()) {
            leaders.put(tp, new LeaderAndEpoch(leaderId, leaderEpoch));
        }
    }

    /** Whether a MetadataRequest should be sent now. */
    boolean updateDue(long nowNanos) {
        if (inFlightCorrelationId >= 0 || topics.isEmpty() || nowNanos < notBeforeNanos) {
            return false;
        }
        return updateRequested || nowNanos - lastRefreshNanos >= maxAgeNanos;
    }

    /** Builds the request and records it as in flight; the caller sends it to {@link #inFlightBroker()}. */
    MetadataRequest newRequest(long correlationId, long nowNanos) {
        if (inFlightCorrelationId >= 0) {
            throw new IllegalStateException("a metadata request is already in flight");
        }
        inFlightCorrelationId = correlationId;
        inFlightBroker = brokers.get(nextBroker++ % brokers.size());
        inFlightDeadlineNanos = nowNanos + requestTimeoutNanos;
        return new MetadataRequest(correlationId, new ArrayList<>(topics));
    }

    /** A broker to ask something any broker answers (FindCoordinator); round-robin like metadata requests. */
    int anyBroker() {
        return brokers.get(nextBroker++ % brokers.size());
    }

    int inFlightBroker() {
        return inFlightBroker;
    }

    boolean isInFlight(long correlationId) {
        return inFlightCorrelationId >= 0 && inFlightCorrelationId == correlationId;
    }

    /** The earliest time this cache needs the client to wake up, or Long.MAX_VALUE. */
    long nextDeadlineNanos(long nowNanos) {
        if (topics.isEmpty()) {
            return Long.MAX_VALUE;
        }
        if (inFlightCorrelationId >= 0) {
            return inFlightDeadlineNanos;
        }
        long due = updateRequested ? nowNanos : lastRefreshNanos + maxAgeNanos;
        return Math.max(due, notBeforeNanos);
    }

    /** Fails the in-flight request if it timed out (the next one goes to another broker). */
    void checkTimeout(long nowNanos) {
        if (inFlightCorrelationId >= 0 && nowNanos >= inFlightDeadlineNanos) {
            failInFlight(nowNanos);
        }
    }

    void onDisconnect(int peer, long nowNanos) {
        if (inFlightCorrelationId >= 0 && inFlightBroker == peer) {
            failInFlight(nowNanos);
        }
        updateRequested = true;
    }

    private void failInFlight(long nowNanos) {
        inFlightCorrelationId = -1;
        inFlightBroker = -1;
        updateRequested = true;
        notBeforeNanos = nowNanos + backoffNanos;
    }

    /**
     * Applies an answer. Returns the partitions whose leader epoch went up (the consumer validates
     * its positions for them, KIP-320).
     */
    List<TopicPartition> handleResponse(MetadataResponse response, long nowNanos) {
        if (!isInFlight(response.correlationId())) {
            return List.of(); // an answer to a request we already gave up on
        }
        inFlightCorrelationId = -1;
        inFlightBroker = -1;
        lastRefreshNanos = nowNanos;
        updateRequested = false;
        if (!response.aliveBrokers().isEmpty()) {
            brokers = List.copyOf(new TreeSet<>(response.aliveBrokers()));
        }
        List<TopicPartition> epochChanged = new ArrayList<>();
        TreeMap<String, Integer> counts = new TreeMap<>();
        TreeSet<String> unknown = new TreeSet<>();
        for (PartitionMetadata pm : response.partitions()) {
            TopicPartition tp = pm.tp();
            if (pm.error() == Errors.UNKNOWN_TOPIC_OR_PARTITION) {
                unknown.add(tp.topic());
                updateRequested = true; // retriable, as in Kafka: the topic may be being created; ask again after the backoff
                continue;
            }
            counts.merge(tp.topic(), tp.partition() + 1, Math::max);
            if (pm.error() != Errors.NONE || pm.leaderId() < 0) {
                updateRequested = true; // a partition without a leader: ask again after the backoff
            }
            LeaderAndEpoch old = leader(tp);
            if (pm.leaderEpoch() < old.leaderEpoch()) {
                continue; // a broker behind the others: keep the newer view
            }
            if (pm.leaderEpoch() > old.leaderEpoch() && old.leaderEpoch() >= 0) {
                epochChanged.add(tp);
            }
            leaders.put(tp, new LeaderAndEpoch(pm.error() == Errors.NONE ? pm.leaderId() : -1, pm.leaderEpoch()));
        }
        for (String topic : topics) {
            if (unknown.contains(topic) || !counts.containsKey(topic)) {
                updateRequested = true; // not created yet, or this broker has not heard of it
            } else {
                partitionCounts.put(topic, counts.get(topic));
            }
        }
        if (updateRequested) {
            notBeforeNanos = nowNanos + backoffNanos;
        }
        return epochChanged;
    }
}
