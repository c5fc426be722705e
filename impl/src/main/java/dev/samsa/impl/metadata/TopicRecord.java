package dev.samsa.impl.metadata;

/** A topic was created with {@code numPartitions} partitions (each then gets a {@link PartitionRecord}). */
public record TopicRecord(String name, int numPartitions) implements MetadataRecord {}
