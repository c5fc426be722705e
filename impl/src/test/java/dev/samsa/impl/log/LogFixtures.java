package dev.samsa.impl.log;

import dev.samsa.impl.protocol.TopicPartition;
import dev.samsa.spec.config.Settings;
import java.util.ArrayList;
import java.util.List;

/** Batches and configs for the log tests. */
final class LogFixtures {

    static final TopicPartition TP = new TopicPartition("orders", 0);

    private LogFixtures() {}

    /** Kafka's defaults: huge segments, 7 days retention, delete policy, no forced flush. */
    static LogConfig defaults() {
        return LogConfig.from(Settings.defaults());
    }

    static LogConfig segmentBytes(LogConfig c, int bytes) {
        return new LogConfig(bytes, c.segmentMs(), c.retentionMs(), c.retentionBytes(), c.delete(), c.compact(),
                c.deleteRetentionMs(), c.minCleanableDirtyRatio(), c.flushMessages(), c.flushMs(), c.producerIdExpirationMs());
    }

    static LogConfig segmentMs(LogConfig c, long ms) {
        return new LogConfig(c.segmentBytes(), ms, c.retentionMs(), c.retentionBytes(), c.delete(), c.compact(),
                c.deleteRetentionMs(), c.minCleanableDirtyRatio(), c.flushMessages(), c.flushMs(), c.producerIdExpirationMs());
    }

    static LogConfig retention(LogConfig c, long ms, long bytes) {
        return new LogConfig(c.segmentBytes(), c.segmentMs(), ms, bytes, c.delete(), c.compact(),
                c.deleteRetentionMs(), c.minCleanableDirtyRatio(), c.flushMessages(), c.flushMs(), c.producerIdExpirationMs());
    }

    static LogConfig policy(LogConfig c, boolean delete, boolean compact, long deleteRetentionMs) {
        return new LogConfig(c.segmentBytes(), c.segmentMs(), c.retentionMs(), c.retentionBytes(), delete, compact,
                deleteRetentionMs, c.minCleanableDirtyRatio(), c.flushMessages(), c.flushMs(), c.producerIdExpirationMs());
    }

    static LogConfig flush(LogConfig c, long messages, long ms) {
        return new LogConfig(c.segmentBytes(), c.segmentMs(), c.retentionMs(), c.retentionBytes(), c.delete(), c.compact(),
                c.deleteRetentionMs(), c.minCleanableDirtyRatio(), messages, ms, c.producerIdExpirationMs());
    }

    static LogConfig producerExpiration(LogConfig c, long ms) {
        return new LogConfig(c.segmentBytes(), c.segmentMs(), c.retentionMs(), c.retentionBytes(), c.delete(), c.compact(),
                c.deleteRetentionMs(), c.minCleanableDirtyRatio(), c.flushMessages(), c.flushMs(), ms);
    }

    /** A plain batch of {@code n} keyless records stamped {@code ts}. */
    static RecordBatch batch(int n, long ts) {
        List<Record> rs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            rs.add(new Record(null, "v" + i, ts));
        }
        return RecordBatch.of(rs);
    }

    /** One keyed record. */
    static RecordBatch keyed(String key, String value, long ts) {
        return RecordBatch.of(List.of(new Record(key, value, ts)));
    }

    /** An idempotent batch of {@code n} records. */
    static RecordBatch idempotent(long pid, int epoch, int baseSeq, int n, long ts) {
        RecordBatch b = batch(n, ts);
        return new RecordBatch(-1, -1, pid, (short) epoch, baseSeq, false, false, "none", b.records(), b.sizeBytes());
    }

    /** A COMMIT marker of {@code pid} from coordinator epoch 0. */
    static RecordBatch control(long pid, int epoch, long ts) {
        return marker(ControlRecordType.COMMIT, pid, epoch, 0, ts);
    }

    /** A transaction marker of {@code pid}. */
    static RecordBatch marker(ControlRecordType type, long pid, int epoch, int coordinatorEpoch, long ts) {
        return new EndTransactionMarker(type, coordinatorEpoch).toBatch(pid, (short) epoch, ts);
    }

    /** A transactional batch of {@code n} records. */
    static RecordBatch transactional(long pid, int epoch, int baseSeq, int n, long ts) {
        RecordBatch b = batch(n, ts);
        return new RecordBatch(-1, -1, pid, (short) epoch, baseSeq, true, false, "none", b.records(), b.sizeBytes());
    }

    /** A transactional batch of one keyed record. */
    static RecordBatch transactionalKeyed(long pid, int epoch, int baseSeq, String key, String value, long ts) {
        List<Record> rs = List.of(new Record(key, value, ts));
        return new RecordBatch(-1, -1, pid, (short) epoch, baseSeq, true, false, "none", rs, RecordBatch.uncompressedSize(rs));
    }
}
