package dev.samsa.impl.client;

import dev.samsa.impl.protocol.TopicPartition;

/**
 * A change of a fetch position the consumer made on its own, not asked for by seek: the history
 * needs these to tell a legitimate jump from a skipped record.
 *
 * @param fromOffset the position before, -1 if there was none
 * @param toOffset the position after, -1 if the partition is left without one
 * @param reason {@code NO_POSITION} (auto.offset.reset of a partition without a position),
 *     {@code OFFSET_OUT_OF_RANGE}, {@code LOG_TRUNCATION} (KIP-320 validation found the log
 *     truncated below the position) or {@code NO_OFFSET} (auto.offset.reset=none: no position)
 */
public record PositionReset(TopicPartition tp, long fromOffset, long toOffset, String reason) {}
