package dev.samsa.impl.replication;

import static dev.samsa.impl.replication.ReplicaFixture.TP;
import static dev.samsa.impl.replication.ReplicaFixture.end;
import static org.assertj.core.api.Assertions.assertThat;

import dev.samsa.impl.log.EpochEndOffset;
import dev.samsa.impl.protocol.ApiMessage;
import dev.samsa.impl.protocol.ApiMessage.EpochResponsePartition;
import dev.samsa.impl.protocol.ApiMessage.ListOffsetsPartition;
import dev.samsa.impl.protocol.ApiMessage.ListOffsetsPartitionResponse;
import dev.samsa.impl.protocol.ApiMessage.ListOffsetsRequest;
import dev.samsa.impl.protocol.ApiMessage.ListOffsetsResponse;
import dev.samsa.impl.protocol.ApiMessage.FetchPartitionResponse;
import dev.samsa.impl.protocol.ApiMessage.FetchRequest;
import dev.samsa.impl.protocol.ApiMessage.FetchResponse;
import dev.samsa.impl.protocol.ApiMessage.OffsetsForLeaderEpochRequest;
import dev.samsa.impl.protocol.ApiMessage.OffsetsForLeaderEpochResponse;
import dev.samsa.impl.protocol.Errors;
import dev.samsa.spec.bugs.Bug;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The follower side: truncation by leader epoch (KIP-279/KIP-320), diverging epochs, out of range, and their historical bugs. */
class FollowerTest {

    /**
     * Broker 0 follows broker 1 in epoch 0 and has [a b] in epoch 0 and [c d] in epoch 1 (HW 1);
     * then broker 2 becomes leader in epoch 3 (broker 0 never saw epoch 2).
     */
    static ReplicaFixture followerWithFourRecords(Bug... bugs) {
        return followerWithFourRecords("2.6", bugs);
    }

    /** As above; {@code ibp} 2.6 truncates through OffsetsForLeaderEpoch first, 3.9 on fetch. */
    static ReplicaFixture followerWithFourRecords(String ibp, Bug... bugs) {
        ReplicaFixture f = new ReplicaFixture(0, bugs).set("inter.broker.protocol.version", ibp).start();
        f.create(TP, 1, List.of(0, 1, 2));
        f.appendAsFollower(TP, 0, "a", "b");
        f.appendAsFollower(TP, 1, "c", "d");
        f.partition(TP).log().updateHighWatermark(1);
        f.change(TP, 2, 3, List.of(0, 2));
        return f;
    }

    static OffsetsForLeaderEpochRequest lastEpochRequest(ReplicaFixture f) {
        return f.last(OffsetsForLeaderEpochRequest.class);
    }

    static void answerEpoch(ReplicaFixture f, EpochEndOffset leaderEnd) {
        OffsetsForLeaderEpochRequest q = lastEpochRequest(f);
        f.rm.handle(2, new OffsetsForLeaderEpochResponse(q.correlationId(), List.of(new EpochResponsePartition(TP, Errors.NONE, leaderEnd))));
    }

    @Test
    void aNewFollowerAsksTheLeaderAboutItsLatestEpochAndTruncatesToTheSmallerEnd() {
        ReplicaFixture f = followerWithFourRecords();
        assertThat(f.partition(TP).log().logEndOffset()).isEqualTo(4); // nothing truncated before the answer
        OffsetsForLeaderEpochRequest q = lastEpochRequest(f);
        assertThat(f.ctx.outbox.get(f.ctx.outbox.size() - 1).to()).isEqualTo(2);
        assertThat(q.partitions().get(0).leaderEpoch()).isEqualTo(1);
        assertThat(q.partitions().get(0).currentLeaderEpoch()).isEqualTo(3);
        answerEpoch(f, end(1, 3));
        assertThat(f.partition(TP).log().logEndOffset()).isEqualTo(3);
        assertThat(f.partition(TP).truncating()).isFalse();
        FetchRequest fetch = f.last(FetchRequest.class);
        assertThat(fetch.partitions().get(0).fetchOffset()).isEqualTo(3);
        assertThat(fetch.partitions().get(0).lastFetchedEpoch()).isEqualTo(-1); // 2.6: Fetch carries no last epoch (Fetch v12 came in 2.8)
        assertThat(fetch.replicaEpoch()).isEqualTo(0);
    }

