package dev.samsa.harness.sim;

/** What a simulated node is, so faults can aim at roles and budgets can protect them. */
public enum Role {
    CONTROLLER,
    BROKER,
    CLIENT
}
