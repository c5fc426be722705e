package dev.samsa.impl.node;

/**
 * What a node asked to be woken up for. Implementations are small immutable records, so a
 * stale timer can carry the epoch or generation it was set in and be recognised as stale.
 */
public interface Timer {}