    @Test
    void whenTheLeaderAnswersWithAnEpochTheFollowerLacksItTruncatesAndAsksAgain() {
        ReplicaFixture f = new ReplicaFixture(0).set("inter.broker.protocol.version", "2.6").start();
        f.create(TP, 1, List.of(0, 1, 2));
        f.appendAsFollower(TP, 0, "a", "b");
        f.appendAsFollower(TP, 2, "x", "y");
        f.change(TP, 2, 3, List.of(0, 2));
        assertThat(lastEpochRequest(f).partitions().get(0).leaderEpoch()).isEqualTo(2);
        answerEpoch(f, end(1, 5)); // the leader's largest epoch <= 2 is 1, which we never had
        assertThat(f.partition(TP).log().logEndOffset()).isEqualTo(2);
        assertThat(f.partition(TP).truncating()).isTrue();
        assertThat(lastEpochRequest(f).partitions().get(0).leaderEpoch()).isZero();
        answerEpoch(f, end(0, 1));
        assertThat(f.partition(TP).log().logEndOffset()).isEqualTo(1);
        assertThat(f.partition(TP).truncating()).isFalse();
        assertThat(f.last(FetchRequest.class).partitions().get(0).fetchOffset()).isEqualTo(1);
    }

    @Test
    void withKafka1211ANewFollowerTruncatesToItsOwnHighWatermark() {
        ReplicaFixture f = followerWithFourRecords(Bug.KAFKA_1211);
        assertThat(f.partition(TP).log().logEndOffset()).isEqualTo(1);
        assertThat(f.ctx.sent(OffsetsForLeaderEpochRequest.class)).isEmpty();
        assertThat(f.last(FetchRequest.class).partitions().get(0).fetchOffset()).isEqualTo(1);
    }

    @Test
    void aNewEpochOfTheSameLeaderGoesThroughTruncationUnlessKafka7164() {
        ReplicaFixture f = new ReplicaFixture(0).set("inter.broker.protocol.version", "2.6").start();
        f.create(TP, 1, List.of(0, 1, 2));
        answerEpochFrom(f, 1);
        assertThat(f.partition(TP).truncating()).isFalse();
        f.change(TP, 1, 2, List.of(0, 1, 2));
        assertThat(f.partition(TP).truncating()).isTrue();

        ReplicaFixture g = new ReplicaFixture(0, Bug.KAFKA_7164).set("inter.broker.protocol.version", "2.6").start();
        g.create(TP, 1, List.of(0, 1, 2));
        answerEpochFrom(g, 1);
        g.change(TP, 1, 2, List.of(0, 1, 2));
        assertThat(g.partition(TP).truncating()).isFalse();
    }

    private static void answerEpochFrom(ReplicaFixture f, int leader) {
        OffsetsForLeaderEpochRequest q = lastEpochRequest(f);
        f.rm.handle(leader, new OffsetsForLeaderEpochResponse(q.correlationId(), List.of(new EpochResponsePartition(TP, Errors.NONE, EpochEndOffset.UNDEFINED))));
    }

    /** Past the truncation phase (the leader confirmed epoch 1 up to 4): a fetch at 4 is in flight. */
    static ReplicaFixture fetchingFollower(Bug... bugs) {
        ReplicaFixture f = followerWithFourRecords(bugs);
        if (!f.partition(TP).truncating()) {
            return f;
        }
        answerEpoch(f, end(1, 4));
        assertThat(f.last(FetchRequest.class).partitions().get(0).fetchOffset()).isEqualTo(4);
        return f;
    }

    static void answerFetch(ReplicaFixture f, FetchPartitionResponse r) {
        f.rm.handle(2, new FetchResponse(f.last(FetchRequest.class).correlationId(), Errors.NONE, List.of(r)));
    }

