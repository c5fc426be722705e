package dev.samsa.impl.client;

import dev.samsa.impl.protocol.Errors;
import dev.samsa.impl.protocol.TopicPartition;

/**
 * The outcome of one {@link KafkaProducer#send}, the information a history needs.
 *
 * @param tp where the record was (or would have been) written; null only if its topic never
 *     became known, so no partition was chosen
 * @param offset the record's offset on success; -1 when unknown (acks=0, a duplicate the broker
 *     recognised, or a failure)
 * @param error NONE on success
 * @param maybeAppended on failure: false only if no attempt of the record's batch can have reached
 *     a log (never sent, or every attempt refused before the append); true otherwise (indefinite)
 */
public record SendResult(TopicPartition tp, long offset, Errors error, boolean maybeAppended) {

    public boolean succeeded() {
        return error == Errors.NONE;
    }
}
