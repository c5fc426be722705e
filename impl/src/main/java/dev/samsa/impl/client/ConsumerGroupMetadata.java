package dev.samsa.impl.client;

/** KIP-447: who the consumer is in its group, for a transactional producer's sendOffsetsToTransaction. {@code groupInstanceId} null if dynamic. */
public record ConsumerGroupMetadata(String groupId, int generationId, String memberId, String groupInstanceId) {}
