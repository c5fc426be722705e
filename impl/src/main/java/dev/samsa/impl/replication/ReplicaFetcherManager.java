package dev.samsa.impl.replication;

import dev.samsa.impl.node.Context;
import dev.samsa.impl.protocol.ApiMessage.EpochRequestPartition;
import dev.samsa.impl.protocol.ApiMessage.EpochResponsePartition;
import dev.samsa.impl.protocol.ApiMessage.FetchPartition;
import dev.samsa.impl.protocol.ApiMessage.FetchPartitionResponse;
import dev.samsa.impl.protocol.ApiMessage.FetchRequest;
import dev.samsa.impl.protocol.ApiMessage.FetchResponse;
import dev.samsa.impl.protocol.ApiMessage.ListOffsetsPartition;
import dev.samsa.impl.protocol.ApiMessage.ListOffsetsPartitionResponse;
import dev.samsa.impl.protocol.ApiMessage.ListOffsetsRequest;
import dev.samsa.impl.protocol.ApiMessage.ListOffsetsResponse;
import dev.samsa.impl.protocol.ApiMessage.OffsetsForLeaderEpochRequest;
import dev.samsa.impl.protocol.ApiMessage.OffsetsForLeaderEpochResponse;
import dev.samsa.impl.protocol.Errors;
import dev.samsa.impl.protocol.IsolationLevel;
import dev.samsa.impl.protocol.TopicPartition;
import dev.samsa.spec.bugs.Bug;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The follower side of replication (Kafka's {@code ReplicaFetcherManager} and one
 * {@code ReplicaFetcherThread} per source broker): for each leader broker, at most one
 * OffsetsForLeaderEpoch (for partitions in their truncation phase) and one Fetch (for the
 * others) in flight. Fetches carry the current leader epoch (KIP-320), the last fetched epoch
 * (KAFKA-10554) and this broker's epoch (KIP-903).
 */
final class ReplicaFetcherManager {

    /** The state of fetching from one leader broker. */
    private static final class SourceBroker {
        long fetchInFlight = -1;
        long epochRequestInFlight = -1;
        /** pre-KIP-101 followers only: the ListOffsets asked after OFFSET_OUT_OF_RANGE */
        long listOffsetsInFlight = -1;
        boolean backingOff;
        /** fetch offsets of the fetch in flight, to recognise stale responses */
        final TreeMap<TopicPartition, Long> fetchOffsets = new TreeMap<>();
        /** leader epochs each request in flight was sent under: a fencing answer about an older epoch is stale */
        final TreeMap<TopicPartition, Integer> fetchEpochs = new TreeMap<>();
        final TreeMap<TopicPartition, Integer> epochRequestEpochs = new TreeMap<>();
        /** per partition of the ListOffsets in flight: the leader epoch and the timestamp asked */
        final TreeMap<TopicPartition, long[]> listOffsetsAsked = new TreeMap<>();
    }

    private final Context ctx;
    private final Function<TopicPartition, Partition> partitions;
    private final ReplicaManager owner;
    private final TreeMap<Integer, SourceBroker> sources = new TreeMap<>();
    /** Partitions told by their leader that leadership moved: they wait for the metadata log. */
    private final TreeSet<TopicPartition> awaitingMetadata = new TreeSet<>();
    /** Partitions this broker follows, by leader. */
    private final TreeMap<Integer, TreeSet<TopicPartition>> following = new TreeMap<>();
    private final long maxWaitMs;
    private final int maxBytes;
    private final long backoffNanos;
    private final long requestTimeoutNanos;
    /** Starts at a random point per incarnation, so an answer meant for a previous incarnation never matches. */
    private long nextCorrelationId;

    ReplicaFetcherManager(Context ctx, ReplicaManager owner, Function<TopicPartition, Partition> partitions) {
        this.ctx = ctx;
        this.owner = owner;
        this.partitions = partitions;
        this.maxWaitMs = ctx.settings().getLong("replica.fetch.wait.max.ms");
        this.maxBytes = ctx.settings().getInt("replica.fetch.max.bytes");
        this.backoffNanos = ctx.settings().getMsAsNanos("replica.fetch.backoff.ms");
        this.requestTimeoutNanos = ctx.settings().getMsAsNanos("replica.socket.timeout.ms");
        this.nextCorrelationId = ctx.random().nextLong() >>> 16;
    }

    /** The partition now follows {@code leader} (or, with -1, nobody); starts fetching at once. */
    void follow(TopicPartition tp, int leader) {
        for (TreeSet<TopicPartition> s : following.values()) {
            s.remove(tp);
        }
        awaitingMetadata.remove(tp);
        if (leader >= 0) {
            following.computeIfAbsent(leader, k -> new TreeSet<>()).add(tp);
            maybeFetch(leader);
        }
    }

