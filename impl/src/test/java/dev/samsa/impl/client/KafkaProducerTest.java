package dev.samsa.impl.client;

import static dev.samsa.impl.client.ProducerFixture.T0;
import static dev.samsa.impl.client.ProducerFixture.T1;
import static dev.samsa.impl.client.ProducerFixture.T2;
import static dev.samsa.impl.client.ProducerFixture.pm;
import static org.assertj.core.api.Assertions.assertThat;

import dev.samsa.impl.log.RecordBatch;
import dev.samsa.impl.protocol.ApiMessage.InitProducerIdRequest;
import dev.samsa.impl.protocol.ApiMessage.MetadataRequest;
import dev.samsa.impl.protocol.ApiMessage.PartitionBatch;
import dev.samsa.impl.protocol.ApiMessage.ProduceRequest;
import dev.samsa.impl.protocol.Errors;
import java.util.List;
import org.junit.jupiter.api.Test;

class KafkaProducerTest {

    private final ProducerFixture f = new ProducerFixture();

    private static RecordBatch only(ProduceRequest req) {
        assertThat(req.batches()).hasSize(1);
        return req.batches().get(0).batch();
    }

    @Test
    void aBatchWaitsForLingerMs() {
        f.startReady(0, "a");
        f.send(0, "b");
        f.advance(4);
        assertThat(f.produceRequests()).isEmpty();
        f.advance(1);
        assertThat(f.produceRequests()).hasSize(1);
        assertThat(only(f.lastProduce()).records()).extracting(r -> r.value()).containsExactly("a", "b");
    }

    @Test
    void aFullBatchGoesWithoutLingering() {
        f.ctx.set("batch.size", "1024").set("linger.ms", "1000");
        String big = "x".repeat(200); // 220 bytes a record: four fit under 1024 with the header
        f.startReady(0, big);
        for (int i = 0; i < 3; i++) {
            f.send(0, big);
        }
        assertThat(f.produceRequests()).isEmpty();
        f.send(0, big); // opens a second batch: the first is full
        assertThat(f.produceRequests()).hasSize(1);
        assertThat(only(f.lastProduce()).recordCount()).isEqualTo(4);
        assertThat(only(f.lastProduce()).sizeBytes()).isEqualTo(61 + 4 * 220);
    }

    @Test
    void oneRequestPerBrokerWithOneBatchPerPartition() {
        f.startReady(0, "a");
        f.send(1, "b");
        f.send(2, "c");
        f.advance(5);
        List<ProduceRequest> reqs = f.produceRequests();
        assertThat(reqs).hasSize(2);
        assertThat(f.ctx.outbox).filteredOn(s -> s.message() instanceof ProduceRequest).extracting(s -> s.to()).containsExactly(1, 2);
        assertThat(reqs.get(0).batches()).extracting(PartitionBatch::tp).containsExactly(T0, T2);
        assertThat(reqs.get(1).batches()).extracting(PartitionBatch::tp).containsExactly(T1);
    }

    @Test
    void acksAllIsIdempotentWithSequences() {
        f.startReady(0, "a");
        assertThat(f.ctx.sent(InitProducerIdRequest.class)).hasSize(1);
        f.advance(5);
        ProduceRequest req = f.lastProduce();
        assertThat(req.acks()).isEqualTo((short) -1);
        assertThat(req.timeoutMs()).isEqualTo(30_000);
        RecordBatch b = only(req);
        assertThat(b.producerId()).isEqualTo(1000);
        assertThat(b.producerEpoch()).isEqualTo((short) 0);
        assertThat(b.baseSequence()).isZero();
        assertThat(b.records().get(0).timestampMs()).isEqualTo(1_000_000);
    }

    @Test
    void acksOneIsNotIdempotent() {
        f.ctx.set("acks", "1");
        f.startReady(0, "a");
        f.advance(5);
        assertThat(f.ctx.sent(InitProducerIdRequest.class)).isEmpty();
        assertThat(f.lastProduce().acks()).isEqualTo((short) 1);
        assertThat(only(f.lastProduce()).producerId()).isEqualTo(-1);
        assertThat(only(f.lastProduce()).baseSequence()).isEqualTo(-1);
    }

