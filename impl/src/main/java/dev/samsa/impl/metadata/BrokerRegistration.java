package dev.samsa.impl.metadata;

/** A broker as the metadata log describes it. {@code epoch} is the offset of its registration record. */
public record BrokerRegistration(int brokerId, long epoch, long incarnationId, boolean fenced) {

    BrokerRegistration withFenced(boolean f) {
        return new BrokerRegistration(brokerId, epoch, incarnationId, f);
    }
}
