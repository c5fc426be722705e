package dev.samsa.harness.sim;

import dev.samsa.harness.fault.FaultPlan;
import dev.samsa.harness.run.RunSpec;
import dev.samsa.harness.run.SeedRunner;
import java.util.Map;
import java.util.Set;

/** Trace hashes of real kraft seeds (swarm faults, shortened phases), for the cross-JDK test. */
final class WorkloadHashes {
    private WorkloadHashes() {}

    static long hashOf(long seed) {
        RunSpec spec = new RunSpec("kraft", Map.of("sim.faults.ms", "10000"), Set.of(), FaultPlan.Profile.SWARM);
        return Long.parseUnsignedLong(SeedRunner.run(spec, seed).traceHash(), 16);
    }
}
