package dev.samsa.impl.log;

import static dev.samsa.impl.log.LogFixtures.TP;
import static dev.samsa.impl.log.LogFixtures.batch;
import static dev.samsa.impl.log.LogFixtures.defaults;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LeaderEpochCacheTest {

    final LogTestContext ctx = new LogTestContext();
    final LeaderEpochFileCache cache = new LeaderEpochFileCache(ctx.disk, "t-0/leader-epoch-checkpoint");

    @Test
    void emptyCacheIsUndefined() {
        assertThat(cache.endOffsetFor(3, 10)).isEqualTo(EpochEndOffset.UNDEFINED);
        assertThat(cache.latestEpoch()).isEqualTo(-1);
    }

    @Test
    void kip279Answers() {
        cache.assign(2, 0);
        cache.assign(4, 10);
        cache.assign(7, 25);
        // the latest epoch ends at the log end
        assertThat(cache.endOffsetFor(7, 40)).isEqualTo(new EpochEndOffset(7, 40));
        // a known epoch ends where the next begins
        assertThat(cache.endOffsetFor(4, 40)).isEqualTo(new EpochEndOffset(4, 25));
        // an unknown epoch between two: the largest below it, ending where the next begins
        assertThat(cache.endOffsetFor(5, 40)).isEqualTo(new EpochEndOffset(4, 25));
        assertThat(cache.endOffsetFor(3, 40)).isEqualTo(new EpochEndOffset(2, 10));
        // older than the first entry (KAFKA-7415): the requested epoch and the first start
        assertThat(cache.endOffsetFor(1, 40)).isEqualTo(new EpochEndOffset(1, 0));
        // above the latest and undefined requests: UNDEFINED, as Kafka
        assertThat(cache.endOffsetFor(8, 40)).isEqualTo(EpochEndOffset.UNDEFINED);
        assertThat(cache.endOffsetFor(-1, 40)).isEqualTo(EpochEndOffset.UNDEFINED);
    }

    @Test
    void assignKeepsEpochsAndOffsetsMonotonic() {
        cache.assign(2, 0);
        cache.assign(4, 10);
        cache.assign(4, 12); // same epoch later: no-op
        assertThat(cache.entries()).containsExactly(new EpochEntry(2, 0), new EpochEntry(4, 10));
        cache.assign(3, 5); // an older epoch replaces what conflicts with it
        assertThat(cache.entries()).containsExactly(new EpochEntry(2, 0), new EpochEntry(3, 5));
        cache.assign(6, 5); // a newer epoch at the same start replaces the entry there
        assertThat(cache.entries()).containsExactly(new EpochEntry(2, 0), new EpochEntry(6, 5));
        assertThatThrownBy(() -> cache.assign(-1, 5)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void everyChangeIsCheckpointed() {
        cache.assign(2, 0);
        cache.assign(4, 10);
        assertThat(Checkpoints.readEpochs(ctx.disk, "t-0/leader-epoch-checkpoint"))
                .containsExactly(new EpochEntry(2, 0), new EpochEntry(4, 10));
        ctx.disk.powerLoss();
        assertThat(Checkpoints.readEpochs(ctx.disk, "t-0/leader-epoch-checkpoint")).hasSize(2);
    }

    @Test
    void truncateFromEndRemovesEntriesAtOrAfterTheEnd() {
        cache.assign(2, 0);
        cache.assign(4, 10);
        cache.assign(5, 20);
        cache.truncateFromEnd(20);
        assertThat(cache.entries()).containsExactly(new EpochEntry(2, 0), new EpochEntry(4, 10));
        cache.truncateFromEnd(11);
        assertThat(cache.entries()).containsExactly(new EpochEntry(2, 0), new EpochEntry(4, 10));
    }

    @Test
    void truncateFromStartMovesTheEpochThatCoversTheNewStart() {
        cache.assign(2, 0);
        cache.assign(4, 10);
        cache.assign(5, 20);
        cache.truncateFromStart(15);
        assertThat(cache.entries()).containsExactly(new EpochEntry(4, 15), new EpochEntry(5, 20));
        cache.truncateFromStart(20);
        assertThat(cache.entries()).containsExactly(new EpochEntry(5, 20));
        cache.truncateFromStart(3);
        assertThat(cache.entries()).containsExactly(new EpochEntry(5, 20));
    }

    @Test
    void aNewLeaderAnswersForItsEpochAtOnce() {
        UnifiedLog log = new UnifiedLog(ctx, TP, defaults());
        log.appendAsLeader(batch(3, 10), 1, 10);
        log.assignEpochStartOffset(2, log.logEndOffset());
        assertThat(log.endOffsetForEpoch(1)).isEqualTo(new EpochEndOffset(1, 3));
        assertThat(log.endOffsetForEpoch(2)).isEqualTo(new EpochEndOffset(2, 3));
        log.appendAsLeader(batch(2, 10), 2, 10);
        assertThat(log.endOffsetForEpoch(2)).isEqualTo(new EpochEndOffset(2, 5));
        assertThat(log.epochEntries()).containsExactly(new long[] {1, 0}, new long[] {2, 3});
    }
}