    @Test
    void acksZeroCompletesWhenSentWithUnknownOffset() {
        f.ctx.set("acks", "0");
        f.startReady(0, "a");
        assertThat(f.results).isEmpty();
        f.advance(5);
        assertThat(f.lastProduce().acks()).isEqualTo((short) 0);
        assertThat(f.results).containsExactly(new SendResult(T0, -1, Errors.NONE, true));
        assertThat(f.producer.pendingCount()).isZero();
    }

    @Test
    void successGivesEachRecordItsOffset() {
        f.startReady(0, "a");
        f.send(0, "b");
        f.send(0, "c");
        f.advance(5);
        assertThat(f.producer.pendingCount()).isEqualTo(3);
        f.answer(f.lastProduce(), Errors.NONE, 42);
        assertThat(f.results).extracting(SendResult::offset).containsExactly(42L, 43L, 44L);
        assertThat(f.results).allMatch(SendResult::succeeded);
        assertThat(f.producer.pendingCount()).isZero();
    }

    @Test
    void notLeaderRefreshesMetadataAndRetriesAtTheNewLeaderWithTheSameSequence() {
        f.startReady(0, "a");
        f.advance(5);
        ProduceRequest first = f.lastProduce();
        int metadataBefore = f.ctx.sent(MetadataRequest.class).size();
        f.answer(first, Errors.NOT_LEADER_OR_FOLLOWER, -1);
        assertThat(f.ctx.sent(MetadataRequest.class)).hasSize(metadataBefore + 1);
        assertThat(f.ctx.reached).contains("producer.batch-retried");
        f.answerMetadata(pm(T0, 2, 6), pm(T1, 2, 5), pm(T2, 1, 5));
        f.advance(99);
        assertThat(f.produceRequests()).hasSize(1); // still backing off
        f.advance(1);
        assertThat(f.produceRequests()).hasSize(2);
        assertThat(f.ctx.lastTo(ProduceRequest.class)).isEqualTo(2);
        RecordBatch retried = only(f.lastProduce());
        assertThat(retried.baseSequence()).isEqualTo(only(first).baseSequence());
        assertThat(retried.producerEpoch()).isEqualTo(only(first).producerEpoch());
        f.answer(f.lastProduce(), Errors.NONE, 7);
        assertThat(f.results).containsExactly(new SendResult(T0, 7, Errors.NONE, true));
    }

    @Test
    void maxInFlightRequestsPerConnectionIsRespected() {
        f.ctx.set("linger.ms", "0").set("max.in.flight.requests.per.connection", "2");
        f.startReady(0, "a");
        f.send(0, "b");
        f.send(0, "c");
        assertThat(f.produceRequests()).hasSize(2);
        f.answer(f.produceRequests().get(0), Errors.NONE, 0);
        assertThat(f.produceRequests()).hasSize(3);
        assertThat(only(f.lastProduce()).baseSequence()).isEqualTo(2);
    }

    @Test
    void duplicateSequenceIsSuccessAtAnUnknownOffset() {
        f.startReady(0, "a");
        f.advance(5);
        f.answer(f.lastProduce(), Errors.DUPLICATE_SEQUENCE_NUMBER, -1);
        assertThat(f.results).containsExactly(new SendResult(T0, -1, Errors.NONE, true));
    }

    @Test
    void outOfOrderOfALaterBatchWhileAnEarlierIsRetriedIsRetriedInOrder() {
        f.ctx.set("linger.ms", "0");
        f.startReady(0, "a");
        f.send(0, "b");
        ProduceRequest a = f.produceRequests().get(0);
        ProduceRequest b = f.produceRequests().get(1);
        f.answer(a, Errors.NOT_ENOUGH_REPLICAS, -1);
        f.answer(b, Errors.OUT_OF_ORDER_SEQUENCE_NUMBER, -1);
        assertThat(f.results).isEmpty();
        f.advance(100);
        assertThat(f.produceRequests()).hasSize(3); // only the first unresolved batch goes
        assertThat(only(f.lastProduce()).baseSequence()).isZero();
        f.answer(f.lastProduce(), Errors.NONE, 10);
        assertThat(f.produceRequests()).hasSize(4);
        assertThat(only(f.lastProduce()).baseSequence()).isEqualTo(1);
        f.answer(f.lastProduce(), Errors.NONE, 11);
        assertThat(f.results).extracting(SendResult::offset).containsExactly(10L, 11L);
        assertThat(f.ctx.reached).doesNotContain("producer.epoch-bump");
    }

