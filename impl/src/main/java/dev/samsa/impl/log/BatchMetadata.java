package dev.samsa.impl.log;

/** What the producer state remembers of one appended batch: its sequence range and offsets. */
record BatchMetadata(int firstSeq, int lastSeq, long firstOffset, long lastOffset) {}
