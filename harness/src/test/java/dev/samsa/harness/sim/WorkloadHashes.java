package dev.samsa.harness.sim;

import dev.samsa.harness.fault.FaultPlan;
import dev.samsa.harness.run.RunSpec;
import dev.samsa.harness.run.SeedRunner;
import java.util.Map;
import java.util.Set;

/** Trace hashes of real kraft and queue seeds (swarm faults, shortened phases), for the cross-JDK test. */
final class WorkloadHashes {
    private WorkloadHashes() {}

    static long hashOf(long seed) {
        return hashOf("kraft", seed) ^ Long.rotateLeft(hashOf("queue", seed), 7);
    }

    static long hashOf(String workload, long seed) {
        RunSpec spec = new RunSpec(workload, Map.of("sim.faults.ms", "10000"), Set.of(), FaultPlan.Profile.SWARM);
        return Long.parseUnsignedLong(SeedRunner.run(spec, seed).traceHash(), 16);
    }
}
