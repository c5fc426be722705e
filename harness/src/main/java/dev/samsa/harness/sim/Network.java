package dev.samsa.harness.sim;

import dev.samsa.impl.node.RandomStream;

/**
 * A connection-oriented network, like TCP between every pair of nodes: one FIFO channel per
 * ordered pair, each message delivered at {@code max(now + latency, last delivery on the
 * channel)}. Nothing orders messages across channels. A partition (or a crash) breaks the
 * connection: every message in flight on it is dropped (its generation is stale on arrival)
 * and both ends are told. Clogging multiplies a link's latency for a while.
 *
 * <p>Nodes are addressed here by dense index (see {@link Simulation#indexOf}).
 */
final class Network {

    private final RandomStream random;
    private final long latencyMinNanos;
    private final long latencyMaxNanos;
    /** Probability of a latency spike (up to 10x the maximum), as on a real LAN under load. */
    private static final double SPIKE_PROBABILITY = 0.01;

    private int capacity;
    private long[][] lastDeliveryNanos;
    private int[][] generation;
    private boolean[][] blocked;
    private double[][] clogFactor;
    private long[][] clogUntilNanos;

    long messagesSent;
    long messagesDroppedAtSend;

    Network(RandomStream random, long latencyMinNanos, long latencyMaxNanos) {
        if (latencyMinNanos < 0 || latencyMaxNanos < latencyMinNanos) {
            throw new IllegalArgumentException("bad latency range " + latencyMinNanos + ".." + latencyMaxNanos);
        }
        this.random = random;
        this.latencyMinNanos = latencyMinNanos;
        this.latencyMaxNanos = latencyMaxNanos;
        resize(8);
    }

    void ensureNodes(int n) {
        if (n > capacity) {
            resize(Math.max(n, capacity * 2));
        }
    }

    private void resize(int n) {
        long[][] ld = new long[n][n];
        int[][] gen = new int[n][n];
        boolean[][] bl = new boolean[n][n];
        double[][] cf = new double[n][n];
        long[][] cu = new long[n][n];
        for (int i = 0; i < n; i++) {
            java.util.Arrays.fill(cf[i], 1.0);
        }
        for (int i = 0; i < capacity; i++) {
            System.arraycopy(lastDeliveryNanos[i], 0, ld[i], 0, capacity);
            System.arraycopy(generation[i], 0, gen[i], 0, capacity);
            System.arraycopy(blocked[i], 0, bl[i], 0, capacity);
            System.arraycopy(clogFactor[i], 0, cf[i], 0, capacity);
            System.arraycopy(clogUntilNanos[i], 0, cu[i], 0, capacity);
        }
        lastDeliveryNanos = ld;
        generation = gen;
        blocked = bl;
        clogFactor = cf;
        clogUntilNanos = cu;
        capacity = n;
    }

    /**
     * When a message sent now from {@code from} to {@code to} arrives, or -1 if the link is
     * cut (the message is dropped; the sender was already told the connection broke).
     */
    long deliveryTime(int from, int to, long nowNanos) {
        messagesSent++;
        if (blocked[from][to]) {
            messagesDroppedAtSend++;
            return -1;
        }
        long latency = latencyMinNanos + (latencyMaxNanos > latencyMinNanos
                ? random.nextLong(0, latencyMaxNanos - latencyMinNanos) : 0);
        if (random.chance(SPIKE_PROBABILITY)) {
            latency += random.nextLong(0, 9 * latencyMaxNanos);
        }
        if (clogUntilNanos[from][to] > nowNanos) {
            latency = (long) (latency * clogFactor[from][to]);
        }
        long at = Math.max(nowNanos + latency, lastDeliveryNanos[from][to]);
        lastDeliveryNanos[from][to] = at;
        return at;
    }

    int generation(int from, int to) {
        return generation[from][to];
    }

    /** Breaks the connection between a and b: messages in flight both ways are dropped. */
    void breakConnection(int a, int b) {
        generation[a][b]++;
        generation[b][a]++;
    }

    void block(int from, int to) {
        blocked[from][to] = true;
    }

    void unblock(int from, int to) {
        blocked[from][to] = false;
    }

    boolean isBlocked(int from, int to) {
        return blocked[from][to];
    }

    void clog(int from, int to, double factor, long untilNanos) {
        clogFactor[from][to] = factor;
        clogUntilNanos[from][to] = untilNanos;
    }

    void unclogAll() {
        for (int i = 0; i < capacity; i++) {
            java.util.Arrays.fill(clogUntilNanos[i], 0L);
        }
    }
}
