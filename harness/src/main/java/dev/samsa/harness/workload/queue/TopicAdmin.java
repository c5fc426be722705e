package dev.samsa.harness.workload.queue;

import dev.samsa.impl.controller.ControllerMessage.CreateTopicsRequest;
import dev.samsa.impl.controller.ControllerMessage.CreateTopicsResponse;
import dev.samsa.impl.node.Context;
import dev.samsa.impl.node.Message;
import dev.samsa.impl.node.Node;
import dev.samsa.impl.node.Timer;
import dev.samsa.impl.protocol.Errors;
import java.util.List;

/**
 * The workload's admin client: creates the topic through the active controller (Kafka's
 * {@code Admin.createTopics}), retrying until the controller says it exists.
 */
public final class TopicAdmin implements Node {

    private record Retry(long attempt) implements Timer {}

    private static final long RETRY_NANOS = 200_000_000L;
    private static final long TIMEOUT_NANOS = 2_000_000_000L;

    private final Context ctx;
    private final List<Integer> controllers;
    private final String topic;
    private final int partitions;
    private final int replicationFactor;
    private int target;
    private long attempt;
    private boolean done;

    public TopicAdmin(Context ctx, List<Integer> controllers, String topic, int partitions, int replicationFactor) {
        this.ctx = ctx;
        this.controllers = controllers;
        this.topic = topic;
        this.partitions = partitions;
        this.replicationFactor = replicationFactor;
        this.target = controllers.get(ctx.random().nextInt(controllers.size()));
    }

    @Override
    public void onStart() {
        ctx.setTimer(RETRY_NANOS, new Retry(attempt));
    }

    private void send() {
        attempt++;
        ctx.send(target, new CreateTopicsRequest(attempt, topic, partitions, replicationFactor));
        ctx.setTimer(TIMEOUT_NANOS, new Retry(attempt));
    }

    @Override
    public void onMessage(int from, Message message) {
        if (done || !(message instanceof CreateTopicsResponse r) || r.requestId() != attempt) {
            return;
        }
        if (r.error() == Errors.NONE || r.error() == Errors.TOPIC_ALREADY_EXISTS) {
            done = true;
            ctx.trace("topic " + topic + " created");
            return;
        }
        if (r.error() == Errors.NOT_CONTROLLER && r.leaderHint().isPresent()) {
            target = r.leaderHint().getAsInt();
        } else {
            target = controllers.get(ctx.random().nextInt(controllers.size()));
        }
        attempt++; // the pending timeout is now stale
        ctx.setTimer(RETRY_NANOS, new Retry(attempt));
    }

    @Override
    public void onTimer(Timer timer) {
        if (!done && timer instanceof Retry r && r.attempt() == attempt) {
            if (attempt > 0) {
                target = controllers.get(ctx.random().nextInt(controllers.size()));
            }
            send();
        }
    }

    @Override
    public void onDisconnect(int peer) {}

    public boolean done() {
        return done;
    }
}
