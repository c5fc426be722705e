package dev.samsa.impl.client;

import dev.samsa.impl.protocol.Errors;
import dev.samsa.impl.protocol.TopicPartition;
import java.util.List;
import java.util.Map;

/**
 * What the harness sees of a consumer's group life: rebalances, and every commit (auto,
 * before a revocation, manual) when it is sent and when it completes. A commit that fails
 * before it can be sent (not a stable member) is reported sent and completed at once.
 */
public interface ConsumerGroupObserver {

    default void onJoinStarted(String reason) {}

    default void onJoined(int generationId, String memberId, List<TopicPartition> assigned) {}

    /** {@code onRevocation}: the commit an eager member makes of everything it owns before it rejoins. */
    default void onCommitSent(Map<TopicPartition, OffsetAndMetadata> offsets, boolean onRevocation) {}

    /**
     * A commit's callback is due. {@code generationId} and {@code memberId} are those its last attempt
     * carried (what a success was accepted under), which may be newer than {@code groupMetadata()} at the
     * time of the call: a cooperative member commits under the new generation before its poll runs the
     * join's completion; {@link dev.samsa.impl.protocol.GroupMessage#NO_GENERATION} if it was never sent.
     */
    default void onCommitCompleted(Map<TopicPartition, OffsetAndMetadata> offsets, boolean onRevocation, Errors error, int generationId,
            String memberId) {}

    /** The consumer can no longer take part in its group (FENCED_INSTANCE_ID...). */
    default void onFatal(Errors error) {}

    ConsumerGroupObserver NONE = new ConsumerGroupObserver() {};
}
