package dev.samsa.impl.log;

import static dev.samsa.impl.log.LogFixtures.TP;
import static dev.samsa.impl.log.LogFixtures.batch;
import static dev.samsa.impl.log.LogFixtures.defaults;
import static org.assertj.core.api.Assertions.assertThat;

import dev.samsa.impl.node.RandomStream;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Random appends, epoch changes, truncations, flushes, power losses and restarts (seeded, so a
 * failure replays): offsets stay contiguous from the log start to the log end, the epoch cache
 * stays monotonic and agrees with the batches' epochs, and fsynced data survives power losses.
 */
class LogRandomizedTest {

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16})
    void offsetsStayContiguousAndTheEpochCacheConsistent(long seed) {
        RandomStream random = new RandomStream(seed);
        LogTestContext ctx = new LogTestContext();
        LogConfig config = LogFixtures.segmentBytes(defaults(), 3 * batch(2, 0).sizeBytes());
        UnifiedLog log = new UnifiedLog(ctx, TP, config);
        int epoch = 0;
        for (int step = 0; step < 300; step++) {
            int op = random.nextInt(20);
            if (op < 12) {
                log.appendAsLeader(batch(1 + random.nextInt(3), step), epoch, step);
            } else if (op < 14) {
                epoch++;
                log.assignEpochStartOffset(epoch, log.logEndOffset());
            } else if (op < 16 && log.logEndOffset() > 0) {
                log.truncateTo(log.logEndOffset() - random.nextInt((int) Math.min(8, log.logEndOffset()) + 1));
            } else if (op < 17) {
                log.flush();
            } else if (op < 18) {
                long durable = log.flushedOffset();
                ctx.disk.powerLoss((file, unsynced) -> random.nextInt(unsynced + 1));
                log = new UnifiedLog(ctx, TP, config);
                assertThat(log.logEndOffset()).isGreaterThanOrEqualTo(durable);
            } else {
                log = new UnifiedLog(ctx, TP, config);
            }
            epoch = Math.max(epoch, log.latestEpoch());
            checkConsistent(log);
        }
    }

    static void checkConsistent(UnifiedLog log) {
        List<RecordBatch> batches = log.allBatches();
        long next = log.logStartOffset();
        int lastEpoch = -1;
        int expectedEntries = 0;
        for (RecordBatch b : batches) {
            assertThat(b.baseOffset()).isEqualTo(next);
            next = b.nextOffset();
            if (b.partitionLeaderEpoch() > lastEpoch) {
                lastEpoch = b.partitionLeaderEpoch();
                expectedEntries++;
                assertThat(log.endOffsetForEpoch(lastEpoch).leaderEpoch()).isEqualTo(lastEpoch);
            }
            assertThat(b.partitionLeaderEpoch()).isGreaterThanOrEqualTo(lastEpoch);
        }
        assertThat(next).isEqualTo(log.logEndOffset());
        List<long[]> entries = log.epochEntries();
        assertThat(entries.size()).isGreaterThanOrEqualTo(expectedEntries);
        for (int i = 1; i < entries.size(); i++) {
            assertThat(entries.get(i)[0]).isGreaterThan(entries.get(i - 1)[0]);
            assertThat(entries.get(i)[1]).isGreaterThan(entries.get(i - 1)[1]);
        }
        if (!entries.isEmpty()) {
            assertThat(entries.get(entries.size() - 1)[1]).isLessThanOrEqualTo(log.logEndOffset());
        }
        for (RecordBatch b : batches) {
            EpochEndOffset e = log.endOffsetForEpoch(b.partitionLeaderEpoch());
            assertThat(e.endOffset()).isGreaterThanOrEqualTo(b.nextOffset());
        }
        assertThat(log.highWatermark()).isBetween(log.logStartOffset(), log.logEndOffset());
        assertThat(log.flushedOffset()).isLessThanOrEqualTo(log.logEndOffset());
    }
}