    void stopFollowing(TopicPartition tp) {
        follow(tp, -1);
    }

    /** Sends what can be sent to {@code leader}: the truncation phase first, then fetches. */
    void maybeFetch(int leader) {
        SourceBroker src = sources.computeIfAbsent(leader, k -> new SourceBroker());
        TreeSet<TopicPartition> tps = following.get(leader);
        if (tps == null || tps.isEmpty() || src.backingOff) {
            return;
        }
        boolean fenceEpochs = !ctx.bug(Bug.KAFKA_7395);
        if (src.epochRequestInFlight < 0) {
            List<EpochRequestPartition> asks = new ArrayList<>();
            src.epochRequestEpochs.clear();
            for (TopicPartition tp : tps) {
                Partition p = partitions.apply(tp);
                if (p != null && p.truncating() && !awaitingMetadata.contains(tp)) {
                    src.epochRequestEpochs.put(tp, p.leaderEpoch());
                    asks.add(new EpochRequestPartition(tp, fenceEpochs ? p.leaderEpoch() : -1, p.epochToAsk()));
                }
            }
            if (!asks.isEmpty()) {
                src.epochRequestInFlight = nextCorrelationId++;
                ctx.send(leader, new OffsetsForLeaderEpochRequest(src.epochRequestInFlight, ctx.nodeId(), asks));
                ctx.setTimer(requestTimeoutNanos, new ReplicationTimer(ReplicationTimer.Kind.FETCHER_REQUEST_TIMEOUT, src.epochRequestInFlight));
            }
        }
        if (src.listOffsetsInFlight < 0) {
            sendListOffsets(leader, src, tps);
        }
        if (src.fetchInFlight < 0) {
            List<FetchPartition> parts = new ArrayList<>();
            src.fetchOffsets.clear();
            src.fetchEpochs.clear();
            for (TopicPartition tp : tps) {
                Partition p = partitions.apply(tp);
                if (p == null || p.role() != Partition.Role.FOLLOWER || p.truncating() || p.outOfRangeAsk() != 0 || awaitingMetadata.contains(tp)) {
                    continue;
                }
                p.applyPendingDivergence();
                long offset = p.log().logEndOffset();
                int lastFetchedEpoch = p.truncateOnFetch() ? p.log().epochOfBatchBefore(offset) : -1;
                parts.add(new FetchPartition(tp, fenceEpochs ? p.leaderEpoch() : -1, offset, lastFetchedEpoch,
                        p.log().logStartOffset(), maxBytes));
                src.fetchOffsets.put(tp, offset);
                src.fetchEpochs.put(tp, p.leaderEpoch());
            }
            if (!parts.isEmpty()) {
                src.fetchInFlight = nextCorrelationId++;
                ctx.send(leader, new FetchRequest(src.fetchInFlight, ctx.nodeId(), owner.brokerEpoch(), maxWaitMs, 1, maxBytes,
                        IsolationLevel.READ_UNCOMMITTED, parts));
                ctx.setTimer(requestTimeoutNanos + maxWaitMs * 1_000_000L, new ReplicationTimer(ReplicationTimer.Kind.FETCHER_REQUEST_TIMEOUT, src.fetchInFlight));
            }
        }
    }

    /**
     * Pre-KIP-101 followers after OFFSET_OUT_OF_RANGE: ask the leader its log end or log start, as
     * a replica (ListOffsets with our broker id answers the log end, not the HW). The releases of
     * that era sent no leader epoch with it.
     */
    private void sendListOffsets(int leader, SourceBroker src, TreeSet<TopicPartition> tps) {
        List<ListOffsetsPartition> asks = new ArrayList<>();
        src.listOffsetsAsked.clear();
        for (TopicPartition tp : tps) {
            Partition p = partitions.apply(tp);
            if (p != null && p.outOfRangeAsk() != 0 && !awaitingMetadata.contains(tp)) {
                src.listOffsetsAsked.put(tp, new long[] {p.leaderEpoch(), p.outOfRangeAsk()});
                asks.add(new ListOffsetsPartition(tp, -1, p.outOfRangeAsk()));
            }
        }
        if (!asks.isEmpty()) {
            src.listOffsetsInFlight = nextCorrelationId++;
            ctx.send(leader, new ListOffsetsRequest(src.listOffsetsInFlight, ctx.nodeId(), IsolationLevel.READ_UNCOMMITTED, asks));
            ctx.setTimer(requestTimeoutNanos, new ReplicationTimer(ReplicationTimer.Kind.FETCHER_REQUEST_TIMEOUT, src.listOffsetsInFlight));
        }
    }

