package dev.samsa.harness.fault;

/** The fault families a seed can switch on. Every injection is counted under its name. */
public enum FaultFamily {
    /** Process crash, page cache kept, restarted later. */
    KILL("kill"),
    /** Power loss: unsynced writes lost, maybe a torn last write; restarted later. */
    POWER_LOSS("power-loss"),
    /** Disk replaced by an empty one; restarted later as a new incarnation. */
    WIPE("wipe"),
    /** Process frozen (GC pause, VM stall), then resumed with stale state: a zombie. */
    PAUSE("pause"),
    /** Network partitions: isolate one node, random halves, majority ring, one-way. */
    PARTITION("partition"),
    /** Latency on a link multiplied 10-100x for a while. */
    CLOG("clog");

    private final String label;

    FaultFamily(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
