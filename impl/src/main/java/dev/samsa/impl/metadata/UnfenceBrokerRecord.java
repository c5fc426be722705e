package dev.samsa.impl.metadata;

/** The broker's incarnation {@code brokerEpoch} caught up with the metadata log and may lead partitions. */
public record UnfenceBrokerRecord(int brokerId, long brokerEpoch) implements MetadataRecord {}