    void onListOffsetsResponse(int from, ListOffsetsResponse r) {
        SourceBroker src = sources.get(from);
        if (src == null || src.listOffsetsInFlight != r.correlationId()) {
            return;
        }
        src.listOffsetsInFlight = -1;
        boolean backoff = false;
        for (ListOffsetsPartitionResponse lr : r.responses()) {
            Partition p = partitions.apply(lr.tp());
            long[] asked = src.listOffsetsAsked.get(lr.tp());
            if (p == null || asked == null || p.leaderId() != from || asked[0] != p.leaderEpoch()) {
                continue; // about an older leadership of the partition: ours has moved on since
            }
            if (lr.error() == Errors.NONE) {
                p.onLeaderOffset(asked[1], lr.offset());
            } else {
                backoff = true; // NOT_LEADER_OR_FOLLOWER: the leader is behind us on metadata
            }
        }
        if (backoff) {
            backOff(from, src);
        } else {
            maybeFetch(from);
        }
    }

    void onFetchResponse(int from, FetchResponse r) {
        SourceBroker src = sources.get(from);
        if (src == null || src.fetchInFlight != r.correlationId()) {
            return;
        }
        src.fetchInFlight = -1;
        boolean backoff = r.error() != Errors.NONE;
        for (FetchPartitionResponse pr : r.responses()) {
            Partition p = partitions.apply(pr.tp());
            Long sentOffset = src.fetchOffsets.get(pr.tp());
            Integer sentEpoch = src.fetchEpochs.get(pr.tp());
            if (p == null || sentOffset == null || sentEpoch == null || p.leaderId() != from || sentEpoch != p.leaderEpoch()) {
                continue; // about an older leadership of the partition: ours has moved on since
            }
            switch (p.onFetchResponse(pr, sentOffset)) {
                case CONTINUE -> {}
                case AWAIT_METADATA -> awaitingMetadata.add(pr.tp());
                case BACKOFF -> backoff = true;
            }
        }
        if (backoff) {
            backOff(from, src);
        } else {
            maybeFetch(from);
        }
    }

    void onEpochResponse(int from, OffsetsForLeaderEpochResponse r) {
        SourceBroker src = sources.get(from);
        if (src == null || src.epochRequestInFlight != r.correlationId()) {
            return;
        }
        src.epochRequestInFlight = -1;
        boolean backoff = false;
        for (EpochResponsePartition er : r.responses()) {
            Partition p = partitions.apply(er.tp());
            Integer sentEpoch = src.epochRequestEpochs.get(er.tp());
            if (p == null || p.leaderId() != from || sentEpoch == null || sentEpoch != p.leaderEpoch()) {
                continue; // about an older leadership of the partition: ours has moved on since
            }
            switch (er.error()) {
                case NONE -> p.onEpochEndOffset(er.endOffset());
                case FENCED_LEADER_EPOCH -> awaitingMetadata.add(er.tp());
                default -> backoff = true; // NOT_LEADER_OR_FOLLOWER, UNKNOWN_LEADER_EPOCH: the leader is behind us on metadata
            }
        }
        if (backoff) {
            backOff(from, src);
        } else {
            maybeFetch(from);
        }
    }

    private void backOff(int leader, SourceBroker src) {
        if (!src.backingOff) {
            src.backingOff = true;
            ctx.setTimer(backoffNanos, new ReplicationTimer(ReplicationTimer.Kind.FETCHER_BACKOFF, leader));
        }
    }

    void onBackoffOver(int leader) {
        SourceBroker src = sources.get(leader);
        if (src != null) {
            src.backingOff = false;
            maybeFetch(leader);
        }
    }

    /** Request {@code correlationId} got no answer: forget it and try again after a backoff. */
    void onRequestTimeout(long correlationId) {
        for (var e : sources.entrySet()) {
            SourceBroker src = e.getValue();
            if (src.fetchInFlight == correlationId || src.epochRequestInFlight == correlationId || src.listOffsetsInFlight == correlationId) {
                src.fetchInFlight = src.fetchInFlight == correlationId ? -1 : src.fetchInFlight;
                src.epochRequestInFlight = src.epochRequestInFlight == correlationId ? -1 : src.epochRequestInFlight;
                src.listOffsetsInFlight = src.listOffsetsInFlight == correlationId ? -1 : src.listOffsetsInFlight;
                backOff(e.getKey(), src);
                return;
            }
        }
    }

    void onDisconnect(int peer) {
        SourceBroker src = sources.get(peer);
        if (src != null && (src.fetchInFlight >= 0 || src.epochRequestInFlight >= 0 || src.listOffsetsInFlight >= 0)) {
            src.fetchInFlight = -1;
            src.epochRequestInFlight = -1;
            src.listOffsetsInFlight = -1;
            backOff(peer, src);
        }
    }
}
