package dev.samsa.impl.metadata;

/**
 * A topic was created with {@code numPartitions} partitions (each then gets a {@link PartitionRecord}).
 *
 * @param requestId the CreateTopics request that created it (-1: unknown), so that a retry of that
 *     request, even to a newer active controller, is answered NONE rather than TOPIC_ALREADY_EXISTS
 */
public record TopicRecord(String name, int numPartitions, long requestId) implements MetadataRecord {

    public TopicRecord(String name, int numPartitions) {
        this(name, numPartitions, -1);
    }
}
