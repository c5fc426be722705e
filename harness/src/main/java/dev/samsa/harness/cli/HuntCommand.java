package dev.samsa.harness.cli;

import dev.samsa.harness.fault.FaultPlan;
import dev.samsa.harness.run.BugHunt;
import dev.samsa.harness.run.RunSpec;
import dev.samsa.harness.run.SeedRange;
import dev.samsa.harness.workload.Workloads;
import dev.samsa.spec.bugs.Bug;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "hunt", mixinStandardHelpOptions = true,
        description = "For each historical bug flag, find the first seed that fails with it and check that seed passes without it; "
                + "writes bugs.md and bugs.html. Exit 0: every flag found and confirmed; 1: a flag not found, or its seed fails without it too; "
                + "2: bad usage.")
final class HuntCommand implements Callable<Integer> {

    @Option(names = "--workload", paramLabel = "W", defaultValue = CommonOptions.DEFAULT_WORKLOAD,
            description = "Workload: kraft, queue, groups, txn or eos (default: ${DEFAULT-VALUE}).")
    String workload;

    @Option(names = "--faults", paramLabel = "PROFILE", defaultValue = "swarm",
            description = "Fault profile (default: ${DEFAULT-VALUE}).")
    String faults;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Fix a Kafka setting for every seed (repeatable).")
    List<String> settings = new ArrayList<>();

    @Option(names = "--seeds", paramLabel = "N|A..B", defaultValue = "2000",
            description = "How many seeds (0..N-1), or an inclusive range A..B, to search per flag (default: ${DEFAULT-VALUE}).")
    String seeds;

    @Option(names = "--threads", paramLabel = "N", description = "Worker threads (default: all cores).")
    Integer threads;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "samsa-hunt", description = "Output directory (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--no-progress", description = "No progress line, even on a terminal.")
    boolean noProgress;

    @Parameters(paramLabel = "FLAG", arity = "0..*",
            description = "Flags to hunt, by JIRA id, flag name or catalog id (default: every flag that applies to the workload; ./samsa bugs lists them).")
    List<String> flags = new ArrayList<>();

    @Override
    public Integer call() {
        RunSpec base = spec();
        SeedRange range;
        try {
            range = SeedRange.parse(seeds);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        int t = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        if (t < 1) {
            throw new UsageException("--threads must be at least 1, got " + t);
        }
        List<Bug> bugs = bugs();
        return new BugHunt(new BugHunt.Options(base, range, t, out, System.out, !noProgress && System.console() != null, System.err)).run(bugs);
    }

    private RunSpec spec() {
        if (Workloads.find(workload).isEmpty()) {
            throw new UsageException("unknown workload '" + workload + "'; known: " + String.join(", ", Workloads.names()));
        }
        FaultPlan.Profile profile;
        try {
            profile = FaultPlan.Profile.parse(faults);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        TreeMap<String, String> fixed = PerfCommands.parseSettings(settings);
        return new RunSpec(workload, fixed, EnumSet.noneOf(Bug.class), profile);
    }

    /** The flags named (each must exist and apply to the workload), else every flag that applies. */
    private List<Bug> bugs() {
        if (flags.isEmpty()) {
            List<Bug> all = BugHunt.applicableTo(workload);
            if (all.isEmpty()) {
                throw new UsageException("no bug flag applies to the " + workload + " workload");
            }
            return all;
        }
        List<Bug> named = new ArrayList<>();
        for (String f : flags) {
            Bug b = Bug.parse(f).orElseThrow(() -> new UsageException("unknown bug '" + f + "'; ./samsa bugs lists the known ones"));
            if (!BugHunt.workloadsOf(b).contains(workload)) {
                throw new UsageException(b.jira() + " shows in the " + String.join(" or ", BugHunt.workloadsOf(b)) + " workload, not " + workload
                        + "; add --workload " + BugHunt.workloadsOf(b).get(0));
            }
            if (!named.contains(b)) {
                named.add(b);
            }
        }
        return named;
    }
}
