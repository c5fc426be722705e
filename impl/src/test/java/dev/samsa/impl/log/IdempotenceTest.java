package dev.samsa.impl.log;

import static dev.samsa.impl.log.LogFixtures.TP;
import static dev.samsa.impl.log.LogFixtures.defaults;
import static dev.samsa.impl.log.LogFixtures.idempotent;
import static org.assertj.core.api.Assertions.assertThat;

import dev.samsa.impl.protocol.Errors;
import org.junit.jupiter.api.Test;

class IdempotenceTest {

    final LogTestContext ctx = new LogTestContext();
    UnifiedLog log = new UnifiedLog(ctx, TP, defaults());

    AppendResult append(long pid, int epoch, int seq, int n) {
        return log.appendAsLeader(idempotent(pid, epoch, seq, n, 10), 1, 10);
    }

    @Test
    void aRetriedBatchGetsItsOriginalOffsets() {
        append(7, 0, 0, 3);
        append(7, 0, 3, 2);
        AppendResult dup = append(7, 0, 0, 3);
        assertThat(dup).isEqualTo(new AppendResult(Errors.NONE, 0, 2, true, 0));
        assertThat(log.logEndOffset()).isEqualTo(5);
        assertThat(ctx.reached).contains("log.duplicate-batch");
    }

    @Test
    void onlyTheLastFiveBatchesAreRemembered() {
        for (int i = 0; i < 6; i++) {
            append(7, 0, i, 1);
        }
        assertThat(append(7, 0, 1, 1).duplicate()).isTrue();
        AppendResult tooOld = append(7, 0, 0, 1);
        assertThat(tooOld.error()).isEqualTo(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER);
    }

    @Test
    void aSequenceGapIsOutOfOrder() {
        append(7, 0, 0, 3);
        AppendResult gap = append(7, 0, 4, 1);
        assertThat(gap.error()).isEqualTo(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER);
        assertThat(log.logEndOffset()).isEqualTo(3);
        assertThat(ctx.reached).contains("log.out-of-order-sequence");
        assertThat(append(7, 0, 3, 1).error()).isEqualTo(Errors.NONE);
    }

    @Test
    void anOlderEpochIsFenced() {
        append(7, 2, 0, 1);
        assertThat(append(7, 1, 1, 1).error()).isEqualTo(Errors.INVALID_PRODUCER_EPOCH);
        assertThat(append(7, 1, 0, 1).error()).isEqualTo(Errors.INVALID_PRODUCER_EPOCH);
    }

    @Test
    void aNewEpochStartsAtSequenceZero() {
        append(7, 0, 0, 5);
        assertThat(append(7, 1, 5, 1).error()).isEqualTo(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER);
        assertThat(append(7, 1, 0, 1).error()).isEqualTo(Errors.NONE);
        assertThat(log.producerState(7)).containsExactly(1, 0, 5);
    }

    @Test
    void anUnknownProducerMayStartAnywhere() {
        assertThat(append(9, 3, 1234, 2).error()).isEqualTo(Errors.NONE);
        assertThat(append(9, 3, 1236, 1).error()).isEqualTo(Errors.NONE);
    }

    @Test
    void sequencesWrapAtIntMax() {
        append(7, 0, Integer.MAX_VALUE - 1, 2); // sequences MAX-1, MAX
        assertThat(log.producerState(7)[1]).isEqualTo(Integer.MAX_VALUE);
        assertThat(append(7, 0, 0, 1).error()).isEqualTo(Errors.NONE);
    }

    @Test
    void stateSurvivesRecovery() {
        append(7, 0, 0, 3);
        append(7, 0, 3, 2);
        log = new UnifiedLog(ctx, TP, defaults());
        assertThat(append(7, 0, 3, 2)).isEqualTo(new AppendResult(Errors.NONE, 3, 4, true, 0));
        assertThat(append(7, 0, 6, 1).error()).isEqualTo(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER);
    }

    @Test
    void followersTakeBatchesWithoutValidation() {
        log.appendAsFollower(java.util.List.of(idempotent(7, 0, 10, 1, 10).assign(0, 1), idempotent(7, 0, 50, 1, 10).assign(1, 1)), 10);
        assertThat(log.producerState(7)).containsExactly(0, 50, 1);
    }

    @Test
    void idleProducersExpire() {
        log = new UnifiedLog(ctx, TP, LogFixtures.producerExpiration(defaults(), 1000));
        append(7, 0, 0, 1); // record timestamp 10
        log.deleteOldSegments(1009);
        assertThat(log.producerState(7)).isNotNull();
        log.deleteOldSegments(1010);
        assertThat(log.producerState(7)).isNull();
        assertThat(append(7, 0, 42, 1).error()).isEqualTo(Errors.NONE);
    }

    @Test
    void aMarkerBumpsTheEpochWithoutASequence() {
        append(7, 0, 0, 2);
        log.appendAsLeader(LogFixtures.control(7, 1, 10), 1, 10);
        assertThat(log.producerState(7)).containsExactly(1, -1, -1);
        assertThat(append(7, 0, 2, 1).error()).isEqualTo(Errors.INVALID_PRODUCER_EPOCH);
        assertThat(append(7, 1, 0, 1).error()).isEqualTo(Errors.NONE);
    }
}
