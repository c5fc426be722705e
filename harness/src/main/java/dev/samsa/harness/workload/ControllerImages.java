package dev.samsa.harness.workload;

import dev.samsa.harness.sim.Simulation;
import dev.samsa.impl.metadata.ClusterImage;
import dev.samsa.impl.controller.ControllerNode;
import java.util.List;
import java.util.Optional;

/**
 * What the workloads' checks read of the quorum's decisions: the live controllers' committed
 * metadata images. Committed prefixes agree (the kraft invariants check it), so the most advanced
 * one is the freshest view of what the quorum decided; a newly elected leader's own image may
 * still lag behind it.
 */
public final class ControllerImages {

    private final Simulation sim;
    private final List<Integer> voters;
    private long maxAppliedOffset = -1;

    /** {@code voters} is read at each call (a cluster may fill it after making this). */
    public ControllerImages(Simulation sim, List<Integer> voters) {
        this.sim = sim;
        this.voters = voters;
    }

    /** The most advanced committed metadata image among the live controllers. */
    public Optional<ClusterImage> active() {
        ClusterImage best = null;
        for (int id : voters) {
            if (sim.state(id) != Simulation.NodeState.DOWN) {
                ClusterImage img = ((ControllerNode) sim.node(id).orElseThrow()).image();
                if (best == null || img.appliedOffset() > best.appliedOffset()) {
                    best = img;
                }
            }
        }
        if (best != null) {
            maxAppliedOffset = Math.max(maxAppliedOffset, best.appliedOffset());
        }
        return Optional.ofNullable(best);
    }

    /**
     * The most advanced image only when no controller has seen more of the log before: right
     * after every controller restarted, their images are rebuilt from the start and describe the
     * past, which must not be taken for the present ISR.
     */
    public Optional<ClusterImage> fresh() {
        return active().filter(i -> i.appliedOffset() >= maxAppliedOffset);
    }
}
