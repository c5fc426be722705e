package dev.samsa.harness.sim;

import dev.samsa.spec.invariant.Invariant;

/**
 * An invariant that did not hold: which one, when (simulated nanos; -1 for end-of-run checks),
 * and the evidence a person needs to see why.
 *
 * @param expected true when the seed's settings or fault plan put the property outside what
 *     Kafka promises: reported, but the seed still passes
 */
public record Violation(Invariant invariant, long atNanos, String evidence, boolean expected) {

    public static Violation of(Invariant invariant, long atNanos, String evidence) {
        return new Violation(invariant, atNanos, evidence, false);
    }

    public Violation asExpected() {
        return new Violation(invariant, atNanos, evidence, true);
    }
}
