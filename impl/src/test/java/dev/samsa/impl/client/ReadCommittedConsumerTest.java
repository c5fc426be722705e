package dev.samsa.impl.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.samsa.impl.log.ControlRecordType;
import dev.samsa.impl.log.EndTransactionMarker;
import dev.samsa.impl.log.EpochEndOffset;
import dev.samsa.impl.log.Record;
import dev.samsa.impl.log.RecordBatch;
import dev.samsa.impl.protocol.ApiMessage.AbortedTransaction;
import dev.samsa.impl.protocol.ApiMessage.FetchPartitionResponse;
import dev.samsa.impl.protocol.ApiMessage.FetchRequest;
import dev.samsa.impl.protocol.ApiMessage.FetchResponse;
import dev.samsa.impl.protocol.ApiMessage.ListOffsetsPartitionResponse;
import dev.samsa.impl.protocol.ApiMessage.ListOffsetsRequest;
import dev.samsa.impl.protocol.ApiMessage.ListOffsetsResponse;
import dev.samsa.impl.protocol.ApiMessage.MetadataRequest;
import dev.samsa.impl.protocol.ApiMessage.MetadataResponse;
import dev.samsa.impl.protocol.ApiMessage.PartitionMetadata;
import dev.samsa.impl.protocol.Errors;
import dev.samsa.impl.protocol.IsolationLevel;
import dev.samsa.impl.protocol.TopicPartition;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The consumer under isolation.level: aborted transactions and control records never reach the application. */
class ReadCommittedConsumerTest {

    static final TopicPartition T0 = new TopicPartition("t", 0);

    private final ClientTestContext ctx = new ClientTestContext();
    private KafkaConsumer consumer;
    private final List<String> values = new ArrayList<>();

    private void startAt(String isolation, long offset) {
        ctx.set("isolation.level", isolation);
        ctx.set("auto.offset.reset", "earliest");
        consumer = new KafkaConsumer(ctx, List.of(1, 2, 3));
        consumer.assign(List.of(T0));
        MetadataRequest md = ctx.last(MetadataRequest.class);
        consumer.onMessage(1, new MetadataResponse(md.correlationId(), List.of(1, 2, 3),
                List.of(new PartitionMetadata(T0, Errors.NONE, 1, 5, List.of(1, 2), List.of(1, 2)))));
        ListOffsetsRequest lo = ctx.last(ListOffsetsRequest.class);
        consumer.onMessage(1, new ListOffsetsResponse(lo.correlationId(), List.of(new ListOffsetsPartitionResponse(T0, Errors.NONE, offset, 5))));
    }

    private static RecordBatch data(long base, long pid, boolean transactional, String... vs) {
        List<Record> rs = new ArrayList<>();
        for (String v : vs) {
            rs.add(new Record(null, v, 1000));
        }
        return new RecordBatch(-1, -1, pid, (short) 0, 0, transactional, false, "none", rs, RecordBatch.uncompressedSize(rs)).assign(base, 5);
    }

    private static RecordBatch marker(long base, long pid, ControlRecordType type) {
        return new EndTransactionMarker(type, 0).toBatch(pid, (short) 0, 1000).assign(base, 5);
    }

    /**
     * 0..1 pid 7 (aborted), 2 plain, 3 ABORT of 7, 4 pid 8 (committed), 5 COMMIT of 8, 6..7 pid 7
     * (committed), 8 COMMIT of 7: what a read_committed fetch from 0 returns, LSO = HW = 9.
     */
    private static List<RecordBatch> log() {
        return List.of(data(0, 7, true, "a1", "a2"), data(2, -1, false, "p"), marker(3, 7, ControlRecordType.ABORT),
                data(4, 8, true, "c1"), marker(5, 8, ControlRecordType.COMMIT), data(6, 7, true, "d1", "d2"),
                marker(8, 7, ControlRecordType.COMMIT));
    }

    private void answer(List<AbortedTransaction> aborted) {
        FetchRequest req = ctx.last(FetchRequest.class);
        consumer.onMessage(1, new FetchResponse(req.correlationId(), Errors.NONE,
                List.of(new FetchPartitionResponse(T0, Errors.NONE, 9, 9, 0, EpochEndOffset.UNDEFINED, -1, -1, log(), aborted))));
    }

    private void pollAll() {
        consumer.poll(1000, (records, resets) -> records.forEach(r -> values.add(r.value())));
    }

    @Test
    void readCommittedDropsAbortedAndControlRecordsAndEndsPastTheLastMarker() {
        startAt("read_committed", 0);
        assertThat(ctx.last(FetchRequest.class).isolationLevel()).isEqualTo(IsolationLevel.READ_COMMITTED);
        answer(List.of(new AbortedTransaction(7, 0)));
        pollAll();
        assertThat(values).containsExactly("p", "c1", "d1", "d2"); // pid 7's next transaction is not aborted: its ABORT marker came first
        assertThat(consumer.position(T0)).isEqualTo(OptionalLong.of(9)); // past the trailing COMMIT marker
        assertThat(consumer.lag(T0)).isZero();
    }

    @Test
    void withoutTheAbortedListTheAbortedRecordsAreReturned() {
        startAt("read_committed", 0);
        answer(List.of()); // what a fetch answered under KAFKA-5376 looks like
        pollAll();
        assertThat(values).containsExactly("a1", "a2", "p", "c1", "d1", "d2");
    }

    @Test
    void readUncommittedReturnsEveryDataRecordButNoControlRecord() {
        startAt("read_uncommitted", 0);
        answer(List.of());
        pollAll();
        assertThat(values).containsExactly("a1", "a2", "p", "c1", "d1", "d2");
        assertThat(consumer.position(T0)).isEqualTo(OptionalLong.of(9));
    }
}
