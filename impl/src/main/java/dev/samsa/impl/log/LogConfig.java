package dev.samsa.impl.log;

import dev.samsa.spec.config.Settings;

/** The topic-level log settings of a partition, read from the run's settings (Kafka's keys). */
public record LogConfig(
        int segmentBytes,
        long segmentMs,
        long retentionMs,
        long retentionBytes,
        boolean delete,
        boolean compact,
        long deleteRetentionMs,
        double minCleanableDirtyRatio,
        long flushMessages,
        long flushMs,
        long producerIdExpirationMs) {

    public static LogConfig from(Settings s) {
        String policy = s.get("cleanup.policy");
        return new LogConfig(
                s.getInt("segment.bytes"),
                s.getLong("segment.ms"),
                s.getLong("retention.ms"),
                s.getLong("retention.bytes"),
                policy.contains("delete"),
                policy.contains("compact"),
                s.getLong("delete.retention.ms"),
                s.getDouble("min.cleanable.dirty.ratio"),
                s.getLong("flush.messages"),
                s.getLong("flush.ms"),
                s.getLong("producer.id.expiration.ms"));
    }

    /** The same settings with cleanup.policy=compact only (the internal topics' policy: no retention deletes). */
    public LogConfig compactedOnly() {
        return new LogConfig(segmentBytes, segmentMs, retentionMs, retentionBytes, false, true, deleteRetentionMs, minCleanableDirtyRatio,
                flushMessages, flushMs, producerIdExpirationMs);
    }
}
