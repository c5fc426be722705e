package dev.samsa.harness.fault;

import dev.samsa.harness.sim.Simulation;
import dev.samsa.impl.node.RandomStream;
import java.util.function.BooleanSupplier;

/**
 * A chain of fault injections at exponentially distributed intervals (a Poisson process of mean
 * {@code meanMs}) until {@code endNanos}: each link draws its delay from {@code random}, and when
 * it fires, injects once and schedules the next — unless {@code active} says the fault phase is
 * over (healed). The nemesis and every workload's client faults run such chains, each on its own
 * random stream, so one chain's draws never move another's.
 */
public final class FaultChain {

    private FaultChain() {}

    public static void start(Simulation sim, RandomStream random, long meanMs, long endNanos, BooleanSupplier active, Runnable inject) {
        long delay = (long) (random.nextExponential(meanMs) * 1_000_000L);
        if (sim.nowNanos() + delay > endNanos) {
            return; // past the fault phase: the chain ends
        }
        sim.schedule(delay, () -> {
            if (active.getAsBoolean()) {
                inject.run();
                start(sim, random, meanMs, endNanos, active, inject);
            }
        });
    }
}
