package dev.samsa.impl.log;

import static dev.samsa.impl.log.LogFixtures.TP;
import static dev.samsa.impl.log.LogFixtures.batch;
import static dev.samsa.impl.log.LogFixtures.defaults;
import static dev.samsa.impl.log.LogFixtures.idempotent;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TruncationTest {

    final LogTestContext ctx = new LogTestContext();
    final int size = batch(2, 10).sizeBytes();

    UnifiedLog open() {
        return new UnifiedLog(ctx, TP, LogFixtures.segmentBytes(defaults(), 2 * size));
    }

    /** Offsets 0-1 e1, 2-3 e1 | 4-5 e2, 6-7 e2 | 8-9 e3. */
    UnifiedLog filled() {
        UnifiedLog log = open();
        log.appendAsLeader(batch(2, 10), 1, 10);
        log.appendAsLeader(batch(2, 10), 1, 10);
        log.appendAsLeader(batch(2, 10), 2, 10);
        log.appendAsLeader(batch(2, 10), 2, 10);
        log.appendAsLeader(batch(2, 10), 3, 10);
        log.updateHighWatermark(10);
        return log;
    }

    @Test
    void truncateAtABatchBoundaryAcrossSegments() {
        UnifiedLog log = filled();
        log.truncateTo(4);
        assertThat(log.logEndOffset()).isEqualTo(4);
        // as Kafka, the segment starting at the target stays, empty, as the active one
        assertThat(log.segmentCount()).isEqualTo(2);
        assertThat(log.highWatermark()).isEqualTo(4);
        assertThat(log.epochEntries()).containsExactly(new long[] {1, 0});
        assertThat(ctx.reached).contains("log.truncated");
        assertThat(ctx.disk.files()).containsExactly("orders-0/00000000000000000000.log", "orders-0/00000000000000000004.log",
                "orders-0/leader-epoch-checkpoint");
        assertThat(ctx.disk.size("orders-0/00000000000000000004.log")).isZero();
        log.appendAsLeader(batch(1, 10), 4, 10);
        assertThat(log.read(4, 1 << 20, Long.MAX_VALUE)).extracting(RecordBatch::partitionLeaderEpoch).containsExactly(4);
    }

    @Test
    void aStraddlingBatchGoesWhole() {
        UnifiedLog log = filled();
        log.truncateTo(7);
        assertThat(log.logEndOffset()).isEqualTo(6);
        assertThat(log.epochEntries()).containsExactly(new long[] {1, 0}, new long[] {2, 4});
    }

    @Test
    void truncatingAtOrPastTheEndDoesNothing() {
        UnifiedLog log = filled();
        log.truncateTo(10);
        log.truncateTo(50);
        assertThat(log.logEndOffset()).isEqualTo(10);
        assertThat(ctx.reached).doesNotContain("log.truncated");
    }

    @Test
    void truncationIsDurable() {
        UnifiedLog log = filled();
        log.truncateTo(2);
        ctx.disk.powerLoss();
        UnifiedLog reopened = open();
        assertThat(reopened.logEndOffset()).isEqualTo(2);
        assertThat(reopened.epochEntries()).containsExactly(new long[] {1, 0});
    }

    @Test
    void truncationRebuildsProducerState() {
        UnifiedLog log = open();
        log.appendAsLeader(idempotent(7, 0, 0, 2, 10), 1, 10);
        log.appendAsLeader(idempotent(7, 0, 2, 2, 10), 1, 10);
        log.truncateTo(2);
        assertThat(log.producerState(7)).containsExactly(0, 1, 1);
        // the removed batch is not a duplicate any more: it is appended again
        AppendResult again = log.appendAsLeader(idempotent(7, 0, 2, 2, 10), 1, 10);
        assertThat(again.duplicate()).isFalse();
        assertThat(again.firstOffset()).isEqualTo(2);
    }

    @Test
    void truncateFullyAndStartAt() {
        UnifiedLog log = filled();
        log.truncateFullyAndStartAt(42);
        assertThat(log.logStartOffset()).isEqualTo(42);
        assertThat(log.logEndOffset()).isEqualTo(42);
        assertThat(log.highWatermark()).isEqualTo(42);
        assertThat(log.epochEntries()).isEmpty();
        assertThat(log.segmentCount()).isEqualTo(1);
        assertThat(log.read(42, 100, Long.MAX_VALUE)).isEmpty();
        log.appendAsLeader(batch(1, 10), 5, 10);
        assertThat(log.read(42, 100, Long.MAX_VALUE)).extracting(RecordBatch::baseOffset).containsExactly(42L);
        assertThat(ctx.disk.files()).contains("orders-0/00000000000000000042.log").doesNotContain("orders-0/00000000000000000000.log");
    }

    @Test
    void truncatingBelowTheLogStartStartsAfresh() {
        UnifiedLog log = filled();
        log.deleteOldSegments(10); // nothing is old; the log start stays
        log.maybeIncrementLogStartOffset(5);
        log.truncateTo(3);
        assertThat(log.logStartOffset()).isEqualTo(3);
        assertThat(log.logEndOffset()).isEqualTo(3);
    }
}