    static FetchPartitionResponse diverging(long hw) {
        return new FetchPartitionResponse(TP, Errors.NONE, hw, hw, 0, end(0, 2), 2, 3, List.of(), List.of());
    }

    @Test
    void aDivergingEpochTruncatesAndIgnoresTheResponsesHighWatermark() {
        ReplicaFixture f = fetchingFollower();
        answerFetch(f, diverging(3));
        assertThat(f.partition(TP).log().logEndOffset()).isEqualTo(2);
        assertThat(f.partition(TP).log().highWatermark()).isEqualTo(1);
    }

    @Test
    void withKafka14704TheHighWatermarkIsAppliedBeforeTruncating() {
        ReplicaFixture f = followerWithFourRecords("3.9", Bug.KAFKA_14704);
        assertThat(f.partition(TP).truncating()).isFalse(); // truncation on fetch: the first Fetch carries the last epoch
        answerFetch(f, diverging(3));
        assertThat(f.partition(TP).log().logEndOffset()).isEqualTo(4); // not truncated yet
        assertThat(f.partition(TP).log().highWatermark()).isEqualTo(3); // but offset 2 of the divergent epoch is exposed
        f.advanceToMs(2_000); // the fetcher's next round truncates
        assertThat(f.partition(TP).log().logEndOffset()).isEqualTo(2);
        assertThat(f.partition(TP).log().highWatermark()).isEqualTo(2);
    }

    @Test
    void onFetchTheFirstFetchCarriesTheLastEpochAndADivergingAnswerTruncatesAtOnce() {
        ReplicaFixture f = followerWithFourRecords("3.9");
        assertThat(f.partition(TP).truncating()).isFalse();
        assertThat(f.last(FetchRequest.class).partitions().get(0).lastFetchedEpoch()).isEqualTo(1);
        answerFetch(f, diverging(3));
        assertThat(f.partition(TP).log().logEndOffset()).isEqualTo(2);
        assertThat(f.partition(TP).log().highWatermark()).isEqualTo(1);
    }

    static FetchPartitionResponse outOfRange(long leaderStart, long leaderHw) {
        return new FetchPartitionResponse(TP, Errors.OFFSET_OUT_OF_RANGE, leaderHw, leaderHw, leaderStart, EpochEndOffset.UNDEFINED, 2, 3, List.of(), List.of());
    }

    @Test
    void outOfRangeAheadOfTheLeaderTruncatesByEpoch() {
        ReplicaFixture f = fetchingFollower();
        answerFetch(f, outOfRange(0, 4));
        assertThat(f.partition(TP).log().logEndOffset()).isEqualTo(4);
        assertThat(f.partition(TP).truncating()).isTrue();
        assertThat(f.ctx.sent(ListOffsetsRequest.class)).isEmpty();
    }

    static ListOffsetsPartition answerListOffsets(ReplicaFixture f, long offset) {
        ListOffsetsRequest q = f.last(ListOffsetsRequest.class);
        assertThat(f.ctx.outbox.get(f.ctx.outbox.size() - 1).to()).isEqualTo(2);
        assertThat(q.replicaId()).isZero(); // as a replica: the leader answers its log end, not its HW
        ListOffsetsPartition asked = q.partitions().get(0);
        f.rm.handle(2, new ListOffsetsResponse(q.correlationId(), List.of(new ListOffsetsPartitionResponse(TP, Errors.NONE, offset, 3))));
        return asked;
    }

