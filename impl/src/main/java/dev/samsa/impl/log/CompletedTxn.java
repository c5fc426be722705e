package dev.samsa.impl.log;

/** A transaction a marker ended on this partition (Kafka's {@code CompletedTxn}): its data from {@code firstOffset}, its marker at {@code lastOffset}. */
record CompletedTxn(long producerId, long firstOffset, long lastOffset, boolean aborted) {}
