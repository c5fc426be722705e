package dev.samsa.harness.fault;

import dev.samsa.harness.sim.Simulation;

/**
 * Keeps a fault plan inside what the configuration promises to survive. The workload knows
 * its promises (a KRaft voter's disk must not be wiped; with acks=all and
 * min.insync.replicas=2 at most one in-sync replica may lose power before a flush...).
 * An unrestricted plan ignores the budget: that run checks safety beyond the promise and its
 * violations are reported as expected.
 */
@FunctionalInterface
public interface FaultBudget {

    /** May {@code family} hit node {@code nodeId} now? */
    boolean allows(FaultFamily family, int nodeId, Simulation sim);

    FaultBudget ANYTHING = (family, nodeId, sim) -> true;
}
