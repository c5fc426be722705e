package dev.samsa.impl.raft;

/**
 * The control record a new leader appends at the start of its epoch (KIP-595). Committing it
 * commits every earlier entry, which is why the high watermark may only advance past it.
 */
public record LeaderChangeRecord(int leaderId, int epoch) implements RaftRecord {}
