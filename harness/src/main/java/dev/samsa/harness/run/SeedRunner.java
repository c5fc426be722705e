package dev.samsa.harness.run;

import dev.samsa.harness.fault.FaultPlan;
import dev.samsa.harness.fault.FaultSchedule;
import dev.samsa.harness.fault.Nemesis;
import dev.samsa.harness.sim.Simulation;
import dev.samsa.harness.sim.TraceSink;
import dev.samsa.harness.sim.Violation;
import dev.samsa.harness.workload.Workload;
import dev.samsa.harness.workload.WorkloadRun;
import dev.samsa.harness.workload.Workloads;
import dev.samsa.impl.node.RandomStream;
import dev.samsa.spec.config.ConfigKey;
import dev.samsa.spec.config.KafkaConfigs;
import dev.samsa.spec.config.Settings;
import dev.samsa.spec.invariant.Invariant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/** Runs one seed of a {@link RunSpec} through its four phases and checks it. */
public final class SeedRunner {

    private SeedRunner() {}

    /** The settings of this seed: the user's fixed values, else a swarm draw, else Kafka's default. */
    public static Settings settingsFor(RunSpec spec, long seed) {
        TreeMap<String, String> values = new TreeMap<>();
        java.util.Map<String, String> workloadDefaults = Workloads.find(spec.workload()).map(Workload::settingDefaults).orElse(java.util.Map.of());
        java.util.Map<String, java.util.List<String>> workloadSwarm = Workloads.find(spec.workload()).map(Workload::swarmValues)
                .orElse(java.util.Map.of());
        for (ConfigKey k : KafkaConfigs.all()) {
            // Each key draws from its own stream, so fixing one key, or adding a new one, never
            // shifts another key's draw (a seed keeps its settings as the catalog grows).
            java.util.List<String> swarm = workloadSwarm.getOrDefault(k.name(), k.swarmValues());
            String drawn = swarm.isEmpty() ? workloadDefaults.getOrDefault(k.name(), k.defaultValue())
                    : swarm.get(RandomStream.named(seed, "config/" + k.name()).nextInt(swarm.size()));
            values.put(k.name(), spec.fixedSettings().getOrDefault(k.name(), drawn));
        }
        return Settings.defaults().withAll(values);
    }

    public static FaultPlan faultPlanFor(RunSpec spec, long seed) {
        return FaultPlan.draw(spec.faults(), RandomStream.named(seed, "fault-plan"));
    }

    public static SeedResult run(RunSpec spec, long seed) {
        return run(spec, seed, TraceSink.NONE, false);
    }

    public static SeedResult run(RunSpec spec, long seed, TraceSink trace, boolean tracing) {
        return run(spec, seed, trace, tracing, java.util.Optional.empty());
    }

    /**
     * As {@link #run(RunSpec, long, TraceSink, boolean)}, and writes the workload's artifacts (its
     * history) and the seed's {@code timeline.html} into {@code artifacts}.
     */
    public static SeedResult run(RunSpec spec, long seed, TraceSink trace, boolean tracing, java.util.Optional<java.nio.file.Path> artifacts) {
        return run(spec, seed, trace, tracing, artifacts, artifacts.map(dir -> dir.resolve("timeline.html")));
    }

