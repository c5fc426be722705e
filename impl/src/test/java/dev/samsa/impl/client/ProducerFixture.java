package dev.samsa.impl.client;

import dev.samsa.impl.protocol.ApiMessage.InitProducerIdRequest;
import dev.samsa.impl.protocol.ApiMessage.InitProducerIdResponse;
import dev.samsa.impl.protocol.ApiMessage.MetadataRequest;
import dev.samsa.impl.protocol.ApiMessage.MetadataResponse;
import dev.samsa.impl.protocol.ApiMessage.PartitionMetadata;
import dev.samsa.impl.protocol.ApiMessage.PartitionProduceResponse;
import dev.samsa.impl.protocol.ApiMessage.ProduceRequest;
import dev.samsa.impl.protocol.ApiMessage.ProduceResponse;
import dev.samsa.impl.protocol.Errors;
import dev.samsa.impl.protocol.TopicPartition;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/** Drives a {@link KafkaProducer} by hand: scripted metadata, producer id and produce answers. */
final class ProducerFixture {

    static final TopicPartition T0 = new TopicPartition("t", 0);
    static final TopicPartition T1 = new TopicPartition("t", 1);
    static final TopicPartition T2 = new TopicPartition("t", 2);

    final ClientTestContext ctx = new ClientTestContext();
    final List<SendResult> results = new ArrayList<>();
    KafkaProducer producer;

    KafkaProducer start() {
        producer = new KafkaProducer(ctx, List.of(1, 2, 3), new DefaultPartitioner(ctx.random()));
        return producer;
    }

    void send(int partition, String value) {
        producer.send(new ProducerRecord("t", OptionalInt.of(partition), null, value, -1), results::add);
    }

    void advance(long ms) {
        ctx.advanceMs(ms, producer::onTimer);
    }

    static PartitionMetadata pm(TopicPartition tp, int leader, int epoch) {
        return new PartitionMetadata(tp, leader < 0 ? Errors.LEADER_NOT_AVAILABLE : Errors.NONE, leader, epoch, List.of(1, 2, 3), List.of(1, 2, 3));
    }

    /** Answers the last MetadataRequest. */
    void answerMetadata(PartitionMetadata... partitions) {
        MetadataRequest req = ctx.last(MetadataRequest.class);
        producer.onMessage(ctx.lastTo(MetadataRequest.class), new MetadataResponse(req.correlationId(), List.of(1, 2, 3), List.of(partitions)));
    }

    void answerInit(long producerId, short epoch) {
        InitProducerIdRequest req = ctx.last(InitProducerIdRequest.class);
        producer.onMessage(ctx.lastTo(InitProducerIdRequest.class), new InitProducerIdResponse(req.correlationId(), Errors.NONE, producerId, epoch));
    }

    /** Starts the producer with the first record and the usual answers: t-0 led by 1, t-1 by 2, t-2 by 1, epoch 5. */
    void startReady(int partition, String value) {
        start();
        send(partition, value);
        answerMetadata(pm(T0, 1, 5), pm(T1, 2, 5), pm(T2, 1, 5));
        if (producer.idempotent) {
            answerInit(1000, (short) 0);
        }
    }

    List<ProduceRequest> produceRequests() {
        return ctx.sent(ProduceRequest.class);
    }

    ProduceRequest lastProduce() {
        return ctx.last(ProduceRequest.class);
    }

    /** Answers {@code req} with {@code error} for every batch; success gets base offset {@code baseOffset}. */
    void answer(ProduceRequest req, Errors error, long baseOffset) {
        List<PartitionProduceResponse> parts = new ArrayList<>();
        for (var b : req.batches()) {
            parts.add(new PartitionProduceResponse(b.tp(), error, error == Errors.NONE ? baseOffset : -1, 0, -1, -1));
        }
        producer.onMessage(1, new ProduceResponse(req.correlationId(), parts));
    }
}
