package dev.samsa.impl.log;

/** One entry of the leader-epoch cache: the first offset written (or to be written) in {@code epoch}. */
public record EpochEntry(int epoch, long startOffset) {}
