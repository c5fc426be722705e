package dev.samsa.harness.fault;

import java.util.OptionalInt;

/** Names the node a targeted fault should hit: the active controller, a partition leader... */
@FunctionalInterface
public interface TargetOracle {

    OptionalInt target();

    TargetOracle NONE = OptionalInt::empty;
}
