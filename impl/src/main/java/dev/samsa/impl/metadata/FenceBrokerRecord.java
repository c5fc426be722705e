package dev.samsa.impl.metadata;

/** The controller fenced the broker's incarnation {@code brokerEpoch} (missed heartbeats). */
public record FenceBrokerRecord(int brokerId, long brokerEpoch) implements MetadataRecord {}
