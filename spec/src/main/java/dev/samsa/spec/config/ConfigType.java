package dev.samsa.spec.config;

/** The value types a Kafka setting can have here. */
public enum ConfigType {
    INT,
    LONG,
    DOUBLE,
    BOOLEAN,
    /** One of a fixed list of strings (e.g. {@code acks}: 0, 1, all). */
    CHOICE,
    STRING
}
