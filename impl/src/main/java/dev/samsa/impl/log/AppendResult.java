package dev.samsa.impl.log;

import dev.samsa.impl.protocol.Errors;

/**
 * What a leader append did: the offsets it gave the batch, or, for a retried batch the log
 * already holds (idempotence), the offsets of the original with {@code duplicate} set, or an
 * error (INVALID_PRODUCER_EPOCH, OUT_OF_ORDER_SEQUENCE_NUMBER...) and no append.
 */
public record AppendResult(Errors error, long firstOffset, long lastOffset, boolean duplicate, long logStartOffset) {

    public static AppendResult error(Errors error, long logStartOffset) {
        return new AppendResult(error, -1, -1, false, logStartOffset);
    }
}
