package dev.samsa.lin;

/**
 * A call or a return, for histories given as a sequence of events in real-time order. A call
 * and its return share an {@code id}; the value is the input of a call or the output of a return.
 */
public record Event<V>(int clientId, Kind kind, V value, int id) {
    public enum Kind {
        CALL,
        RETURN
    }
}
