package dev.samsa.impl.log;

import static dev.samsa.impl.log.LogFixtures.TP;
import static dev.samsa.impl.log.LogFixtures.batch;
import static dev.samsa.impl.log.LogFixtures.defaults;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.samsa.impl.protocol.Errors;
import java.util.List;
import org.junit.jupiter.api.Test;

class UnifiedLogTest {

    final LogTestContext ctx = new LogTestContext();

    UnifiedLog open(LogConfig config) {
        return new UnifiedLog(ctx, TP, config);
    }

    @Test
    void emptyLogStartsAtZero() {
        UnifiedLog log = open(defaults());
        assertThat(log.dir()).isEqualTo("orders-0/");
        assertThat(log.logStartOffset()).isZero();
        assertThat(log.logEndOffset()).isZero();
        assertThat(log.highWatermark()).isZero();
        assertThat(log.latestEpoch()).isEqualTo(-1);
        assertThat(log.read(0, 1000, Long.MAX_VALUE)).isEmpty();
        assertThat(log.segmentCount()).isEqualTo(1);
    }

    @Test
    void leaderAppendAssignsOffsetsAndEpoch() {
        UnifiedLog log = open(defaults());
        AppendResult a = log.appendAsLeader(batch(3, 10), 2, 10);
        AppendResult b = log.appendAsLeader(batch(2, 11), 2, 11);
        assertThat(a).isEqualTo(new AppendResult(Errors.NONE, 0, 2, false, 0));
        assertThat(b.firstOffset()).isEqualTo(3);
        assertThat(b.lastOffset()).isEqualTo(4);
        assertThat(log.logEndOffset()).isEqualTo(5);
        assertThat(log.batchContaining(4).partitionLeaderEpoch()).isEqualTo(2);
        assertThat(log.epochEntries()).containsExactly(new long[] {2, 0});
        assertThat(ctx.disk.readAll("orders-0/00000000000000000000.log")).hasSize(2);
    }