    /** As above, with the timeline page written to {@code timeline} (if given) instead. */
    public static SeedResult run(RunSpec spec, long seed, TraceSink trace, boolean tracing, java.util.Optional<java.nio.file.Path> artifacts,
            java.util.Optional<java.nio.file.Path> timeline) {
        long wallStart = System.nanoTime();
        Workload workload = Workloads.find(spec.workload())
                .orElseThrow(() -> new IllegalArgumentException("unknown workload '" + spec.workload() + "'; known: " + Workloads.names()));
        Settings settings = settingsFor(spec, seed);
        FaultPlan plan = faultPlanFor(spec, seed);
        Simulation sim = new Simulation(seed, settings, spec.bugs(), trace, tracing);
        String faults = spec.schedule().map(s -> "schedule " + s.source() + " (" + s.faultCount() + " faults)").orElse(plan.describe());
        sim.trace("SEED " + seed + " workload=" + spec.workload() + " faults=" + faults
                + " settings=" + settings.nonDefaults() + (spec.bugs().isEmpty() ? "" : " bugs=" + spec.bugs()));
        WorkloadRun run = workload.start(sim);
        // A schedule naming a node this run does not have is bad input, not a finding.
        spec.schedule().ifPresent(s -> s.checkNodes(sim.allNodeIds()));
        Nemesis nemesis = new Nemesis(sim, plan, run.targetOracle(), run.faultBudget(), spec.schedule());
        run.watchTriggers(nemesis::trigger);

        try {
            runPhases(sim, run, nemesis, settings);
        } catch (RuntimeException e) {
            // A node's assertion (or a checker's) failed: the seed found a state its code rules out.
            String where = e.getStackTrace().length > 0 ? " at " + e.getStackTrace()[0] : "";
            Violation v = Violation.of(Invariant.NODE_ASSERTION, sim.nowNanos(), e.getClass().getSimpleName() + ": " + e.getMessage() + where);
            sim.violation(run.outsidePromise() ? v.asExpected() : v);
        }

        artifacts.ifPresent(dir -> run.writeArtifacts(dir, seed, spec.cliOptions()));
        List<SeedResult.Finding> findings = new ArrayList<>();
        boolean passed = true;
        for (Violation v : sim.violations()) {
            findings.add(new SeedResult.Finding(v.invariant().id(), v.invariant().statement(), v.atNanos(), v.expected(), v.evidence()));
            passed &= v.expected();
        }
        sim.trace("END " + (passed ? "PASS" : "FAIL") + " events=" + sim.eventsFired() + " hash=" + hex(sim.traceHash()));
        SeedResult result = new SeedResult(
                seed,
                spec.workload(),
                passed,
                findings,
                faults,
                settings.nonDefaults(),
                sim.counters(),
                sim.reachedPaths(),
                run.stats(),
                hex(sim.traceHash()),
                sim.nowNanos(),
                sim.eventsFired(),
                System.nanoTime() - wallStart,
                FaultSchedule.of(settings.getMsAsNanos("sim.warmup.ms"), nemesis.recorded()).lines(),
                run.rebalanceNanos(), run.latencyNanos());
        timeline.ifPresent(file -> SeedTimeline.write(file, spec, sim, run, nemesis.recorded(), result));
        return result;
    }

    /**
     * Checks, before any run, that {@code spec}'s schedule (if any) names only nodes the
     * workload has; throws {@link FaultSchedule.FormatException} naming the file and line.
     */
    public static void checkSchedule(RunSpec spec, long seed) {
        if (spec.schedule().isEmpty()) {
            return;
        }
        Workload workload = Workloads.find(spec.workload())
                .orElseThrow(() -> new IllegalArgumentException("unknown workload '" + spec.workload() + "'"));
        Simulation sim = new Simulation(seed, settingsFor(spec, seed), spec.bugs(), TraceSink.NONE, false);
        workload.start(sim);
        spec.schedule().get().checkNodes(sim.allNodeIds());
    }

    private static void runPhases(Simulation sim, WorkloadRun run, Nemesis nemesis, Settings settings) {
        long t = 0;
        sim.trace("PHASE warm-up");
        run.onPhase(Phase.WARMUP);
        t += settings.getMsAsNanos("sim.warmup.ms");
        sim.runUntil(t);
        if (!sim.stopped()) {
            run.onPhase(Phase.FAULTS);
            nemesis.start(settings.getMsAsNanos("sim.faults.ms"));
            t += settings.getMsAsNanos("sim.faults.ms");
            sim.runUntil(t);
        }
        if (!sim.stopped()) {
            nemesis.heal();
            run.onPhase(Phase.HEAL);
            t += settings.getMsAsNanos("sim.heal.ms");
            sim.runUntil(t);
        }
        if (!sim.stopped()) {
            sim.trace("PHASE quiesce");
            run.onPhase(Phase.QUIESCE);
            t += settings.getMsAsNanos("sim.quiesce.ms");
            sim.runUntil(t);
        }
        if (!sim.stopped()) {
            run.finish();
        }
    }

    public static String hex(long h) {
        return String.format("%016x", h);
    }
}