    @Test
    void outOfOrderOfTheFirstUnresolvedBatchFailsItDefinitely() {
        f.ctx.set("linger.ms", "0");
        f.startReady(0, "a");
        f.answer(f.lastProduce(), Errors.OUT_OF_ORDER_SEQUENCE_NUMBER, -1);
        assertThat(f.results).containsExactly(new SendResult(T0, -1, Errors.OUT_OF_ORDER_SEQUENCE_NUMBER, false));
        assertThat(f.ctx.reached).contains("producer.epoch-bump");
    }

    @Test
    void aBatchNeverSentExpiresAsNotAppended() {
        f.ctx.set("delivery.timeout.ms", "1000");
        f.start();
        f.send(0, "a");
        f.answerMetadata(pm(T0, -1, 5));
        f.answerInit(1000, (short) 0);
        f.advance(999);
        assertThat(f.results).isEmpty();
        f.advance(1);
        assertThat(f.produceRequests()).isEmpty();
        assertThat(f.results).containsExactly(new SendResult(T0, -1, Errors.REQUEST_TIMED_OUT, false));
        assertThat(f.ctx.reached).contains("producer.batch-expired");
    }

    @Test
    void aBatchSentAndTimedOutExpiresAsMaybeAppended() {
        f.ctx.set("delivery.timeout.ms", "1000").set("request.timeout.ms", "600");
        f.startReady(0, "a");
        f.advance(5);
        f.advance(600); // request timeout: retried after the backoff
        assertThat(f.produceRequests()).hasSize(1);
        f.advance(100);
        assertThat(f.produceRequests()).hasSize(2);
        f.answer(f.lastProduce(), Errors.NOT_ENOUGH_REPLICAS, -1); // refused, but the first attempt may have landed
        f.advance(300);
        assertThat(f.results).containsExactly(new SendResult(T0, -1, Errors.REQUEST_TIMED_OUT, true));
    }

    @Test
    void aBatchRefusedBeforeAppendEveryTimeExpiresAsNotAppended() {
        f.ctx.set("delivery.timeout.ms", "1000");
        f.startReady(0, "a");
        f.advance(5);
        for (int i = 0; i < 9; i++) {
            f.answer(f.lastProduce(), Errors.NOT_ENOUGH_REPLICAS, -1);
            f.advance(100);
        }
        assertThat(f.results).isEmpty();
        f.answer(f.lastProduce(), Errors.NOT_ENOUGH_REPLICAS, -1);
        f.advance(100);
        assertThat(f.results).containsExactly(new SendResult(T0, -1, Errors.REQUEST_TIMED_OUT, false));
    }

    @Test
    void retriesExhaustedFailsWithTheLastError() {
        f.ctx.set("retries", "1");
        f.startReady(0, "a");
        f.advance(5);
        f.answer(f.lastProduce(), Errors.NOT_ENOUGH_REPLICAS_AFTER_APPEND, -1);
        f.advance(100);
        f.answer(f.lastProduce(), Errors.NOT_ENOUGH_REPLICAS, -1);
        assertThat(f.results).containsExactly(new SendResult(T0, -1, Errors.NOT_ENOUGH_REPLICAS, true));
    }

    /** b1 is sent; b2 is sent; b1's answer is lost (request timeout); b2 fails fatally. */
    private void fatalFailureWhileAnEarlierBatchIsUnresolved() {
        f.ctx.set("linger.ms", "0").set("request.timeout.ms", "1000");
        f.startReady(0, "b1");
        f.advance(10);
        f.send(0, "b2");
        ProduceRequest b2 = f.lastProduce();
        f.advance(990); // b1's request times out, retry at 1100
        f.answer(b2, Errors.INVALID_RECORD, -1);
        assertThat(f.results).containsExactly(new SendResult(T0, -1, Errors.INVALID_RECORD, false));
    }

