package dev.samsa.impl.node;

/**
 * A simulated process: a state machine that only reacts. It never blocks, never reads a clock
 * and never starts a thread; everything it may touch comes through its {@link Context}.
 *
 * <p>A node object lives for one incarnation of a process. A crash discards it; a restart
 * builds a fresh object that must recover whatever it needs from {@link Context#disk()}.
 */
public interface Node {

    /** Called once, first, when the process starts (or restarts after a crash). */
    void onStart();

    /** A message from {@code from} arrived on the connection between the two nodes. */
    void onMessage(int from, Message message);

    /** A timer this node set has fired (it was not cancelled). */
    void onTimer(Timer timer);

    /**
     * The connection to {@code peer} broke (partition, or the peer crashed): every message in
     * flight on it, both ways, is gone. Requests sent to that peer will never be answered.
     */
    void onDisconnect(int peer);
}
