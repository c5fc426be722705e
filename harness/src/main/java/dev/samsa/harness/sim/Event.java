package dev.samsa.harness.sim;

/**
 * Something that happens at a simulated instant. Ordered by {@code (timeNanos, seq)}: the
 * sequence number grows with every scheduled event, so two events at the same instant always
 * run in the order they were scheduled, on every JVM.
 */
abstract class Event {
    long timeNanos;
    long seq;

    /** Runs the event; the simulation has already advanced its clock to {@link #timeNanos}. */
    abstract void fire(Simulation sim);

    /** Which node the event is for, or -1 for harness actions (used for pause and tracing). */
    int target() {
        return -1;
    }

    /** A short stable code for the rolling trace hash. */
    abstract int kindCode();

    /** What else identifies the event in the rolling trace hash (sender, message class...). */
    abstract long hashBits();
}
