package dev.samsa.impl.node;

/** A scheduled timer, which can be cancelled before it fires. Cancelling twice is harmless. */
public interface TimerHandle {

    void cancel();

    boolean isCancelled();

    /** A handle for "no timer", so fields never hold null. */
    TimerHandle NONE = new TimerHandle() {
        @Override
        public void cancel() {}

        @Override
        public boolean isCancelled() {
            return true;
        }
    };
}