    @Test
    void epochBumpWaitsForTheUnresolvedBatchesOfThePartition() {
        fatalFailureWhileAnEarlierBatchIsUnresolved();
        assertThat(f.ctx.reached).doesNotContain("producer.epoch-bump");
        f.advance(100);
        RecordBatch retried = only(f.lastProduce());
        assertThat(retried.records().get(0).value()).isEqualTo("b1");
        assertThat(retried.producerEpoch()).isEqualTo((short) 0);
        assertThat(retried.baseSequence()).isZero();
        f.answer(f.lastProduce(), Errors.DUPLICATE_SEQUENCE_NUMBER, -1);
        assertThat(f.ctx.reached).contains("producer.epoch-bump");
        f.send(0, "b3");
        RecordBatch b3 = only(f.lastProduce());
        assertThat(b3.producerEpoch()).isEqualTo((short) 1);
        assertThat(b3.baseSequence()).isZero();
    }

    @Test
    void withKafka14034TheInFlightBatchIsRewrittenWithTheNewEpochAndSequenceZero() {
        f.ctx.bugs.add(dev.samsa.spec.bugs.Bug.KAFKA_14034);
        fatalFailureWhileAnEarlierBatchIsUnresolved();
        assertThat(f.ctx.reached).contains("producer.epoch-bump");
        f.advance(100);
        RecordBatch retried = only(f.lastProduce());
        assertThat(retried.records().get(0).value()).isEqualTo("b1");
        assertThat(retried.producerEpoch()).isEqualTo((short) 1);
        assertThat(retried.baseSequence()).isZero();
    }

    @Test
    void anIdlePartitionRestartsAtSequenceZeroAfterABump() {
        f.ctx.set("linger.ms", "0");
        f.startReady(1, "p1-first");
        f.answer(f.lastProduce(), Errors.NONE, 0);
        f.send(0, "p0");
        f.answer(f.lastProduce(), Errors.INVALID_RECORD, -1);
        assertThat(f.ctx.reached).contains("producer.epoch-bump");
        f.send(1, "p1-second");
        RecordBatch b = only(f.lastProduce());
        assertThat(b.producerEpoch()).isEqualTo((short) 1);
        assertThat(b.baseSequence()).isZero(); // KAFKA-12152: not 1
    }

    @Test
    void compressionShrinksTheBodyButNotTheHeader() {
        f.ctx.set("compression.type", "zstd");
        f.startReady(0, "v".repeat(100));
        f.advance(5);
        RecordBatch b = only(f.lastProduce());
        assertThat(b.compression()).isEqualTo("zstd");
        assertThat(b.sizeBytes()).isEqualTo(61 + (int) Math.ceil(120 * 0.45));
        assertThat(Compression.sizeBytes("none", 181)).isEqualTo(181);
        assertThat(Compression.sizeBytes("gzip", 181)).isEqualTo(61 + 60);
        assertThat(Compression.sizeBytes("lz4", 181)).isEqualTo(61 + 72);
    }

    @Test
    void anUnknownTopicIsAskedForAgainAfterTheBackoff() {
        f.start();
        f.send(0, "a");
        f.answerMetadata(new dev.samsa.impl.protocol.ApiMessage.PartitionMetadata(T0, Errors.UNKNOWN_TOPIC_OR_PARTITION, -1, -1, List.of(), List.of()));
        assertThat(f.ctx.sent(MetadataRequest.class)).hasSize(1);
        f.advance(100);
        assertThat(f.ctx.sent(MetadataRequest.class)).hasSize(2);
        assertThat(f.ctx.sent(MetadataRequest.class).get(1).topics()).containsExactly("t");
    }

    @Test
    void disconnectRetriesTheInFlightBatchAsMaybeAppended() {
        f.ctx.set("retries", "0");
        f.startReady(0, "a");
        f.advance(5);
        f.producer.onDisconnect(1);
        assertThat(f.results).containsExactly(new SendResult(T0, -1, Errors.NETWORK_EXCEPTION, true));
    }
}
