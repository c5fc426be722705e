package dev.samsa.impl.node;

/**
 * Anything sent between nodes. Protocols declare a sealed sub-interface and records for their
 * messages. Messages are immutable: the network hands the same object to the receiver.
 */
public interface Message {

    /** Approximate size on the wire, used for throughput and clogging models. */
    default int sizeBytes() {
        return 64;
    }
}
