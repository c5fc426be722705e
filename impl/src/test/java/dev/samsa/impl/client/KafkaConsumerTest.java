package dev.samsa.impl.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.samsa.impl.log.EpochEndOffset;
import dev.samsa.impl.log.Record;
import dev.samsa.impl.log.RecordBatch;
import dev.samsa.impl.protocol.ApiMessage;
import dev.samsa.impl.protocol.ApiMessage.EpochResponsePartition;
import dev.samsa.impl.protocol.ApiMessage.FetchPartitionResponse;
import dev.samsa.impl.protocol.ApiMessage.FetchRequest;
import dev.samsa.impl.protocol.ApiMessage.FetchResponse;
import dev.samsa.impl.protocol.ApiMessage.ListOffsetsPartitionResponse;
import dev.samsa.impl.protocol.ApiMessage.ListOffsetsRequest;
import dev.samsa.impl.protocol.ApiMessage.ListOffsetsResponse;
import dev.samsa.impl.protocol.ApiMessage.MetadataRequest;
import dev.samsa.impl.protocol.ApiMessage.MetadataResponse;
import dev.samsa.impl.protocol.ApiMessage.OffsetsForLeaderEpochRequest;
import dev.samsa.impl.protocol.ApiMessage.OffsetsForLeaderEpochResponse;
import dev.samsa.impl.protocol.ApiMessage.PartitionMetadata;
import dev.samsa.impl.protocol.Errors;
import dev.samsa.impl.protocol.TopicPartition;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class KafkaConsumerTest {

    static final TopicPartition T0 = new TopicPartition("t", 0);
    static final TopicPartition T1 = new TopicPartition("t", 1);

    private final ClientTestContext ctx = new ClientTestContext();
    private KafkaConsumer consumer;
    private final List<List<ConsumerRecord>> polls = new ArrayList<>();
    private final List<PositionReset> resets = new ArrayList<>();

    private void start(TopicPartition... tps) {
        consumer = new KafkaConsumer(ctx, List.of(1, 2, 3));
        consumer.assign(List.of(tps));
    }

    private void advance(long ms) {
        ctx.advanceMs(ms, consumer::onTimer);
    }

    private void answerMetadata(int leader0, int epoch0) {
        MetadataRequest req = ctx.last(MetadataRequest.class);
        consumer.onMessage(1, new MetadataResponse(req.correlationId(), List.of(1, 2, 3), List.of(
                new PartitionMetadata(T0, Errors.NONE, leader0, epoch0, List.of(1, 2), List.of(1, 2)),
                new PartitionMetadata(T1, Errors.NONE, 2, 3, List.of(1, 2), List.of(1, 2)))));
    }

    private void answerListOffsets(long offset) {
        ListOffsetsRequest req = ctx.last(ListOffsetsRequest.class);
        List<ListOffsetsPartitionResponse> parts = new ArrayList<>();
        req.partitions().forEach(p -> parts.add(new ListOffsetsPartitionResponse(p.tp(), Errors.NONE, offset, 5)));
        consumer.onMessage(1, new ListOffsetsResponse(req.correlationId(), parts));
    }

    private static RecordBatch batch(long base, int epoch, String... values) {
        List<Record> records = new ArrayList<>();
        for (String v : values) {
            records.add(new Record(null, v, 1000));
        }
        return RecordBatch.of(records).assign(base, epoch);
    }

    private static FetchPartitionResponse data(TopicPartition tp, long hw, RecordBatch... batches) {
        return new FetchPartitionResponse(tp, Errors.NONE, hw, hw, 0, EpochEndOffset.UNDEFINED, -1, -1, List.of(batches), List.of());
    }

    private void answerFetch(FetchRequest req, FetchPartitionResponse... parts) {
        consumer.onMessage(1, new FetchResponse(req.correlationId(), Errors.NONE, List.of(parts)));
    }

    private void poll(long timeoutMs) {
        consumer.poll(timeoutMs, (records, r) -> {
            polls.add(records);
            resets.addAll(r);
        });
    }

    /** Assigned t-0 (leader 1, epoch 5), reset earliest to {@code offset}. */
    private void startAt(long offset) {
        ctx.set("auto.offset.reset", "earliest");
        start(T0);
        answerMetadata(1, 5);
        answerListOffsets(offset);
    }

    @Test
    void earliestResetGoesThroughListOffsetsToTheLeader() {
        ctx.set("auto.offset.reset", "earliest");
        start(T0);
        assertThat(consumer.position(T0)).isEmpty();
        answerMetadata(1, 5);
        ListOffsetsRequest req = ctx.last(ListOffsetsRequest.class);
        assertThat(ctx.lastTo(ListOffsetsRequest.class)).isEqualTo(1);
        assertThat(req.partitions()).containsExactly(new ApiMessage.ListOffsetsPartition(T0, 5, ApiMessage.EARLIEST_TIMESTAMP));
        answerListOffsets(3);
        assertThat(consumer.position(T0)).isEqualTo(OptionalLong.of(3));
        poll(100);
        advance(100);
        assertThat(resets).containsExactly(new PositionReset(T0, -1, 3, "NO_POSITION"));
    }

    @Test
    void latestResetAsksForTheLatestOffset() {
        start(T0); // auto.offset.reset=latest is Kafka's default
        answerMetadata(1, 5);
        assertThat(ctx.last(ListOffsetsRequest.class).partitions().get(0).timestamp()).isEqualTo(ApiMessage.LATEST_TIMESTAMP);
    }

    @Test
    void noneLeavesThePartitionWithoutPositionAndReportsItOnce() {
        ctx.set("auto.offset.reset", "none");
        start(T0);
        answerMetadata(1, 5);
        assertThat(ctx.sent(ListOffsetsRequest.class)).isEmpty();
        poll(1000);
        assertThat(polls).hasSize(1); // at once, as Kafka's poll() would throw
        assertThat(resets).containsExactly(new PositionReset(T0, -1, -1, "NO_OFFSET"));
        poll(100);
        advance(100);
        assertThat(resets).hasSize(1);
    }

    @Test
    void fetchCarriesTheSettingsAndThePosition() {
        startAt(3);
        FetchRequest req = ctx.last(FetchRequest.class);
        assertThat(req.replicaId()).isEqualTo(-1);
        assertThat(req.maxWaitMs()).isEqualTo(500);
        assertThat(req.minBytes()).isEqualTo(1);
        assertThat(req.partitions()).containsExactly(new ApiMessage.FetchPartition(T0, 5, 3, -1, -1, 1048576));
    }

    @Test
    void pollReturnsBufferedRecordsInOrderAndSkipsThoseBelowThePosition() {
        startAt(3);
        poll(1000);
        assertThat(polls).isEmpty();
        answerFetch(ctx.last(FetchRequest.class), data(T0, 10, batch(2, 5, "c", "d", "e"), batch(5, 5, "f")));
        assertThat(polls).hasSize(1);
        assertThat(polls.get(0)).extracting(ConsumerRecord::offset).containsExactly(3L, 4L, 5L);
        assertThat(polls.get(0)).extracting(ConsumerRecord::value).containsExactly("d", "e", "f");
        assertThat(consumer.position(T0)).isEqualTo(OptionalLong.of(6));
        assertThat(consumer.lag(T0)).isEqualTo(4);
        assertThat(ctx.last(FetchRequest.class).partitions().get(0).fetchOffset()).isEqualTo(6);
    }

    @Test
    void pollRespectsMaxPollRecordsAndFetchesOnlyOnceTheBufferIsEmpty() {
        ctx.set("max.poll.records", "2");
        startAt(0);
        answerFetch(ctx.last(FetchRequest.class), data(T0, 10, batch(0, 5, "a", "b", "c")));
        int fetches = ctx.sent(FetchRequest.class).size();
        poll(1000);
        assertThat(polls.get(0)).extracting(ConsumerRecord::value).containsExactly("a", "b");
        assertThat(ctx.sent(FetchRequest.class)).hasSize(fetches); // c is still buffered
        poll(1000);
        assertThat(polls.get(1)).extracting(ConsumerRecord::value).containsExactly("c");
        assertThat(ctx.sent(FetchRequest.class)).hasSize(fetches + 1);
        assertThat(ctx.last(FetchRequest.class).partitions().get(0).fetchOffset()).isEqualTo(3);
    }

    @Test
    void pollCompletesEmptyWhenItsTimeoutPasses() {
        startAt(0);
        poll(200);
        advance(199);
        assertThat(polls).isEmpty();
        advance(1);
        assertThat(polls).containsExactly(List.of());
        assertThatThrownBy(() -> {
            poll(10);
            poll(10);
        }).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void seekDropsTheAnswerToAnOlderFetch() {
        startAt(0);
        FetchRequest old = ctx.last(FetchRequest.class);
        consumer.seek(T0, 50);
        answerFetch(old, data(T0, 100, batch(0, 5, "stale")));
        poll(100);
        advance(100);
        assertThat(polls).containsExactly(List.of());
        assertThat(consumer.position(T0)).isEqualTo(OptionalLong.of(50));
        assertThat(ctx.last(FetchRequest.class).partitions().get(0).fetchOffset()).isEqualTo(50);
    }

    @Test
    void offsetOutOfRangeResetsAndIsReported() {
        startAt(0);
        consumer.seek(T0, 50);
        answerFetch(ctx.last(FetchRequest.class), data(T0, 10)); // the fetch from 0, now stale
        FetchRequest req = ctx.last(FetchRequest.class);
        assertThat(req.partitions().get(0).fetchOffset()).isEqualTo(50);
        int listOffsets = ctx.sent(ListOffsetsRequest.class).size();
        consumer.onMessage(1, new FetchResponse(req.correlationId(), Errors.NONE, List.of(FetchPartitionResponse.error(T0, Errors.OFFSET_OUT_OF_RANGE, -1, -1))));
        assertThat(ctx.sent(ListOffsetsRequest.class)).hasSize(listOffsets + 1);
        assertThat(consumer.position(T0)).isEmpty();
        answerListOffsets(7);
        poll(10);
        advance(10);
        assertThat(resets).containsExactly(new PositionReset(T0, -1, 0, "NO_POSITION"), new PositionReset(T0, 50, 7, "OFFSET_OUT_OF_RANGE"));
    }

    /** Consumed offsets 0..2 written in epoch 5; then the leader changes to broker 2 in epoch 6. */
    private void consumeThenLeaderChange() {
        startAt(0);
        answerFetch(ctx.last(FetchRequest.class), data(T0, 3, batch(0, 5, "a", "b", "c")));
        poll(10);
        assertThat(consumer.position(T0)).isEqualTo(OptionalLong.of(3));
        FetchRequest next = ctx.last(FetchRequest.class);
        consumer.onMessage(1, new FetchResponse(next.correlationId(), Errors.NONE, List.of(FetchPartitionResponse.error(T0, Errors.NOT_LEADER_OR_FOLLOWER, -1, -1))));
        answerMetadata(2, 6);
        advance(100); // the backoff after NOT_LEADER_OR_FOLLOWER
    }

    @Test
    void aLeaderChangeIsValidatedWithOffsetsForLeaderEpoch() {
        consumeThenLeaderChange();
        OffsetsForLeaderEpochRequest req = ctx.last(OffsetsForLeaderEpochRequest.class);
        assertThat(ctx.lastTo(OffsetsForLeaderEpochRequest.class)).isEqualTo(2);
        assertThat(req.partitions()).containsExactly(new ApiMessage.EpochRequestPartition(T0, 6, 5));
        int fetches = ctx.sent(FetchRequest.class).size();
        advance(100);
        assertThat(ctx.sent(FetchRequest.class)).hasSize(fetches); // no fetch before validation
        consumer.onMessage(2, new OffsetsForLeaderEpochResponse(req.correlationId(), List.of(new EpochResponsePartition(T0, Errors.NONE, new EpochEndOffset(5, 3)))));
        assertThat(ctx.sent(FetchRequest.class)).hasSize(fetches + 1);
        assertThat(ctx.lastTo(FetchRequest.class)).isEqualTo(2);
        assertThat(consumer.position(T0)).isEqualTo(OptionalLong.of(3));
        assertThat(ctx.reached).doesNotContain("consumer.truncation-detected");
    }

    @Test
    void aTruncatedLogMovesThePositionToTheDivergencePointAndIsReported() {
        consumeThenLeaderChange();
        OffsetsForLeaderEpochRequest req = ctx.last(OffsetsForLeaderEpochRequest.class);
        consumer.onMessage(2, new OffsetsForLeaderEpochResponse(req.correlationId(), List.of(new EpochResponsePartition(T0, Errors.NONE, new EpochEndOffset(5, 1)))));
        assertThat(consumer.position(T0)).isEqualTo(OptionalLong.of(1));
        assertThat(ctx.reached).contains("consumer.truncation-detected");
        assertThat(ctx.last(FetchRequest.class).partitions().get(0).fetchOffset()).isEqualTo(1);
        poll(10);
        advance(10);
        assertThat(resets).contains(new PositionReset(T0, 3, 1, "LOG_TRUNCATION"));
    }

    @Test
    void notLeaderRefreshesMetadata() {
        startAt(0);
        int before = ctx.sent(MetadataRequest.class).size();
        FetchRequest req = ctx.last(FetchRequest.class);
        consumer.onMessage(1, new FetchResponse(req.correlationId(), Errors.NONE, List.of(FetchPartitionResponse.error(T0, Errors.NOT_LEADER_OR_FOLLOWER, -1, -1))));
        assertThat(ctx.sent(MetadataRequest.class)).hasSize(before + 1);
        answerMetadata(2, 6);
        advance(100);
        assertThat(ctx.lastTo(FetchRequest.class)).isEqualTo(2);
        assertThat(ctx.last(FetchRequest.class).partitions().get(0).currentLeaderEpoch()).isEqualTo(6);
    }

    @Test
    void oneFetchPerLeaderCoversItsPartitions() {
        ctx.set("auto.offset.reset", "earliest");
        start(T0, T1);
        answerMetadata(1, 5); // t-1 is led by 2
        List<ListOffsetsRequest> lists = ctx.sent(ListOffsetsRequest.class);
        assertThat(lists).hasSize(2); // one per leader
        assertThat(ctx.outbox).filteredOn(s -> s.message() instanceof ListOffsetsRequest).extracting(s -> s.to()).containsExactly(1, 2);
        ListOffsetsRequest forT0 = lists.get(0);
        ListOffsetsRequest forT1 = lists.get(1);
        consumer.onMessage(1, new ListOffsetsResponse(forT0.correlationId(), List.of(new ListOffsetsPartitionResponse(T0, Errors.NONE, 0, 5))));
        consumer.onMessage(2, new ListOffsetsResponse(forT1.correlationId(), List.of(new ListOffsetsPartitionResponse(T1, Errors.NONE, 0, 3))));
        assertThat(ctx.sent(FetchRequest.class)).hasSize(2);
        advance(50);
        assertThat(ctx.sent(FetchRequest.class)).hasSize(2); // both still in flight
    }

    @Test
    void aTimedOutFetchIsRetried() {
        ctx.set("request.timeout.ms", "1000");
        startAt(0);
        assertThat(ctx.sent(FetchRequest.class)).hasSize(1);
        advance(1000);
        advance(100);
        assertThat(ctx.sent(FetchRequest.class)).hasSize(2);
    }
}
