package dev.samsa.impl.log;

import static dev.samsa.impl.log.LogFixtures.TP;
import static dev.samsa.impl.log.LogFixtures.batch;
import static dev.samsa.impl.log.LogFixtures.defaults;
import static dev.samsa.impl.log.LogFixtures.idempotent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.samsa.spec.bugs.Bug;
import org.junit.jupiter.api.Test;

class RetentionTest {

    final LogTestContext ctx = new LogTestContext();
    final int size = batch(2, 0).sizeBytes();

    LogConfig config(long retentionMs, long retentionBytes) {
        return LogFixtures.retention(LogFixtures.segmentBytes(defaults(), size), retentionMs, retentionBytes);
    }

    /** Five one-batch segments: offsets 0, 2, 4, 6, 8 with record timestamps 100, 200 ... 500; epochs 1,1,2,2,3. */
    UnifiedLog filled(LogConfig config) {
        UnifiedLog log = new UnifiedLog(ctx, TP, config);
        int[] epochs = {1, 1, 2, 2, 3};
        for (int i = 0; i < 5; i++) {
            log.appendAsLeader(batch(2, 100L * (i + 1)), epochs[i], 100L * (i + 1));
        }
        return log;
    }

    @Test
    void byTimeOldestFirstUpToTheHighWatermark() {
        UnifiedLog log = filled(config(1000, -1));
        log.updateHighWatermark(10);
        assertThat(log.deleteOldSegments(1100)).isZero(); // 1100 - 100 = 1000: not older than retention.ms
        assertThat(log.deleteOldSegments(1101)).isEqualTo(1);
        assertThat(log.logStartOffset()).isEqualTo(2);
        assertThat(log.deleteOldSegments(1350)).isEqualTo(2);
        assertThat(log.logStartOffset()).isEqualTo(6);
        assertThat(log.epochEntries()).containsExactly(new long[] {2, 6}, new long[] {3, 8});
        assertThat(ctx.reached).contains("log.segment-deleted");
        assertThatThrownBy(() -> log.read(5, 100, Long.MAX_VALUE)).isInstanceOf(OffsetOutOfRangeException.class);
    }

    @Test
    void neverTheActiveSegment() {
        UnifiedLog log = filled(config(1000, -1));
        log.updateHighWatermark(10);
        assertThat(log.deleteOldSegments(1_000_000)).isEqualTo(4);
        assertThat(log.segmentCount()).isEqualTo(1);
        assertThat(log.logStartOffset()).isEqualTo(8);
    }

    @Test
    void bySizeWhileTheRestStaysAtLeastTheLimit() {
        UnifiedLog log = filled(config(-1, 3L * size));
        log.updateHighWatermark(10);
        assertThat(log.deleteOldSegments(0)).isEqualTo(2);
        assertThat(log.sizeBytes()).isEqualTo(3L * size);
        assertThat(log.logStartOffset()).isEqualTo(4);
    }

    @Test
    void neverASegmentWhoseEndIsAboveTheHighWatermark() {
        UnifiedLog log = filled(config(1000, -1));
        log.updateHighWatermark(5); // segment [4,6) ends above the HW
        assertThat(log.deleteOldSegments(1_000_000)).isEqualTo(2);
        assertThat(log.logStartOffset()).isEqualTo(4);
        assertThat(log.logStartOffset()).isLessThanOrEqualTo(log.highWatermark());
    }

    @Test
    void withKafka5634RetentionPassesTheHighWatermark() {
        ctx.bugs.add(Bug.KAFKA_5634);
        UnifiedLog log = filled(config(1000, -1));
        log.updateHighWatermark(5);
        assertThat(log.deleteOldSegments(1_000_000)).isEqualTo(4);
        assertThat(log.logStartOffset()).isEqualTo(8);
        assertThat(log.highWatermark()).isEqualTo(5); // LStart > HW: what the invariant checker must see
    }

    @Test
    void noTimeOrSizeRetentionUnderTheCompactPolicy() {
        UnifiedLog log = filled(LogFixtures.policy(config(1000, 0), false, true, 0));
        log.updateHighWatermark(10);
        assertThat(log.deleteOldSegments(1_000_000)).isZero();
    }

    @Test
    void segmentsBelowAnAdvancedLogStartGoWhateverThePolicy() {
        UnifiedLog log = filled(LogFixtures.policy(config(-1, -1), false, true, 0));
        log.updateHighWatermark(10);
        log.maybeIncrementLogStartOffset(5);
        assertThat(log.deleteOldSegments(0)).isEqualTo(2);
        assertThat(log.logStartOffset()).isEqualTo(5);
        assertThatThrownBy(() -> log.maybeIncrementLogStartOffset(11)).isInstanceOf(OffsetOutOfRangeException.class);
    }

    @Test
    void theLogStartSurvivesARestart() {
        UnifiedLog log = filled(config(1000, -1));
        log.updateHighWatermark(10);
        log.deleteOldSegments(1250);
        log.maybeIncrementLogStartOffset(5);
        UnifiedLog reopened = new UnifiedLog(ctx, TP, config(1000, -1));
        assertThat(reopened.logStartOffset()).isEqualTo(5);
        assertThat(reopened.epochEntries()).containsExactly(new long[] {2, 5}, new long[] {3, 8});
    }

    @Test
    void producersWhoseBatchesAreGoneAreRemembered() {
        // KAFKA-7190: a late retry of producer 7's batch must still be recognised after retention
        UnifiedLog log = new UnifiedLog(ctx, TP, config(1000, -1));
        log.appendAsLeader(idempotent(7, 0, 0, 2, 100), 1, 100);
        log.appendAsLeader(idempotent(8, 0, 0, 2, 200), 1, 200);
        log.appendAsLeader(batch(2, 5000), 1, 5000);
        log.updateHighWatermark(6);
        log.deleteOldSegments(1101);
        assertThat(log.logStartOffset()).isEqualTo(2);
        assertThat(log.producerState(7)).isNotNull();
        assertThat(log.appendAsLeader(idempotent(7, 0, 0, 2, 6000), 1, 6000).duplicate()).isTrue();
        // and across a restart, through the producer snapshot
        UnifiedLog reopened = new UnifiedLog(ctx, TP, config(1000, -1));
        assertThat(reopened.producerState(7)).isNotNull();
        assertThat(reopened.appendAsLeader(idempotent(7, 0, 0, 2, 6000), 1, 6000).duplicate()).isTrue();
        assertThat(reopened.producerState(8)).isNotNull();
    }
}
