package dev.samsa.impl.node;

import dev.samsa.spec.bugs.Bug;
import dev.samsa.spec.config.Settings;

/**
 * Everything a {@link Node} may use to act on the world. The simulation provides it; a node
 * gets one at construction and keeps it for its incarnation.
 */
public interface Context {

    /** This node's id ({@code node.id} in Kafka). */
    int nodeId();

    /** Simulated time in nanoseconds since the start of the run. */
    long nowNanos();

    /**
     * Simulated wall-clock time in milliseconds, for record timestamps and retention: a
     * seed-derived epoch plus {@link #nowNanos()}.
     */
    long wallClockMs();

    /** Sends {@code message} on this node's connection to {@code to}, FIFO per connection. */
    void send(int to, Message message);

    /** Fires {@code timer} after {@code delayNanos} of simulated time, unless cancelled. */
    TimerHandle setTimer(long delayNanos, Timer timer);

    /** This node's own seeded random stream. */
    RandomStream random();

    /** This node's disk; it outlives the node object across crashes (not across a wipe). */
    Disk disk();

    /** The Kafka settings of this run (defaults overridden by {@code --set}). */
    Settings settings();

    /** Whether the historical bug {@code bug} was switched back on for this run. */
    boolean bug(Bug bug);

    /** True when trace lines are kept; build costly trace strings only then. */
    boolean tracing();

    /** A line for the readable trace of {@code replay --trace}. */
    void trace(String line);

    /**
     * A rare protocol path was taken (for coverage reports): e.g. "raft.leader-resigned-check-quorum".
     */
    void reached(String path);
}
