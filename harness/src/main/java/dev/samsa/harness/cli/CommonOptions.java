package dev.samsa.harness.cli;

import dev.samsa.harness.fault.FaultPlan;
import dev.samsa.harness.fault.FaultSchedule;
import dev.samsa.harness.run.RunSpec;
import dev.samsa.harness.run.SeedRunner;
import dev.samsa.harness.workload.Workloads;
import dev.samsa.spec.bugs.Bug;
import java.util.ArrayList;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import picocli.CommandLine.Option;

/** The options that decide what a seed does: shared by run, replay and shrink. */
public final class CommonOptions {

    /** The workload replay and shrink use when none is named; run without --workload runs every workload. */
    static final String DEFAULT_WORKLOAD = "queue";

    @Option(names = "--workload", paramLabel = "W",
            description = "Workload: kraft (the controller quorum), queue (replicated partitions, producers and consumers), "
                    + "groups (consumer groups), txn (transactions) or eos (consume-transform-produce, exactly once). "
                    + "run without --workload runs the default suite (every workload); replay and shrink default to queue.")
    String workload;

    @Option(names = "--faults", paramLabel = "PROFILE", defaultValue = "swarm",
            description = "Fault profile: none, swarm (default), kill, power, partition, clog, pause, unrestricted.")
    String faults;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Fix a Kafka setting by its Kafka key, e.g. --set controller.quorum.fetch.timeout.ms=2000 (repeatable; ./samsa settings lists them).")
    List<String> settings = new ArrayList<>();

    @Option(names = "--bug", paramLabel = "NAME",
            description = "Switch a historical Kafka bug back on, by JIRA id or flag (repeatable; ./samsa bugs lists them).")
    List<String> bugs = new ArrayList<>();

    @Option(names = "--schedule", paramLabel = "FILE",
            description = "Inject exactly the faults listed in FILE (a failing seed's faults.txt, or what shrink wrote) instead of drawing them.")
    Path schedule;

    /** The validated spec; bad input becomes a {@link UsageException} naming what is wrong. */
    RunSpec toSpec() {
        return toSpec(workload == null ? DEFAULT_WORKLOAD : workload);
    }

    /** True when no --workload was given (run then runs the default suite). */
    boolean workloadGiven() {
        return workload != null;
    }

    RunSpec toSpec(String workload) {
        if (Workloads.find(workload).isEmpty()) {
            throw new UsageException("unknown workload '" + workload + "'; known: " + String.join(", ", Workloads.names()));
        }
        FaultPlan.Profile profile;
        try {
            profile = FaultPlan.Profile.parse(faults);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        TreeMap<String, String> fixed = new TreeMap<>();
        for (String kv : settings) {
            int eq = kv.indexOf('=');
            if (eq <= 0) {
                throw new UsageException("--set needs KEY=VALUE, got '" + kv + "'");
            }
            fixed.put(kv.substring(0, eq).trim(), kv.substring(eq + 1).trim());
        }
        EnumSet<Bug> bugSet = EnumSet.noneOf(Bug.class);
        for (String b : bugs) {
            bugSet.add(Bug.parse(b).orElseThrow(() -> new UsageException("unknown bug '" + b + "'; ./samsa bugs lists the known ones")));
        }
        try {
            Optional<FaultSchedule> faults = schedule == null ? Optional.empty() : Optional.of(FaultSchedule.read(schedule));
            return new RunSpec(workload, fixed, bugSet, profile, faults);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    /** A schedule naming a node the workload does not have (in {@code seed}'s cluster) is bad input. */
    static void checkSchedule(RunSpec spec, long seed) {
        try {
            SeedRunner.checkSchedule(spec, seed);
        } catch (FaultSchedule.FormatException e) {
            throw new UsageException(e.getMessage());
        }
    }
}
