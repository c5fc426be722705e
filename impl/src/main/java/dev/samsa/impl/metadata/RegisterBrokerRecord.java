package dev.samsa.impl.metadata;

/**
 * A broker (re)registered. As in Kafka, the broker epoch is the offset of this record in the
 * metadata log, so epochs grow with every registration and fence older incarnations (KIP-903).
 * A registered broker starts fenced.
 *
 * @param incarnationId differs per process start: a re-registration by the same process is idempotent
 */
public record RegisterBrokerRecord(int brokerId, long incarnationId) implements MetadataRecord {}
