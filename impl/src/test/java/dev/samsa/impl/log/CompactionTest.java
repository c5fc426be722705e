package dev.samsa.impl.log;

import static dev.samsa.impl.log.LogFixtures.TP;
import static dev.samsa.impl.log.LogFixtures.batch;
import static dev.samsa.impl.log.LogFixtures.defaults;
import static dev.samsa.impl.log.LogFixtures.keyed;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CompactionTest {

    final LogTestContext ctx = new LogTestContext();
    final LogConfig config = LogFixtures.policy(LogFixtures.segmentBytes(defaults(), 3 * keyed("k", "v0", 0).sizeBytes()), false, true, 1000);

    UnifiedLog open() {
        return new UnifiedLog(ctx, TP, config);
    }

    static List<String> view(UnifiedLog log) {
        List<String> out = new ArrayList<>();
        for (RecordBatch b : log.allBatches()) {
            for (int i = 0; i < b.recordCount(); i++) {
                Record r = b.records().get(i);
                out.add((b.baseOffset() + i) + ":" + r.key() + "=" + r.value());
            }
        }
        return out;
    }

    /** Segments of three: [a=1 b=1 a=2] [c=1 b=2 a=3] [x=1] active. */
    UnifiedLog filled() {
        UnifiedLog log = open();
        String[] kv = {"a=1", "b=1", "a=2", "c=1", "b=2", "a=3", "x=1"};
        for (String s : kv) {
            log.appendAsLeader(keyed(s.substring(0, 1), s.substring(2), 10), 1, 10);
        }
        log.updateHighWatermark(log.logEndOffset());
        return log;
    }

    @Test
    void keepsTheLatestRecordPerKeyBelowTheActiveSegment() {
        UnifiedLog log = filled();
        assertThat(log.compact(10)).isEqualTo(3);
        assertThat(view(log)).containsExactly("3:c=1", "4:b=2", "5:a=3", "6:x=1");
        assertThat(ctx.reached).contains("log.compacted");
        // reads across the gap start at the next surviving batch
        assertThat(log.read(0, 1 << 20, Long.MAX_VALUE)).extracting(RecordBatch::baseOffset).containsExactly(3L, 4L, 5L, 6L);
        assertThat(log.batchContaining(1)).isNull();
        assertThat(log.logStartOffset()).isZero();
        assertThat(log.compact(10)).isZero();
    }

    @Test
    void anEmptiedSegmentStaysAsAnEmptyFile() {
        UnifiedLog log = open();
        for (String s : new String[] {"a=1", "a=2", "a=3", "a=4", "b=1", "z=1", "z=2"}) {
            log.appendAsLeader(keyed(s.substring(0, 1), s.substring(2), 10), 1, 10);
        }
        log.updateHighWatermark(log.logEndOffset());
        assertThat(log.compact(10)).isEqualTo(3);
        assertThat(view(log)).containsExactly("3:a=4", "4:b=1", "5:z=1", "6:z=2");
        assertThat(ctx.disk.exists("orders-0/00000000000000000000.log")).isTrue();
        assertThat(ctx.disk.size("orders-0/00000000000000000000.log")).isZero();
        assertThat(log.read(0, 1, Long.MAX_VALUE)).extracting(RecordBatch::baseOffset).containsExactly(3L);
        assertThat(log.epochOfBatchBefore(3)).isEqualTo(-1);
        UnifiedLog reopened = open();
        assertThat(reopened.logStartOffset()).isZero();
        assertThat(view(reopened)).containsExactly("3:a=4", "4:b=1", "5:z=1", "6:z=2");
    }

    @Test
    void onlyBelowTheHighWatermark() {
        UnifiedLog log = filled();
        log.updateHighWatermark(5); // the second segment [3,6) is not wholly below it
        assertThat(log.compact(10)).isEqualTo(1); // a=3 and b=2 lie above it: they shadow nothing yet
        assertThat(view(log)).containsExactly("1:b=1", "2:a=2", "3:c=1", "4:b=2", "5:a=3", "6:x=1");
    }

    @Test
    void nullKeysAndControlBatchesStay() {
        String k = ControlRecordType.COMMIT.recordKey(); // user records may carry the control key's bytes
        UnifiedLog log = new UnifiedLog(ctx, TP, LogFixtures.segmentBytes(config, 1)); // one batch per segment
        log.appendAsLeader(batch(1, 10), 1, 10);
        log.appendAsLeader(LogFixtures.control(7, 0, 10), 1, 10);
        log.appendAsLeader(keyed(k, "x", 10), 1, 10);
        log.appendAsLeader(keyed(k, "y", 10), 1, 10);
        log.appendAsLeader(keyed("z", "1", 10), 1, 10);
        log.updateHighWatermark(log.logEndOffset());
        assertThat(log.compact(1_000_000)).isEqualTo(1);
        assertThat(view(log)).containsExactly("0:null=v0", "1:" + k + "=0:0", "3:" + k + "=y", "4:z=1");
    }

    /**
     * KAFKA-14055's schedule: a committed transaction (k1=v1 + COMMIT marker), then a record whose
     * key has the marker's key bytes; clean; reload. Returns the reloaded log.
     */
    UnifiedLog markerKeyCollision() {
        LogConfig oneBatchPerSegment = LogFixtures.segmentBytes(config, 1);
        UnifiedLog log = new UnifiedLog(ctx, TP, oneBatchPerSegment);
        log.appendAsLeader(LogFixtures.transactionalKeyed(7, 0, 0, "k1", "v1", 10), 1, 10); // 0
        log.appendAsLeader(LogFixtures.control(7, 0, 10), 1, 10); // 1: COMMIT
        log.appendAsLeader(keyed(ControlRecordType.COMMIT.recordKey(), "x", 10), 1, 10); // 2: same key bytes as the marker
        log.appendAsLeader(keyed("z", "1", 10), 1, 10); // 3: active segment
        log.updateHighWatermark(log.logEndOffset());
        log.checkpointHighWatermark();
        assertThat(log.lastStableOffset()).isEqualTo(4);
        log.compact(1_000_000);
        return new UnifiedLog(ctx, TP, oneBatchPerSegment); // a restart (or a new leader) rebuilds producer state from the log
    }

    @Test
    void aMarkerIsKeptWhateverItsKeyShadows() {
        UnifiedLog log = markerKeyCollision();
        assertThat(view(log)).hasSize(4);
        assertThat(log.openTransactionFirstOffset(7)).isEqualTo(-1);
        assertThat(log.lastStableOffset()).isEqualTo(4);
        assertThat(ctx.reached).doesNotContain("log.cleaner-removed-marker");
    }

    @Test
    void kafka14055TheCleanerRemovesAShadowedMarkerAndTheTransactionHangs() {
        ctx.bugs.add(dev.samsa.spec.bugs.Bug.KAFKA_14055);
        UnifiedLog log = markerKeyCollision();
        assertThat(view(log)).containsExactly("0:k1=v1", "2:" + ControlRecordType.COMMIT.recordKey() + "=x", "3:z=1");
        assertThat(ctx.reached).contains("log.cleaner-removed-marker");
        assertThat(log.openTransactionFirstOffset(7)).isZero(); // the committed transaction looks open again
        assertThat(log.lastStableOffset()).isZero(); // and read_committed consumers stop at it
    }

    /**
     * KAFKA-14055 with an ABORT marker: an aborted transaction, its marker, the producer's next
     * (committed) transaction, then a record with the ABORT marker's key bytes; clean. Returns the
     * cleaned log (not reloaded).
     */
    UnifiedLog abortMarkerKeyCollision() {
        UnifiedLog log = new UnifiedLog(ctx, TP, LogFixtures.segmentBytes(config, 1)); // one batch per segment
        log.appendAsLeader(LogFixtures.transactionalKeyed(7, 0, 0, "k1", "aborted", 10), 1, 10); // 0
        log.appendAsLeader(LogFixtures.marker(ControlRecordType.ABORT, 7, 0, 0, 10), 1, 10); // 1
        log.appendAsLeader(LogFixtures.transactionalKeyed(7, 0, 1, "k2", "committed", 10), 1, 10); // 2
        log.appendAsLeader(LogFixtures.marker(ControlRecordType.COMMIT, 7, 0, 0, 10), 1, 10); // 3
        log.appendAsLeader(keyed(ControlRecordType.ABORT.recordKey(), "x", 10), 1, 10); // 4: same key bytes as the ABORT marker
        log.appendAsLeader(keyed("z", "1", 10), 1, 10); // 5: active segment
        log.updateHighWatermark(log.logEndOffset());
        log.compact(1_000_000);
        return log;
    }

    @Test
    void anAbortMarkerIsKeptWhateverItsKeyShadows() {
        UnifiedLog log = abortMarkerKeyCollision();
        String abort = ControlRecordType.ABORT.recordKey();
        String commit = ControlRecordType.COMMIT.recordKey();
        assertThat(view(log)).containsExactly("1:" + abort + "=0:0", "2:k2=committed", "3:" + commit + "=0:0", "4:" + abort + "=x", "5:z=1");
    }

    @Test
    void kafka14055TheCleanerRemovesAShadowedAbortMarkerWhoseTransactionStaysIndexed() {
        ctx.bugs.add(dev.samsa.spec.bugs.Bug.KAFKA_14055);
        UnifiedLog log = abortMarkerKeyCollision();
        String commit = ControlRecordType.COMMIT.recordKey();
        assertThat(view(log)).containsExactly("2:k2=committed", "3:" + commit + "=0:0", "4:" + ControlRecordType.ABORT.recordKey() + "=x", "5:z=1");
        // a read_committed fetch from 0 still learns that producer 7 aborted from offset 0, and no ABORT marker ends that
        // in the batches it gets: Kafka's consumer then drops the producer's committed batch at offset 2 too
        assertThat(log.collectAbortedTransactions(0, log.logEndOffset())).extracting(AbortedTxn::producerId, AbortedTxn::firstOffset)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(7L, 0L));
    }

    @Test
    void anAbortedRecordShadowsNothingAndIsRemoved() {
        UnifiedLog log = new UnifiedLog(ctx, TP, LogFixtures.segmentBytes(config, 1)); // one batch per segment
        log.appendAsLeader(keyed("a", "1", 10), 1, 10); // 0
        log.appendAsLeader(LogFixtures.transactionalKeyed(7, 0, 0, "a", "aborted", 10), 1, 10); // 1
        log.appendAsLeader(LogFixtures.marker(ControlRecordType.ABORT, 7, 0, 0, 10), 1, 10); // 2
        log.appendAsLeader(LogFixtures.transactionalKeyed(8, 0, 0, "b", "committed", 10), 1, 10); // 3
        log.appendAsLeader(LogFixtures.marker(ControlRecordType.COMMIT, 8, 0, 0, 10), 1, 10); // 4
        log.appendAsLeader(keyed("z", "1", 10), 1, 10); // 5: active segment
        log.updateHighWatermark(log.logEndOffset());
        assertThat(log.compact(1_000_000)).isEqualTo(1);
        assertThat(ctx.reached).contains("log.cleaner-removed-aborted");
        String abort = ControlRecordType.ABORT.recordKey();
        String commit = ControlRecordType.COMMIT.recordKey();
        assertThat(view(log)).containsExactly("0:a=1", "2:" + abort + "=0:0", "3:b=committed", "4:" + commit + "=0:0", "5:z=1");
    }

    @Test
    void tombstonesGoAfterDeleteRetentionSinceFirstSeen() {
        UnifiedLog log = open();
        log.appendAsLeader(keyed("a", "1", 10), 1, 10);
        log.appendAsLeader(keyed("a", null, 10), 1, 10);
        log.appendAsLeader(keyed("b", "1", 10), 1, 10);
        log.appendAsLeader(keyed("c", "1", 10), 1, 10);
        log.updateHighWatermark(log.logEndOffset());
        assertThat(log.compact(5000)).isEqualTo(1);
        assertThat(view(log)).containsExactly("1:a=null", "2:b=1", "3:c=1");
        assertThat(log.compact(5999)).isZero();
        assertThat(log.compact(6000)).isEqualTo(1);
        assertThat(view(log)).containsExactly("2:b=1", "3:c=1");
    }

    @Test
    void eachProducersLastBatchStays() {
        UnifiedLog log = open();
        log.appendAsLeader(idempotentKeyed(7, 0, "a", "1"), 1, 10);
        log.appendAsLeader(idempotentKeyed(7, 1, "a", "2"), 1, 10);
        log.appendAsLeader(keyed("a", "3", 10), 1, 10);
        log.appendAsLeader(keyed("z", "1", 10), 1, 10);
        log.updateHighWatermark(log.logEndOffset());
        log.compact(10);
        assertThat(view(log)).containsExactly("1:a=2", "2:a=3", "3:z=1");
        assertThat(log.producerState(7)).containsExactly(0, 1, 1);
    }

    static RecordBatch idempotentKeyed(long pid, int seq, String key, String value) {
        RecordBatch b = keyed(key, value, 10);
        return new RecordBatch(-1, -1, pid, (short) 0, seq, false, false, "none", b.records(), b.sizeBytes());
    }

    @Test
    void aMultiRecordBatchIsSplitAtItsOriginalOffsets() {
        UnifiedLog log = open();
        List<Record> rs = List.of(new Record("a", "1", 10), new Record("b", "1", 10), new Record("a", "2", 10));
        log.appendAsLeader(RecordBatch.of(rs), 1, 10);
        log.appendAsLeader(keyed("z", "1", 10), 1, 10);
        log.appendAsLeader(keyed("z", "2", 10), 1, 10); // rolls
        log.updateHighWatermark(log.logEndOffset());
        assertThat(log.compact(10)).isEqualTo(1);
        assertThat(log.allBatches()).extracting(RecordBatch::baseOffset).containsExactly(1L, 2L, 3L, 4L);
        assertThat(view(log)).containsExactly("1:b=1", "2:a=2", "3:z=1", "4:z=2");
    }

    @Test
    void aCompactedLogRecoversWithItsGaps() {
        UnifiedLog log = filled();
        log.compact(10);
        ctx.disk.powerLoss();
        UnifiedLog reopened = open();
        assertThat(view(reopened)).containsExactly("3:c=1", "4:b=2", "5:a=3");
        assertThat(reopened.logEndOffset()).isEqualTo(6);
    }

    @Test
    void gapsAboveTheCleanerCheckpointStillEndTheLog() {
        UnifiedLog log = filled();
        log.compact(10); // cleaner checkpoint 6
        ctx.disk.append("orders-0/00000000000000000006.log", keyed("q", "1", 10).assign(8, 1), 10);
        UnifiedLog reopened = open();
        assertThat(reopened.logEndOffset()).isEqualTo(7);
    }

    @Test
    void anInterruptedSwapIsFinishedWhenCompleteAndDiscardedOtherwise() {
        UnifiedLog log = filled();
        String seg = "orders-0/00000000000000000000.log";
        RecordBatch kept = log.allBatches().get(2); // a=2 at offset 2
        Checkpoints.writeOffset(ctx.disk, "orders-0/cleaner-offset-checkpoint", 6);
        ctx.disk.append(seg + ".cleaned", kept, 10);
        ctx.disk.append(seg + ".cleaned", new LogCleaner.SwapComplete(), 1);
        UnifiedLog finished = open();
        assertThat(view(finished)).startsWith("2:a=2", "3:c=1");
        assertThat(ctx.disk.exists(seg + ".cleaned")).isFalse();

        ctx.disk.append(seg + ".cleaned", batch(1, 10).assign(2, 1), 10); // no marker: incomplete
        UnifiedLog discarded = open();
        assertThat(view(discarded)).startsWith("2:a=2", "3:c=1");
        assertThat(ctx.disk.exists(seg + ".cleaned")).isFalse();
    }

    @Test
    void truncationLowersTheCleanerCheckpoint() {
        UnifiedLog log = filled();
        log.compact(10);
        log.truncateTo(4);
        assertThat(Checkpoints.readOffset(ctx.disk, "orders-0/cleaner-offset-checkpoint", -1)).isEqualTo(4);
    }

    @Test
    void notUnderTheDeletePolicy() {
        UnifiedLog log = new UnifiedLog(ctx, TP, LogFixtures.policy(config, true, false, 1000));
        log.appendAsLeader(keyed("a", "1", 10), 1, 10);
        log.appendAsLeader(keyed("a", "2", 10), 1, 10);
        log.updateHighWatermark(2);
        assertThat(log.compact(10)).isZero();
    }
}
