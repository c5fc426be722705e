package dev.samsa.impl.coordinator;

import dev.samsa.impl.controller.ControllerMessage.CreateTopicsRequest;
import dev.samsa.impl.controller.ControllerMessage.CreateTopicsResponse;
import dev.samsa.impl.metadata.ClusterImage;
import dev.samsa.impl.metadata.PartitionRegistration;
import dev.samsa.impl.node.Context;
import dev.samsa.impl.protocol.Errors;
import dev.samsa.impl.protocol.GroupMessage.CoordinatorType;
import dev.samsa.impl.protocol.GroupMessage.FindCoordinatorRequest;
import dev.samsa.impl.protocol.GroupMessage.FindCoordinatorResponse;
import dev.samsa.impl.protocol.TopicPartition;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * FindCoordinator, as any broker answers it from its metadata image: the coordinator of a key
 * is the leader of partition {@code abs(key.hashCode()) % partitions} of the key type's internal
 * topic. While that topic does not exist the broker asks the controller to create it (as Kafka's
 * AutoTopicCreationManager does for internal topics) and answers COORDINATOR_NOT_AVAILABLE.
 */
public final class CoordinatorLookup {

    public static final String GROUP_METADATA_TOPIC = "__consumer_offsets";
    public static final String TRANSACTION_STATE_TOPIC = "__transaction_state";

    /** One internal topic and the settings that shape it. */
    public record InternalTopic(String name, String partitionsKey, String replicationFactorKey) {}

    public static InternalTopic topicOf(CoordinatorType type) {
        return switch (type) {
            case GROUP -> new InternalTopic(GROUP_METADATA_TOPIC, "offsets.topic.num.partitions", "offsets.topic.replication.factor");
            case TRANSACTION -> new InternalTopic(TRANSACTION_STATE_TOPIC, "transaction.state.log.num.partitions",
                    "transaction.state.log.replication.factor");
        };
    }

    /** Kafka's Utils.abs: Math.abs, except that Integer.MIN_VALUE maps to 0. */
    public static int abs(int n) {
        return n == Integer.MIN_VALUE ? 0 : Math.abs(n);
    }

    /** The partition of the internal topic that holds {@code key}'s state. */
    public static int partitionFor(String key, int numPartitions) {
        return abs(key.hashCode()) % numPartitions;
    }

    private final Context ctx;
    private final Consumer<CreateTopicsRequest> toController;
    /** Internal topics this broker asked the controller to create, with the time it asked (nanos). */
    private final TreeMap<String, Long> creating = new TreeMap<>();
    private final long retryNanos;
    private long nextRequestSeq;

    public CoordinatorLookup(Context ctx, Consumer<CreateTopicsRequest> toController) {
        this.ctx = ctx;
        this.toController = toController;
        this.retryNanos = ctx.settings().getMsAsNanos("controller.quorum.request.timeout.ms");
    }

    /** The coordinator's partition of {@code key}, or empty when the internal topic does not exist yet. */
    public static Optional<TopicPartition> coordinatorPartition(ClusterImage image, InternalTopic topic, String key) {
        var n = image.topic(topic.name());
        return n.isEmpty() ? Optional.empty() : Optional.of(new TopicPartition(topic.name(), partitionFor(key, n.getAsInt())));
    }

    public FindCoordinatorResponse find(ClusterImage image, FindCoordinatorRequest r) {
        InternalTopic topic = topicOf(r.keyType());
        Optional<TopicPartition> tp = coordinatorPartition(image, topic, r.key());
        if (tp.isEmpty()) {
            maybeCreate(topic);
            return new FindCoordinatorResponse(r.correlationId(), Errors.COORDINATOR_NOT_AVAILABLE, -1);
        }
        Optional<PartitionRegistration> reg = image.partition(tp.get());
        if (reg.isEmpty() || !reg.get().hasLeader()) {
            return new FindCoordinatorResponse(r.correlationId(), Errors.COORDINATOR_NOT_AVAILABLE, -1);
        }
        return new FindCoordinatorResponse(r.correlationId(), Errors.NONE, reg.get().leader());
    }

    private void maybeCreate(InternalTopic topic) {
        Long sent = creating.get(topic.name());
        if (sent != null && ctx.nowNanos() - sent < retryNanos) {
            return; // one creation in flight at a time (Kafka's inflight topics)
        }
        creating.put(topic.name(), ctx.nowNanos());
        ctx.reached("coordinator.internal-topic-create");
        var s = ctx.settings();
        // request ids of brokers live in their own range, apart from admin clients' attempt numbers
        long requestId = (1L << 62) | ((long) ctx.nodeId() << 32) | (nextRequestSeq++ & 0xFFFFFFFFL);
        toController.accept(new CreateTopicsRequest(requestId, topic.name(), s.getInt(topic.partitionsKey()), s.getInt(topic.replicationFactorKey())));
    }

    /** The controller answered: the next FindCoordinator may ask again if the topic is still missing. */
    public void onCreateTopicsResponse(CreateTopicsResponse r) {
        if ((r.requestId() >>> 62) == 1 && ((r.requestId() >>> 32) & 0x3FFFFFFFL) == ctx.nodeId()) {
            creating.clear();
        }
    }
}
