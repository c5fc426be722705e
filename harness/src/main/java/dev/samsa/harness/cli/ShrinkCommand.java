package dev.samsa.harness.cli;

import dev.samsa.harness.fault.FaultSchedule;
import dev.samsa.harness.run.Json;
import dev.samsa.harness.run.RunSpec;
import dev.samsa.harness.run.SeedResult;
import dev.samsa.harness.run.Shrinker;
import dev.samsa.harness.sim.Simulation;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "shrink", mixinStandardHelpOptions = true,
        description = "Cut a failing seed's faults down to a small schedule that still violates the same invariant, and print the command that replays it. Exit 0: the seed passes; 1: a shrunk failure is printed; 2: bad usage.")
final class ShrinkCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Option(names = "--seed", paramLabel = "S", required = true, description = "The failing seed to shrink.")
    long seed;

    @Option(names = "--max-runs", paramLabel = "N", defaultValue = "200", description = "At most N seed runs in all (default: ${DEFAULT-VALUE}).")
    int maxRuns;

    @Option(names = "--threads", paramLabel = "N", description = "Candidate runs at a time (default: all cores).")
    Integer threads;

    @Option(names = "--out", paramLabel = "FILE", description = "Where to write the shrunk schedule (default: shrink-seed-S.txt).")
    Path out;

    @Override
    public Integer call() {
        RunSpec spec = common.toSpec();
        CommonOptions.checkSchedule(spec, seed);
        if (maxRuns < 2) {
            throw new UsageException("--max-runs must be at least 2, got " + maxRuns);
        }
        int t = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        if (t < 1) {
            throw new UsageException("--threads must be at least 1, got " + t);
        }
        PrintStream o = System.out;
        Shrinker.Outcome outcome = new Shrinker(new Shrinker.Options(spec, seed, maxRuns, t, o)).run();
        if (outcome.original().passed()) {
            o.printf("seed %d (%s) passes: nothing to shrink%n", seed, spec.cliOptions());
            return 0;
        }
        if (outcome.shrunk().isEmpty()) {
            return SamsaCli.EXIT_VIOLATION;
        }
        Path file = out != null ? out : Path.of("shrink-seed-" + seed + ".txt");
        FaultSchedule schedule = outcome.schedule().withSource(file.toString());
        String replay = "./samsa replay --seed " + seed + " " + outcome.spec().withSchedule(schedule).cliOptions();
        Json.writeStringAtomically(file, schedule.format(List.of(
                "seed " + seed + " shrunk from " + outcome.startFaults() + " to " + schedule.faultCount() + " fault events in "
                        + outcome.runs() + " runs; times in simulated seconds",
                "replay: " + replay)));
        SeedResult r = outcome.shrunk().get();
        SeedResult.Finding f = r.findings().stream().filter(x -> !x.expected() && outcome.target().contains(x.invariant())).findFirst().orElseThrow();
        o.printf("shrink: %d -> %d fault events in %d runs; still violates %s at %s: %s%n", outcome.startFaults(), schedule.faultCount(),
                outcome.runs(), f.invariant(), f.atNanos() < 0 ? "end of run" : Simulation.formatTime(f.atNanos()).trim(), f.evidence());
        for (String line : schedule.lines()) {
            o.println("  " + line);
        }
        o.println("schedule: " + file);
        o.println("replay: " + replay);
        return SamsaCli.EXIT_VIOLATION;
    }
}
