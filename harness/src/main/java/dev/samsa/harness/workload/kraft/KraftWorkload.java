package dev.samsa.harness.workload.kraft;

import dev.samsa.harness.sim.Simulation;
import dev.samsa.harness.workload.Workload;
import dev.samsa.harness.workload.WorkloadRun;

/** Placeholder until the KRaft quorum lands. */
public final class KraftWorkload implements Workload {
    @Override
    public String name() {
        return "kraft";
    }

    @Override
    public String description() {
        return "KRaft controller quorum: clients write metadata records through the active controller and read the committed log";
    }

    @Override
    public WorkloadRun start(Simulation sim) {
        throw new UnsupportedOperationException("kraft workload not wired yet");
    }
}
