package dev.samsa.impl.protocol;

/** Kafka's error codes, by Kafka's names and numbers, as far as samsa uses them. */
public enum Errors {
    NONE(0),
    OFFSET_OUT_OF_RANGE(1),
    UNKNOWN_TOPIC_OR_PARTITION(3),
    NOT_LEADER_OR_FOLLOWER(6),
    REQUEST_TIMED_OUT(7),
    NOT_ENOUGH_REPLICAS(19),
    NOT_ENOUGH_REPLICAS_AFTER_APPEND(20),
    NOT_CONTROLLER(41),
    INVALID_REQUEST(42),
    FENCED_LEADER_EPOCH(74),
    UNKNOWN_LEADER_EPOCH(75),
    STALE_BROKER_EPOCH(77);

    private final int code;

    Errors(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}
