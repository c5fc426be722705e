package dev.samsa.impl.client;

import dev.samsa.impl.client.KafkaProducer.InFlightRequest;
import dev.samsa.impl.protocol.ApiMessage.PartitionProduceResponse;
import dev.samsa.impl.protocol.ApiMessage.ProduceResponse;
import dev.samsa.impl.protocol.Errors;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.function.Predicate;

/**
 * What the producer does with each batch's answer (the response half of Kafka's {@code Sender}):
 * complete it, retry it, or fail it, and whether a failed batch may have been appended.
 *
 * <p>Retriable errors are retried while {@code retries} remain and before {@code
 * delivery.timeout.ms} (from the batch's creation). An idempotent batch answered
 * OUT_OF_ORDER_SEQUENCE_NUMBER is retried while an earlier batch of its partition is unresolved
 * (the gap may be that batch's), and fails when it is itself the first unresolved one.
 * DUPLICATE_SEQUENCE_NUMBER is success at an unknown offset. Request timeouts and disconnects are
 * indefinite failures of the attempt and retried. A batch whose delivery timeout passes fails
 * with REQUEST_TIMED_OUT, in flight or not.
 */
final class ProducerResponses {

    /** Errors the producer retries (Kafka's RetriableException family, as far as Produce returns them). */
    private static final EnumSet<Errors> RETRIABLE = EnumSet.of(Errors.NOT_LEADER_OR_FOLLOWER, Errors.LEADER_NOT_AVAILABLE,
            Errors.NOT_ENOUGH_REPLICAS, Errors.NOT_ENOUGH_REPLICAS_AFTER_APPEND, Errors.REQUEST_TIMED_OUT, Errors.NETWORK_EXCEPTION,
            Errors.UNKNOWN_TOPIC_OR_PARTITION, Errors.FENCED_LEADER_EPOCH, Errors.UNKNOWN_LEADER_EPOCH, Errors.KAFKA_STORAGE_ERROR,
            Errors.CORRUPT_MESSAGE);

    /** Answers after which the broker certainly did not append this attempt. Anything else may have been appended. */
    private static final EnumSet<Errors> DEFINITE = EnumSet.of(Errors.NOT_ENOUGH_REPLICAS, Errors.INVALID_PRODUCER_EPOCH,
            Errors.OUT_OF_ORDER_SEQUENCE_NUMBER, Errors.UNKNOWN_TOPIC_OR_PARTITION, Errors.INVALID_RECORD, Errors.MESSAGE_TOO_LARGE,
            Errors.CORRUPT_MESSAGE, Errors.LEADER_NOT_AVAILABLE, Errors.FENCED_LEADER_EPOCH, Errors.UNKNOWN_LEADER_EPOCH,
            Errors.UNKNOWN_PRODUCER_ID, Errors.PRODUCER_FENCED, Errors.INVALID_REQUEST);

    /** Errors after which the leader we used is probably wrong. */
    private static final EnumSet<Errors> STALE_METADATA = EnumSet.of(Errors.NOT_LEADER_OR_FOLLOWER, Errors.UNKNOWN_TOPIC_OR_PARTITION,
            Errors.LEADER_NOT_AVAILABLE, Errors.FENCED_LEADER_EPOCH, Errors.NETWORK_EXCEPTION, Errors.REQUEST_TIMED_OUT,
            Errors.UNKNOWN_LEADER_EPOCH, Errors.KAFKA_STORAGE_ERROR);

    private final KafkaProducer producer;

    ProducerResponses(KafkaProducer producer) {
        this.producer = producer;
    }

    void handleProduceResponse(ProduceResponse response) {
        InFlightRequest request = producer.inFlight.remove(response.correlationId());
        if (request == null) {
            return; // timed out or disconnected before: already handled
        }
        for (ProducerBatch batch : request.batches()) {
            batch.inFlight = false;
            if (batch.isDone()) {
                continue; // expired while in flight: its callbacks already ran
            }
            PartitionProduceResponse part = find(response, batch);
            if (part == null) {
                handleBatch(batch, Errors.NETWORK_EXCEPTION, -1); // a broker must answer every partition; treat as lost
                continue;
            }
            if (part.error() != Errors.NONE) {
                producer.metadata.applyLeaderHint(batch.tp, part.currentLeaderId(), part.currentLeaderEpoch());
            }
            handleBatch(batch, part.error(), part.baseOffset());
        }
    }

