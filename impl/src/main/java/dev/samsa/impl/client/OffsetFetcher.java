package dev.samsa.impl.client;

import dev.samsa.impl.client.TopicPartitionState.ResetStrategy;
import dev.samsa.impl.log.EpochEndOffset;
import dev.samsa.impl.protocol.ApiMessage;
import dev.samsa.impl.protocol.ApiMessage.EpochRequestPartition;
import dev.samsa.impl.protocol.ApiMessage.EpochResponsePartition;
import dev.samsa.impl.protocol.ApiMessage.ListOffsetsPartition;
import dev.samsa.impl.protocol.ApiMessage.ListOffsetsPartitionResponse;
import dev.samsa.impl.protocol.ApiMessage.ListOffsetsRequest;
import dev.samsa.impl.protocol.ApiMessage.ListOffsetsResponse;
import dev.samsa.impl.protocol.ApiMessage.OffsetsForLeaderEpochRequest;
import dev.samsa.impl.protocol.ApiMessage.OffsetsForLeaderEpochResponse;
import dev.samsa.impl.protocol.Errors;
import dev.samsa.impl.protocol.IsolationLevel;
import dev.samsa.impl.protocol.TopicPartition;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Positions the consumer finds for itself (Kafka's {@code OffsetFetcher} and {@code
 * OffsetsForLeaderEpochUtils}): resets by {@code auto.offset.reset} through ListOffsets to the
 * leader, and KIP-320 validation of a position after the leader epoch went up, through
 * OffsetsForLeaderEpoch. If the leader's log ends the consumed epoch below the position, the log
 * was truncated: the position moves to that end offset (the divergence point), or, when the epoch
 * is unknown to the leader, is reset by {@code auto.offset.reset}. Every such move is recorded as
 * a {@link PositionReset}.
 *
 * <p>Simplified: with {@code auto.offset.reset=none} Kafka throws from poll(); here the
 * partition is left without a position and the reset is reported once with toOffset -1.
 */
final class OffsetFetcher {

    private record InFlight(int broker, long deadlineNanos, List<TopicPartition> tps) {}

    private final KafkaConsumer consumer;
    private final Optional<ResetStrategy> policy;
    private final TreeMap<Long, InFlight> inFlight = new TreeMap<>();

    OffsetFetcher(KafkaConsumer consumer, String autoOffsetReset) {
        this.consumer = consumer;
        this.policy = switch (autoOffsetReset) {
            case "earliest" -> Optional.of(ResetStrategy.EARLIEST);
            case "latest" -> Optional.of(ResetStrategy.LATEST);
            default -> Optional.empty();
        };
    }

    /** A partition without a position gets a reset by policy, or is reported once under policy none. */
    void resetMissingPositions() {
        consumer.assignment.forEach((tp, st) -> {
            if (st.position >= 0 || st.pendingReset != null || st.noOffsetReported || st.awaitingCommitted) {
                return;
            }
            if (policy.isPresent()) {
                st.requestReset(policy.get(), "NO_POSITION");
            } else {
                st.noOffsetReported = true;
                consumer.recordReset(new PositionReset(tp, -1, -1, "NO_OFFSET"));
            }
        });
    }

    void resetAfterOutOfRange(TopicPartition tp, TopicPartitionState st) {
        resetOrGiveUp(tp, st, "OFFSET_OUT_OF_RANGE");
    }

    private void resetOrGiveUp(TopicPartition tp, TopicPartitionState st, String reason) {
        if (policy.isPresent()) {
            st.requestReset(policy.get(), reason);
            return;
        }
        long from = st.position;
        st.moveTo(-1, -1, -1);
        st.noOffsetReported = true;
        consumer.recordReset(new PositionReset(tp, from, -1, reason));
    }

    /** A new leader epoch in metadata: a position from a record of an older epoch must be validated (KIP-320). */
    void markForValidation() {
        consumer.assignment.forEach((tp, st) -> {
            int epoch = consumer.metadata.leader(tp).leaderEpoch();
            if (!st.hasValidPosition() || epoch <= st.validatedLeaderEpoch) {
                return;
            }
            if (st.positionEpoch >= 0 && st.positionEpoch < epoch) {
                st.awaitingValidation = true;
            } else {
                st.validatedLeaderEpoch = epoch;
            }
        });
    }

    void sendRequests(long now) {
        TreeMap<Integer, List<TopicPartition>> resets = new TreeMap<>();
        TreeMap<Integer, List<TopicPartition>> validations = new TreeMap<>();
        consumer.assignment.forEach((tp, st) -> {
            int leader = consumer.metadata.leader(tp).leaderId();
            if (st.offsetRequestId >= 0 || now < st.backoffUntilNanos || leader < 0) {
                return;
            }
            if (st.pendingReset != null) {
                resets.computeIfAbsent(leader, k -> new ArrayList<>()).add(tp);
            } else if (st.awaitingValidation) {
                validations.computeIfAbsent(leader, k -> new ArrayList<>()).add(tp);
            }
        });
        resets.forEach((broker, tps) -> sendListOffsets(broker, tps, now));
        validations.forEach((broker, tps) -> sendValidation(broker, tps, now));
    }

