package dev.samsa.bench;

import dev.samsa.impl.controller.ControllerMessage.CreateTopicsRequest;
import dev.samsa.impl.controller.ControllerMessage.CreateTopicsResponse;
import dev.samsa.impl.node.Context;
import dev.samsa.impl.node.Message;
import dev.samsa.impl.node.Node;
import dev.samsa.impl.node.Timer;
import dev.samsa.impl.protocol.Errors;
import java.util.List;

/**
 * An admin client that creates one topic (Kafka's {@code Admin.createTopics}): it asks a
 * controller, follows a NOT_CONTROLLER hint, and retries after a pause or a timeout until the
 * answer is NONE or TOPIC_ALREADY_EXISTS. Each attempt has its own request id, so a late answer
 * or a stale timer is ignored.
 */
final class BenchTopicAdmin implements Node {

    private record Retry(long attempt) implements Timer {}

    private static final long RETRY_NANOS = 100_000_000L;
    private static final long TIMEOUT_NANOS = 2_000_000_000L;

    private final Context ctx;
    private final List<Integer> controllers;
    private final String topic;
    private final int partitions;
    private final int replicationFactor;
    private int target;
    private long attempt;
    private boolean done;

    BenchTopicAdmin(Context ctx, List<Integer> controllers, String topic, int partitions, int replicationFactor) {
        this.ctx = ctx;
        this.controllers = List.copyOf(controllers);
        this.topic = topic;
        this.partitions = partitions;
        this.replicationFactor = replicationFactor;
        this.target = this.controllers.get(0);
    }

    @Override
    public void onStart() {
        ctx.setTimer(RETRY_NANOS, new Retry(attempt));
    }

    @Override
    public void onMessage(int from, Message message) {
        if (done || !(message instanceof CreateTopicsResponse r) || r.requestId() != attempt) {
            return;
        }
        if (r.error() == Errors.NONE || r.error() == Errors.TOPIC_ALREADY_EXISTS) {
            done = true;
            return;
        }
        target = r.error() == Errors.NOT_CONTROLLER && r.leaderHint().isPresent()
                ? r.leaderHint().getAsInt()
                : controllers.get(ctx.random().nextInt(controllers.size()));
        attempt++; // makes the pending timeout stale
        ctx.setTimer(RETRY_NANOS, new Retry(attempt));
    }

    @Override
    public void onTimer(Timer timer) {
        if (done || !(timer instanceof Retry r) || r.attempt() != attempt) {
            return;
        }
        if (attempt > 0) {
            target = controllers.get(ctx.random().nextInt(controllers.size())); // the last one timed out
        }
        attempt++;
        ctx.send(target, new CreateTopicsRequest(attempt, topic, partitions, replicationFactor));
        ctx.setTimer(TIMEOUT_NANOS, new Retry(attempt));
    }

    @Override
    public void onDisconnect(int peer) {}

    boolean done() {
        return done;
    }
}