    private static PartitionProduceResponse find(ProduceResponse response, ProducerBatch batch) {
        for (PartitionProduceResponse r : response.responses()) {
            if (r.tp().equals(batch.tp)) {
                return r;
            }
        }
        return null;
    }

    /** Fails every in-flight request matching {@code which} with an indefinite {@code error} (timeout, disconnect). */
    void failRequests(Predicate<InFlightRequest> which, Errors error) {
        List<InFlightRequest> failed = new ArrayList<>();
        Iterator<InFlightRequest> it = producer.inFlight.values().iterator();
        while (it.hasNext()) {
            InFlightRequest r = it.next();
            if (which.test(r)) {
                it.remove();
                failed.add(r);
            }
        }
        for (InFlightRequest r : failed) {
            for (ProducerBatch batch : r.batches()) {
                batch.inFlight = false;
                if (!batch.isDone()) {
                    handleBatch(batch, error, -1);
                }
            }
        }
    }

    /** The outcome of one attempt of one batch. */
    void handleBatch(ProducerBatch batch, Errors error, long baseOffset) {
        if (!DEFINITE.contains(error)) {
            batch.maybeAppended = true;
        }
        if (error == Errors.NONE || error == Errors.DUPLICATE_SEQUENCE_NUMBER) {
            producer.txn.onBatchCompleted(batch);
            batch.complete(error == Errors.NONE ? baseOffset : -1); // a duplicate's offset is not known to us
            return;
        }
        if (STALE_METADATA.contains(error)) {
            producer.metadata.requestUpdate();
        }
        if (isRetriable(batch, error) && canRetry(batch)) {
            batch.retryNotBeforeNanos = producer.ctx.nowNanos() + producer.retryBackoffNanos;
            producer.accumulator.reenqueue(batch);
            producer.ctx.reached("producer.batch-retried");
            return;
        }
        fail(batch, error);
    }

    private boolean isRetriable(ProducerBatch batch, Errors error) {
        if (error == Errors.OUT_OF_ORDER_SEQUENCE_NUMBER) {
            return producer.idempotent && producer.txn.hasEarlierIncomplete(batch);
        }
        return RETRIABLE.contains(error);
    }

    private boolean canRetry(ProducerBatch batch) {
        long now = producer.ctx.nowNanos();
        return batch.attempts <= producer.retries && now - batch.createdNanos < producer.deliveryTimeoutNanos;
    }

    private void fail(ProducerBatch batch, Errors error) {
        if (producer.idempotent) {
            producer.txn.onBatchFailed(batch);
        }
        if (producer.transactional) {
            // Kafka's handleFailedBatch: fenced is fatal, any other failure dooms the transaction
            if (error == Errors.PRODUCER_FENCED) {
                if (producer.txn.state() != TransactionManager.State.FATAL_ERROR) {
                    producer.txn.transitionToFatalError(error);
                }
            } else {
                producer.txn.transitionToAbortableError(error);
            }
        }
        batch.fail(error);
    }

    /** Fails batches past delivery.timeout.ms: queued ones, and in-flight ones (whose attempt may still land). */
    void expireBatches(long now) {
        for (ProducerBatch batch : producer.accumulator.expire(now)) {
            producer.ctx.reached("producer.batch-expired");
            fail(batch, Errors.REQUEST_TIMED_OUT);
        }
        for (InFlightRequest r : producer.inFlight.values()) {
            for (ProducerBatch batch : r.batches()) {
                if (!batch.isDone() && now - batch.createdNanos >= producer.deliveryTimeoutNanos) {
                    batch.maybeAppended = true;
                    producer.ctx.reached("producer.batch-expired");
                    fail(batch, Errors.REQUEST_TIMED_OUT);
                }
            }
        }
    }
}
