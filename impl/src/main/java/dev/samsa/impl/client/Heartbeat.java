package dev.samsa.impl.client;

import dev.samsa.impl.client.ConsumerCoordinator.MemberState;
import dev.samsa.impl.protocol.Errors;
import dev.samsa.impl.protocol.GroupMessage.HeartbeatRequest;
import dev.samsa.impl.protocol.GroupMessage.HeartbeatResponse;
import java.util.List;

/**
 * A member's heartbeats (Kafka's {@code Heartbeat} and the heartbeat thread's work): one every
 * {@code heartbeat.interval.ms} while it is in a generation, at most one in flight. Without an
 * answer for {@code session.timeout.ms} the member takes the coordinator for gone and looks for
 * it again. REBALANCE_IN_PROGRESS asks a stable member to rejoin; ILLEGAL_GENERATION or
 * UNKNOWN_MEMBER_ID for the generation it still has mean it was removed: its partitions are lost.
 */
final class Heartbeat {

    private final ConsumerCoordinator c;
    private final long intervalNanos;
    private long requestId = -1;
    private int generation;
    private long deadlineNanos;
    private long nextNanos;
    long lastReceivedNanos;

    Heartbeat(ConsumerCoordinator c, long intervalNanos) {
        this.c = c;
        this.intervalNanos = intervalNanos;
    }

    private boolean joined() {
        return c.state == MemberState.STABLE || c.state == MemberState.COMPLETING_REBALANCE;
    }

    void maybeSend(long now) {
        if (!joined() || c.coordinatorId < 0 || requestId >= 0 || now < nextNanos) {
            return;
        }
        KafkaConsumer consumer = c.consumer;
        requestId = consumer.nextCorrelationId();
        generation = c.generationId;
        deadlineNanos = now + consumer.requestTimeoutNanos;
        nextNanos = now + intervalNanos;
        consumer.ctx.send(c.coordinatorId, new HeartbeatRequest(requestId, c.groupId, c.generationId, c.memberId, c.groupInstanceId));
    }

    /** A new generation: the session starts afresh. */
    void reset(long now) {
        lastReceivedNanos = now;
        nextNanos = now + intervalNanos;
    }

    void dropInFlight() {
        requestId = -1;
    }

    void handleResponse(HeartbeatResponse r, long now) {
        if (r.correlationId() != requestId) {
            return;
        }
        requestId = -1;
        lastReceivedNanos = now;
        switch (r.error()) {
            case NONE -> { }
            case REBALANCE_IN_PROGRESS -> {
                if (c.state == MemberState.STABLE) {
                    c.requestRejoin("group is already rebalancing");
                }
            }
            case ILLEGAL_GENERATION, UNKNOWN_MEMBER_ID -> {
                if (generation == c.generationId && c.state != MemberState.PREPARING_REBALANCE) {
                    c.consumer.ctx.reached("consumer.heartbeat-generation-lost");
                    c.resetGeneration();
                    c.requestRejoin("heartbeat " + r.error());
                }
            }
            case FENCED_INSTANCE_ID -> c.fatal(Errors.FENCED_INSTANCE_ID);
            case COORDINATOR_NOT_AVAILABLE, NOT_COORDINATOR -> c.markCoordinatorUnknown("heartbeat " + r.error(), now);
            default -> nextNanos = now + c.consumer.retryBackoffNanos;
        }
    }

    private long sessionEndNanos() {
        return lastReceivedNanos + c.sessionTimeoutMs * 1_000_000L;
    }

    void checkTimeouts(long now) {
        if (requestId >= 0 && now >= deadlineNanos) {
            c.markCoordinatorUnknown("heartbeat timed out", now);
        }
        if (c.coordinatorId >= 0 && joined() && now >= sessionEndNanos()) {
            c.markCoordinatorUnknown("session timed out without a heartbeat response", now);
        }
    }

    void addDeadlines(List<Long> deadlines) {
        if (requestId >= 0) {
            deadlines.add(deadlineNanos);
        } else if (joined()) {
            deadlines.add(nextNanos);
        }
        if (c.coordinatorId >= 0 && joined()) {
            deadlines.add(sessionEndNanos());
        }
    }
}
