package dev.samsa.harness.run;

/** The phases of every seed, in order. */
public enum Phase {
    /** Workload runs, no faults: the cluster forms. */
    WARMUP,
    /** Workload runs while the nemesis injects faults. */
    FAULTS,
    /** Every fault is undone at the start; the workload keeps running. */
    HEAL,
    /** The workload stops issuing operations; everything must converge (liveness). */
    QUIESCE
}
