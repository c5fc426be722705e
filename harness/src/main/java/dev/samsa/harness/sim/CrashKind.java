package dev.samsa.harness.sim;

/** How a process goes down, and what its disk keeps. */
public enum CrashKind {
    /** The process dies; the OS page cache survives, so nothing written is lost. */
    KILL("kill"),
    /** The machine loses power: each file keeps what was fsynced plus a random written-back prefix. */
    POWER_LOSS("power-loss"),
    /** As {@link #POWER_LOSS}, and the last surviving unsynced write may be torn. */
    POWER_LOSS_TORN("power-loss-torn"),
    /** The disk is replaced by a new empty one: a new incarnation with no state. */
    WIPE("wipe");

    private final String label;

    CrashKind(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
