package dev.samsa.impl.client;

/** Called once per sent record when its outcome is known, like Kafka's producer {@code Callback}. */
@FunctionalInterface
public interface Callback {

    void onCompletion(SendResult result);
}
