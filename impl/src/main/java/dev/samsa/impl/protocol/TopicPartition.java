package dev.samsa.impl.protocol;

/** A partition of a topic, as Kafka names it ({@code orders-3}). Ordered by topic, then partition. */
public record TopicPartition(String topic, int partition) implements Comparable<TopicPartition> {

    public TopicPartition {
        if (topic == null || topic.isEmpty()) {
            throw new IllegalArgumentException("empty topic name");
        }
        if (partition < 0) {
            throw new IllegalArgumentException("negative partition " + partition);
        }
    }

    @Override
    public int compareTo(TopicPartition o) {
        int c = topic.compareTo(o.topic);
        return c != 0 ? c : Integer.compare(partition, o.partition);
    }

    @Override
    public String toString() {
        return topic + "-" + partition;
    }
}
