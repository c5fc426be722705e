package dev.samsa.impl.log;

/**
 * An entry of a segment's transaction index (Kafka's {@code AbortedTxn}): an aborted transaction
 * of {@code producerId} from its first data offset to its ABORT marker, and the last stable
 * offset when the marker was written (a fetch collecting aborted transactions can stop at the
 * first entry whose LSO is at or past its upper bound: no later entry starts below it).
 */
public record AbortedTxn(long producerId, long firstOffset, long lastOffset, long lastStableOffset) {}
