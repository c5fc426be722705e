package dev.samsa.impl.log;

import static dev.samsa.impl.log.LogFixtures.TP;
import static dev.samsa.impl.log.LogFixtures.batch;
import static dev.samsa.impl.log.LogFixtures.defaults;
import static org.assertj.core.api.Assertions.assertThat;

import dev.samsa.impl.node.Disk;
import org.junit.jupiter.api.Test;

class LogRecoveryTest {

    static final String SEG0 = "orders-0/00000000000000000000.log";

    final LogTestContext ctx = new LogTestContext();

    UnifiedLog open(LogConfig config) {
        return new UnifiedLog(ctx, TP, config);
    }

    @Test
    void aKillKeepsThePageCache() {
        UnifiedLog log = open(defaults());
        log.appendAsLeader(batch(2, 10), 1, 10);
        log.appendAsLeader(batch(3, 10), 1, 10);
        UnifiedLog reopened = open(defaults());
        assertThat(reopened.logEndOffset()).isEqualTo(5);
        assertThat(reopened.flushedOffset()).isEqualTo(5);
        assertThat(ctx.disk.unsynced(SEG0)).isZero(); // recovery fsyncs what it recovered
        assertThat(reopened.epochEntries()).containsExactly(new long[] {1, 0});
    }

    @Test
    void aPowerLossDropsTheUnflushedSuffix() {
        UnifiedLog log = open(defaults());
        log.appendAsLeader(batch(2, 10), 1, 10);
        log.flush();
        log.appendAsLeader(batch(3, 10), 1, 10);
        log.appendAsLeader(batch(3, 10), 1, 10);
        ctx.disk.powerLoss((file, unsynced) -> 1); // the OS wrote back one of the two
        UnifiedLog reopened = open(defaults());
        assertThat(reopened.logEndOffset()).isEqualTo(5);
        ctx.disk.powerLoss();
        assertThat(open(defaults()).logEndOffset()).isEqualTo(5);
    }

    @Test
    void aTornEntryEndsTheLogAndIsTruncatedDurably() {
        UnifiedLog log = open(defaults());
        log.appendAsLeader(batch(2, 10), 1, 10);
        log.flush();
        log.appendAsLeader(batch(3, 10), 1, 10);
        log.appendAsLeader(batch(3, 10), 1, 10);
        ctx.disk.powerLoss(new PowerLossDisk.Survival() {
            @Override
            public int keep(String file, int unsynced) {
                return 2;
            }

            @Override
            public boolean tear(String file) {
                return true;
            }
        });
        assertThat(ctx.disk.read(SEG0, 2)).isSameAs(Disk.TORN);
        UnifiedLog reopened = open(defaults());
        assertThat(reopened.logEndOffset()).isEqualTo(5);
        assertThat(ctx.disk.size(SEG0)).isEqualTo(2);
        assertThat(ctx.disk.unsynced(SEG0)).isZero();
        reopened.appendAsLeader(batch(1, 10), 2, 10);
        assertThat(reopened.batchContaining(5).partitionLeaderEpoch()).isEqualTo(2);
    }

    @Test
    void aBatchThatDoesNotContinueTheLogEndsIt() {
        ctx.disk.append(SEG0, batch(2, 10).assign(0, 1), 10);
        ctx.disk.append(SEG0, batch(2, 10).assign(3, 1), 10); // gap at 2
        ctx.disk.append(SEG0, batch(2, 10).assign(5, 1), 10);
        UnifiedLog log = open(defaults());
        assertThat(log.logEndOffset()).isEqualTo(2);
        assertThat(ctx.disk.size(SEG0)).isEqualTo(1);
    }

