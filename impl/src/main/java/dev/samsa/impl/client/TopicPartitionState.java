package dev.samsa.impl.client;

import java.util.ArrayDeque;

/**
 * The consumer's state of one assigned partition (Kafka's {@code SubscriptionState.TopicPartitionState}):
 * its position, a pending offset reset or KIP-320 validation, and the fetched records not returned yet.
 */
final class TopicPartitionState {

    enum ResetStrategy {
        EARLIEST,
        LATEST
    }

    /** Next offset poll() returns; -1 while unknown. */
    long position = -1;
    /** Leader epoch of the last record returned (KIP-320), -1 if the position did not come from a record. */
    int positionEpoch = -1;
    /** The metadata leader epoch under which the position is known to be valid. */
    int validatedLeaderEpoch = -1;

    /** A reset to do through ListOffsets; null if none. */
    ResetStrategy pendingReset;
    /** Why the consumer resets on its own (reported in a {@link PositionReset}); null for seekToBeginning/End. */
    String resetReason;
    long resetFromOffset = -1;
    boolean awaitingValidation;
    /** ListOffsets or OffsetsForLeaderEpoch in flight for this partition, by correlation id; -1 if none. */
    long offsetRequestId = -1;

    final ArrayDeque<ConsumerRecord> buffered = new ArrayDeque<>();
    /** The offset after the last fetched batch (past control or aborted batches that yield no records). */
    long fetchedUpTo = -1;
    boolean fetchInFlight;
    /** Bumped by every position change not made by poll(), so answers to older fetches are dropped. */
    long positionVersion;
    long backoffUntilNanos;
    long highWatermark = -1;
    /** A group assignment's new partition whose committed offset (OffsetFetch) is not known yet: no reset until it is. */
    boolean awaitingCommitted;
    /**
     * Kafka's pendingRevocation (KAFKA-14196): an eager member committing before it gives the
     * partition up neither fetches it nor returns its buffered records, so the commit covers all
     * the application got.
     */
    boolean pendingRevocation;
    long lastStableOffset = -1;
    /** auto.offset.reset=none: the missing position was reported once. */
    boolean noOffsetReported;

    /** A new position from seek, reset or truncation: everything fetched for the old one is stale. */
    void moveTo(long offset, int epoch, int leaderEpoch) {
        position = offset;
        positionEpoch = epoch;
        validatedLeaderEpoch = leaderEpoch;
        pendingReset = null;
        resetReason = null;
        awaitingValidation = false;
        offsetRequestId = -1;
        noOffsetReported = false;
        awaitingCommitted = false; // a seek overrides the committed offset still being fetched
        clearFetched();
    }

    void requestReset(ResetStrategy strategy, String reason) {
        resetFromOffset = position;
        position = -1;
        pendingReset = strategy;
        resetReason = reason;
        awaitingCommitted = false;
        awaitingValidation = false;
        offsetRequestId = -1;
        clearFetched();
    }

    void clearFetched() {
        buffered.clear();
        fetchedUpTo = -1;
        positionVersion++;
    }

    boolean hasValidPosition() {
        return position >= 0 && pendingReset == null;
    }

    boolean isFetchable(long nowNanos) {
        return hasValidPosition() && !awaitingValidation && !pendingRevocation && buffered.isEmpty() && !fetchInFlight && nowNanos >= backoffUntilNanos;
    }
}
