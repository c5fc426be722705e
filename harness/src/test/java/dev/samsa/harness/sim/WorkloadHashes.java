package dev.samsa.harness.sim;

/** Trace hashes of real workload seeds, for the cross-JDK test (none wired yet: 0). */
final class WorkloadHashes {
    private WorkloadHashes() {}

    static long hashOf(long seed) {
        return 0;
    }
}