    @Test
    void aLaterSegmentAfterAnEarlierOneLostItsTailIsAGapAndGoes() {
        String seg4 = "orders-0/00000000000000000004.log";
        String seg8 = "orders-0/00000000000000000008.log";
        ctx.disk.append(SEG0, batch(2, 10).assign(0, 1), 10);
        ctx.disk.append(SEG0, batch(2, 10).assign(2, 1), 10);
        ctx.disk.append(seg4, batch(4, 10).assign(4, 1), 10);
        ctx.disk.append(seg8, batch(1, 10).assign(8, 1), 10);
        ctx.disk.truncate(SEG0, 1); // the first segment lost its tail, later ones kept theirs
        UnifiedLog log = open(defaults());
        assertThat(log.logEndOffset()).isEqualTo(2);
        assertThat(log.segmentCount()).isEqualTo(1);
        assertThat(ctx.disk.files()).doesNotContain(seg4, seg8);
    }

    @Test
    void contiguousSegmentsAllSurvive() {
        int size = batch(2, 10).sizeBytes();
        UnifiedLog log = open(LogFixtures.segmentBytes(defaults(), size));
        for (int i = 0; i < 4; i++) {
            log.appendAsLeader(batch(2, 10), i, 10);
        }
        UnifiedLog reopened = open(LogFixtures.segmentBytes(defaults(), size));
        assertThat(reopened.segmentCount()).isEqualTo(4);
        assertThat(reopened.logEndOffset()).isEqualTo(8);
        assertThat(reopened.epochEntries()).hasSize(4);
        assertThat(reopened.read(5, 1 << 20, Long.MAX_VALUE)).extracting(RecordBatch::baseOffset).containsExactly(4L, 6L);
    }

    @Test
    void highWatermarkAndLogStartComeFromTheirCheckpointsClamped() {
        UnifiedLog log = open(defaults());
        log.appendAsLeader(batch(5, 10), 1, 10);
        log.updateHighWatermark(4);
        log.checkpointHighWatermark();
        UnifiedLog reopened = open(defaults());
        assertThat(reopened.highWatermark()).isEqualTo(4);
        ctx.disk.replace("orders-0/high-watermark", new Checkpoints.OffsetCheckpoint(40), 8);
        assertThat(open(defaults()).highWatermark()).isEqualTo(5);
        // a log start checkpoint inside the first segment holds
        ctx.disk.replace("orders-0/log-start-offset", new Checkpoints.OffsetCheckpoint(2), 8);
        UnifiedLog moved = open(defaults());
        assertThat(moved.logStartOffset()).isEqualTo(2);
        assertThat(moved.highWatermark()).isEqualTo(5);
    }

    @Test
    void anEpochStartedWithoutAppendingSurvivesARestart() {
        UnifiedLog log = open(defaults());
        log.appendAsLeader(batch(2, 10), 1, 10);
        log.assignEpochStartOffset(3, 2); // a new leader at LEO 2 (KAFKA-7415)
        UnifiedLog reopened = open(defaults());
        assertThat(reopened.epochEntries()).containsExactly(new long[] {1, 0}, new long[] {3, 2});
        assertThat(reopened.latestEpoch()).isEqualTo(3);
    }

    @Test
    void checkpointedEpochsBeyondTheRecoveredLogAreDropped() {
        UnifiedLog log = open(defaults());
        log.appendAsLeader(batch(2, 10), 1, 10);
        log.flush();
        log.assignEpochStartOffset(3, 2);
        log.appendAsLeader(batch(2, 10), 3, 10);
        log.assignEpochStartOffset(5, 4);
        ctx.disk.powerLoss(); // the epoch-3 batch was never fsynced
        UnifiedLog reopened = open(defaults());
        assertThat(reopened.logEndOffset()).isEqualTo(2);
        assertThat(reopened.epochEntries()).containsExactly(new long[] {1, 0}, new long[] {3, 2});
    }

    @Test
    void anEmptyLogRestartsWhereItWasTruncatedFully() {
        UnifiedLog log = open(defaults());
        log.appendAsLeader(batch(2, 10), 1, 10);
        log.truncateFullyAndStartAt(100);
        UnifiedLog reopened = open(defaults());
        assertThat(reopened.logStartOffset()).isEqualTo(100);
        assertThat(reopened.logEndOffset()).isEqualTo(100);
        reopened.appendAsLeader(batch(1, 10), 2, 10);
        assertThat(open(defaults()).logEndOffset()).isEqualTo(101);
    }
}
