package dev.samsa.impl.coordinator;

import dev.samsa.impl.node.Timer;

/**
 * A timer a coordinator shard scheduled (Kafka's CoordinatorTimer): {@code key} names what it is
 * about (e.g. a member's heartbeat), {@code seq} is its scheduling, so a rescheduled or cancelled
 * key ignores older firings; {@code leaderEpoch} ties it to the shard's load.
 */
public record CoordinatorTimer(String topic, int partition, int leaderEpoch, String key, long seq) implements Timer {}