    private void sendListOffsets(int broker, List<TopicPartition> tps, long now) {
        long id = consumer.nextCorrelationId();
        List<ListOffsetsPartition> parts = new ArrayList<>();
        for (TopicPartition tp : tps) {
            TopicPartitionState st = consumer.assignment.get(tp);
            st.offsetRequestId = id;
            long ts = st.pendingReset == ResetStrategy.EARLIEST ? ApiMessage.EARLIEST_TIMESTAMP : ApiMessage.LATEST_TIMESTAMP;
            parts.add(new ListOffsetsPartition(tp, consumer.metadata.leader(tp).leaderEpoch(), ts));
        }
        IsolationLevel isolation = consumer.fetcherIsolation();
        consumer.ctx.send(broker, new ListOffsetsRequest(id, -1, isolation, parts));
        inFlight.put(id, new InFlight(broker, now + consumer.requestTimeoutNanos, tps));
    }

    private void sendValidation(int broker, List<TopicPartition> tps, long now) {
        long id = consumer.nextCorrelationId();
        List<EpochRequestPartition> parts = new ArrayList<>();
        for (TopicPartition tp : tps) {
            TopicPartitionState st = consumer.assignment.get(tp);
            st.offsetRequestId = id;
            parts.add(new EpochRequestPartition(tp, consumer.metadata.leader(tp).leaderEpoch(), st.positionEpoch));
        }
        consumer.ctx.send(broker, new OffsetsForLeaderEpochRequest(id, -1, parts));
        inFlight.put(id, new InFlight(broker, now + consumer.requestTimeoutNanos, tps));
    }

    void handleListOffsets(ListOffsetsResponse response, long now) {
        if (inFlight.remove(response.correlationId()) == null) {
            return;
        }
        for (ListOffsetsPartitionResponse r : response.responses()) {
            TopicPartitionState st = ours(r.tp(), response.correlationId());
            if (st == null || st.pendingReset == null) {
                continue;
            }
            st.offsetRequestId = -1;
            if (r.error() != Errors.NONE) {
                retryLater(r.tp(), st, r.error(), now);
                continue;
            }
            if (st.resetReason != null) {
                consumer.recordReset(new PositionReset(r.tp(), st.resetFromOffset, r.offset(), st.resetReason));
            }
            st.moveTo(r.offset(), -1, consumer.metadata.leader(r.tp()).leaderEpoch());
        }
    }

    void handleValidation(OffsetsForLeaderEpochResponse response, long now) {
        if (inFlight.remove(response.correlationId()) == null) {
            return;
        }
        for (EpochResponsePartition r : response.responses()) {
            TopicPartitionState st = ours(r.tp(), response.correlationId());
            if (st == null || !st.awaitingValidation) {
                continue;
            }
            st.offsetRequestId = -1;
            if (r.error() != Errors.NONE) {
                retryLater(r.tp(), st, r.error(), now);
                continue;
            }
            validated(r.tp(), st, r.endOffset());
        }
    }

    private void validated(TopicPartition tp, TopicPartitionState st, EpochEndOffset end) {
        int leaderEpoch = consumer.metadata.leader(tp).leaderEpoch();
        if (!end.isUndefined() && end.endOffset() >= st.position) {
            st.awaitingValidation = false;
            st.validatedLeaderEpoch = leaderEpoch;
            return;
        }
        consumer.ctx.reached("consumer.truncation-detected");
        if (end.isUndefined() || policy.isEmpty()) {
            resetOrGiveUp(tp, st, "LOG_TRUNCATION");
            return;
        }
        consumer.recordReset(new PositionReset(tp, st.position, end.endOffset(), "LOG_TRUNCATION"));
        st.moveTo(end.endOffset(), end.leaderEpoch(), leaderEpoch);
    }

    private TopicPartitionState ours(TopicPartition tp, long correlationId) {
        TopicPartitionState st = consumer.assignment.get(tp);
        return st != null && st.offsetRequestId == correlationId ? st : null;
    }

    private void retryLater(TopicPartition tp, TopicPartitionState st, Errors error, long now) {
        if (error != Errors.UNKNOWN_LEADER_EPOCH) {
            consumer.metadata.requestUpdate(); // NOT_LEADER_OR_FOLLOWER, FENCED_LEADER_EPOCH, ...
        }
        st.backoffUntilNanos = now + consumer.retryBackoffNanos;
    }

    /** Fails requests that timed out or whose broker disconnected; their partitions try again after the backoff. */
    void failRequests(long now, int disconnectedBroker) {
        Iterator<java.util.Map.Entry<Long, InFlight>> it = inFlight.entrySet().iterator();
        while (it.hasNext()) {
            var e = it.next();
            InFlight f = e.getValue();
            if (f.broker() != disconnectedBroker && now < f.deadlineNanos()) {
                continue;
            }
            it.remove();
            consumer.metadata.requestUpdate();
            for (TopicPartition tp : f.tps()) {
                TopicPartitionState st = ours(tp, e.getKey());
                if (st != null) {
                    st.offsetRequestId = -1;
                    st.backoffUntilNanos = now + consumer.retryBackoffNanos;
                }
            }
        }
    }

    void addDeadlines(List<Long> deadlines) {
        inFlight.values().forEach(f -> deadlines.add(f.deadlineNanos()));
    }
}
