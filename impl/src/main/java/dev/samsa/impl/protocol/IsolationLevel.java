package dev.samsa.impl.protocol;

/** Kafka's {@code isolation.level}. */
public enum IsolationLevel {
    READ_UNCOMMITTED,
    READ_COMMITTED
}