    /**
     * The race of KAFKA-2143 on a pre-KIP-101 follower (its log truncated to its HW 1 on becoming
     * follower): its fetch at 1 is out of range, but by the time it asks, the leader's log ends at
     * 5 and starts at 0. 0.9.0.0 wipes the log; 0.9.0.1 (KAFKA-1211 alone) keeps it and fetches on.
     */
    @Test
    void outOfRangeButTheLeaderGrewPastUsWipesTheLogOnlyWithKafka2143() {
        for (Bug bug : List.of(Bug.KAFKA_2143, Bug.KAFKA_1211)) {
            ReplicaFixture f = followerWithFourRecords(bug);
            assertThat(f.partition(TP).log().logEndOffset()).isEqualTo(1);
            answerFetch(f, outOfRange(0, 0));
            assertThat(f.partition(TP).log().logEndOffset()).isEqualTo(1); // nothing decided before the leader's offsets
            int fetches = f.ctx.sent(FetchRequest.class).size();
            assertThat(answerListOffsets(f, 5).timestamp()).isEqualTo(ApiMessage.LATEST_TIMESTAMP);
            assertThat(f.ctx.sent(FetchRequest.class)).hasSize(fetches); // no fetch while asking
            assertThat(answerListOffsets(f, 0).timestamp()).isEqualTo(ApiMessage.EARLIEST_TIMESTAMP);
            long expected = bug == Bug.KAFKA_2143 ? 0 : 1;
            assertThat(f.partition(TP).log().logEndOffset()).as(bug.name()).isEqualTo(expected);
            assertThat(f.partition(TP).log().highWatermark()).as(bug.name()).isEqualTo(expected);
            assertThat(f.last(FetchRequest.class).partitions().get(0).fetchOffset()).as(bug.name()).isEqualTo(expected);
        }
    }

    @Test
    void preKip101FollowerAheadOfTheLeadersLogEndTruncatesToIt() {
        ReplicaFixture f = new ReplicaFixture(0, Bug.KAFKA_2143).start();
        f.create(TP, 1, List.of(0, 1, 2));
        f.appendAsFollower(TP, 0, "a", "b");
        f.appendAsFollower(TP, 1, "c", "d");
        f.partition(TP).log().updateHighWatermark(3);
        f.change(TP, 2, 3, List.of(0, 2));
        assertThat(f.partition(TP).log().logEndOffset()).isEqualTo(3); // to its own HW
        answerFetch(f, outOfRange(0, 2));
        assertThat(answerListOffsets(f, 2).timestamp()).isEqualTo(ApiMessage.LATEST_TIMESTAMP);
        assertThat(f.partition(TP).log().logEndOffset()).isEqualTo(2);
        assertThat(f.ctx.sent(ListOffsetsRequest.class)).hasSize(1); // no need for the log start
        assertThat(f.last(FetchRequest.class).partitions().get(0).fetchOffset()).isEqualTo(2);
    }

    @Test
    void preKip101FollowerBehindTheLeadersLogStartRestartsThereWithOrWithoutKafka2143() {
        for (Bug bug : List.of(Bug.KAFKA_2143, Bug.KAFKA_1211)) {
            ReplicaFixture f = followerWithFourRecords(bug);
            answerFetch(f, outOfRange(10, 12));
            answerListOffsets(f, 12);
            answerListOffsets(f, 10);
            assertThat(f.partition(TP).log().logStartOffset()).as(bug.name()).isEqualTo(10);
            assertThat(f.partition(TP).log().logEndOffset()).as(bug.name()).isEqualTo(10);
        }
    }

    @Test
    void outOfRangeBehindTheLeadersLogStartRestartsThereWithoutKafka2143Too() {
        ReplicaFixture f = fetchingFollower();
        answerFetch(f, outOfRange(10, 12));
        assertThat(f.partition(TP).log().logStartOffset()).isEqualTo(10);
        assertThat(f.partition(TP).log().logEndOffset()).isEqualTo(10);
    }

    @Test
    void fetchedDataIsAppendedAndTheHighWatermarkFollowsTheLeadersUpToTheLogEnd() {
        ReplicaFixture f = fetchingFollower();
        var batch = ReplicaFixture.batch("e").assign(4, 3);
        answerFetch(f, new FetchPartitionResponse(TP, Errors.NONE, 9, 9, 0, EpochEndOffset.UNDEFINED, 2, 3, List.of(batch), List.of()));
        assertThat(f.partition(TP).log().logEndOffset()).isEqualTo(5);
        assertThat(f.partition(TP).log().highWatermark()).isEqualTo(5);
        assertThat(f.last(FetchRequest.class).partitions().get(0).fetchOffset()).isEqualTo(5);
    }
}
