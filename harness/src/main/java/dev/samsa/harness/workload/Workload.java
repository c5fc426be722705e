package dev.samsa.harness.workload;

import dev.samsa.harness.sim.Simulation;

/** A scenario: which nodes exist, what the clients do, and what is checked. */
public interface Workload {

    String name();

    /** One line for {@code --help} and reports. */
    String description();

    /** Rare protocol paths a campaign of this workload should reach; reports flag those it never did. */
    default java.util.List<String> declaredPaths() {
        return java.util.List.of();
    }

    /** Prefixes of the invariant ids this workload checks (reports list them even when they always held). */
    default java.util.List<String> invariantPrefixes() {
        return java.util.List.of(name() + ".");
    }

    /**
     * The Kafka settings whose values decide what this workload's invariants promise (e.g. acks,
     * min.insync.replicas): the columns of the report's verdict matrix.
     */
    default java.util.List<String> decidingSettings() {
        return java.util.List.of();
    }

    /**
     * Defaults this workload needs instead of the registry's, for keys swarm runs do not draw
     * (e.g. a longer quiesce phase for groups to converge); {@code --set} still wins.
     */
    default java.util.Map<String, String> settingDefaults() {
        return java.util.Map.of();
    }

    /**
     * Settings this workload's seeds draw although the catalog's swarm does not (the catalog's
     * draws apply to every workload): key -> the values drawn from, each key from its own stream
     * as the catalog's are; {@code --set} still wins.
     */
    default java.util.Map<String, java.util.List<String>> swarmValues() {
        return java.util.Map.of();
    }

    /** Adds the cluster, the clients and the per-event checks to {@code sim}. */
    WorkloadRun start(Simulation sim);
}