    @Test
    void leaderAppendInAnOlderEpochThanCachedIsABug() {
        UnifiedLog log = open(defaults());
        log.appendAsLeader(batch(1, 10), 3, 10);
        assertThatThrownBy(() -> log.appendAsLeader(batch(1, 10), 2, 10)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void readReturnsTheBatchContainingTheOffsetThenUpToMaxBytes() {
        UnifiedLog log = open(defaults());
        for (int i = 0; i < 5; i++) {
            log.appendAsLeader(batch(2, 10), 0, 10); // offsets 0-1, 2-3, 4-5, 6-7, 8-9
        }
        int size = batch(2, 10).sizeBytes();
        List<RecordBatch> r = log.read(3, 2 * size, Long.MAX_VALUE);
        assertThat(r).extracting(RecordBatch::baseOffset).containsExactly(2L, 4L);
        // at least one batch even when it exceeds maxBytes
        assertThat(log.read(3, 1, Long.MAX_VALUE)).extracting(RecordBatch::baseOffset).containsExactly(2L);
        // no batch starting at or beyond the bound
        assertThat(log.read(0, 1 << 20, 6)).extracting(RecordBatch::baseOffset).containsExactly(0L, 2L, 4L);
        assertThat(log.read(6, 1 << 20, 6)).isEmpty();
        assertThat(log.read(10, 1 << 20, Long.MAX_VALUE)).isEmpty();
    }

    @Test
    void readOutsideTheLogIsOutOfRange() {
        UnifiedLog log = open(defaults());
        log.appendAsLeader(batch(2, 10), 0, 10);
        assertThatThrownBy(() -> log.read(3, 100, Long.MAX_VALUE)).isInstanceOf(OffsetOutOfRangeException.class);
        assertThatThrownBy(() -> log.read(-1, 100, Long.MAX_VALUE)).isInstanceOf(OffsetOutOfRangeException.class);
        assertThat(log.read(2, 100, Long.MAX_VALUE)).isEmpty();
    }

    @Test
    void segmentsRollBySizeAndReadsCrossThem() {
        int size = batch(2, 10).sizeBytes();
        UnifiedLog log = open(LogFixtures.segmentBytes(defaults(), 2 * size));
        for (int i = 0; i < 5; i++) {
            log.appendAsLeader(batch(2, 10), 0, 10);
        }
        assertThat(log.segmentCount()).isEqualTo(3);
        assertThat(ctx.disk.files()).contains("orders-0/00000000000000000000.log", "orders-0/00000000000000000004.log",
                "orders-0/00000000000000000008.log");
        assertThat(log.read(1, 1 << 20, Long.MAX_VALUE)).extracting(RecordBatch::baseOffset).containsExactly(0L, 2L, 4L, 6L, 8L);
        assertThat(log.read(5, 1 << 20, Long.MAX_VALUE)).extracting(RecordBatch::baseOffset).containsExactly(4L, 6L, 8L);
        assertThat(log.allBatches()).hasSize(5);
        assertThat(log.sizeBytes()).isEqualTo(5L * size);
        // the rolled segments were flushed at roll
        assertThat(ctx.disk.unsynced("orders-0/00000000000000000000.log")).isZero();
        assertThat(ctx.disk.unsynced("orders-0/00000000000000000004.log")).isZero();
        assertThat(ctx.disk.unsynced("orders-0/00000000000000000008.log")).isEqualTo(1);
    }

    @Test
    void segmentsRollByTimeOnlyWhenNonEmptyAndOldEnough() {
        UnifiedLog log = open(LogFixtures.segmentMs(defaults(), 1000));
        log.appendAsLeader(batch(1, 0), 0, 5000);
        log.appendAsLeader(batch(1, 0), 0, 6000); // exactly segment.ms old: no roll (Kafka rolls when older)
        assertThat(log.segmentCount()).isEqualTo(1);
        log.appendAsLeader(batch(1, 0), 0, 6001);
        assertThat(log.segmentCount()).isEqualTo(2);
        log.appendAsLeader(batch(1, 0), 0, 6002);
        assertThat(log.segmentCount()).isEqualTo(2);
    }

    @Test
    void followerAppendSkipsWhatItHasAndRequiresContinuity() {
        UnifiedLog leader = new UnifiedLog(ctx, new dev.samsa.impl.protocol.TopicPartition("orders", 1), defaults());
        leader.appendAsLeader(batch(2, 10), 1, 10);
        leader.appendAsLeader(batch(2, 10), 3, 10);
        UnifiedLog follower = open(defaults());
        follower.appendAsFollower(leader.read(0, 1 << 20, Long.MAX_VALUE).subList(0, 1), 10);
        follower.appendAsFollower(leader.read(0, 1 << 20, Long.MAX_VALUE), 10);
        assertThat(follower.logEndOffset()).isEqualTo(4);
        assertThat(follower.epochEntries()).containsExactly(new long[] {1, 0}, new long[] {3, 2});
        RecordBatch gap = batch(1, 10).assign(7, 3);
        assertThatThrownBy(() -> follower.appendAsFollower(List.of(gap), 10)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void epochOfBatchBeforeAnOffset() {
        UnifiedLog log = open(LogFixtures.segmentBytes(defaults(), 1));
        log.appendAsLeader(batch(2, 10), 1, 10);
        log.appendAsLeader(batch(2, 10), 4, 10);
        assertThat(log.epochOfBatchBefore(0)).isEqualTo(-1);
        assertThat(log.epochOfBatchBefore(1)).isEqualTo(1);
        assertThat(log.epochOfBatchBefore(2)).isEqualTo(1);
        assertThat(log.epochOfBatchBefore(3)).isEqualTo(4);
        assertThat(log.epochOfBatchBefore(4)).isEqualTo(4);
    }

    @Test
    void highWatermarkIsClampedToTheLog() {
        UnifiedLog log = open(defaults());
        log.appendAsLeader(batch(5, 10), 0, 10);
        log.updateHighWatermark(3);
        assertThat(log.highWatermark()).isEqualTo(3);
        log.updateHighWatermark(99);
        assertThat(log.highWatermark()).isEqualTo(5);
        log.updateHighWatermark(-4);
        assertThat(log.highWatermark()).isZero();
    }

    @Test
    void flushMessagesFsyncsAfterEnoughRecords() {
        UnifiedLog log = open(LogFixtures.flush(defaults(), 3, Long.MAX_VALUE));
        log.appendAsLeader(batch(2, 10), 0, 10);
        assertThat(log.flushedOffset()).isZero();
        log.appendAsLeader(batch(1, 10), 0, 10);
        assertThat(log.flushedOffset()).isEqualTo(3);
        assertThat(ctx.disk.unsynced("orders-0/00000000000000000000.log")).isZero();
    }

    @Test
    void flushMessagesOneFsyncsEveryAppend() {
        UnifiedLog log = open(LogFixtures.flush(defaults(), 1, Long.MAX_VALUE));
        log.appendAsLeader(batch(1, 10), 0, 10);
        assertThat(log.flushedOffset()).isEqualTo(1);
        log.appendAsFollower(List.of(batch(1, 10).assign(1, 0)), 10);
        assertThat(log.flushedOffset()).isEqualTo(2);
    }

    @Test
    void flushMsFlushesWhenTheOldestUnflushedAppendIsOldEnough() {
        UnifiedLog log = open(LogFixtures.flush(defaults(), Long.MAX_VALUE, 1000));
        log.appendAsLeader(batch(1, 10), 0, 5000);
        log.appendAsLeader(batch(1, 10), 0, 5900);
        log.maybeFlush(5999);
        assertThat(log.flushedOffset()).isZero();
        log.maybeFlush(6000);
        assertThat(log.flushedOffset()).isEqualTo(2);
    }

    @Test
    void defaultsNeverFlushOnTheirOwn() {
        UnifiedLog log = open(defaults());
        log.appendAsLeader(batch(1, 10), 0, 0);
        log.maybeFlush(Long.MAX_VALUE);
        assertThat(log.flushedOffset()).isZero();
        log.flush();
        assertThat(log.flushedOffset()).isEqualTo(1);
    }
}
