package dev.samsa.harness.cli;

import dev.samsa.harness.run.RunSpec;
import dev.samsa.harness.run.SeedResult;
import dev.samsa.harness.run.SeedRunner;
import dev.samsa.harness.sim.Simulation;
import dev.samsa.harness.sim.TraceSink;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "replay", mixinStandardHelpOptions = true,
        description = "Re-run one seed bit for bit, optionally with a readable trace of every event. Exit codes as for run.")
final class ReplayCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Option(names = "--seed", paramLabel = "S", required = true, description = "The seed to replay.")
    long seed;

    @Option(names = "--trace", description = "Print one line per event, and every role change, to standard output.")
    boolean trace;

    @Option(names = "--history-dir", paramLabel = "DIR",
            description = "Write the run's history (queue: history.jsonl, re-checkable with ./samsa check) into DIR.")
    Path historyDir;

    @Option(names = "--timeline", paramLabel = "FILE",
            description = "Write the seed's timeline page (clients, faults, leaders, violations; one self-contained HTML file) to FILE.")
    Path timelineFile;

    @Option(names = "--trace-file", paramLabel = "FILE", description = "Write the trace to FILE instead.")
    Path traceFile;

    @Override
    public Integer call() throws IOException {
        RunSpec spec = common.toSpec();
        CommonOptions.checkSchedule(spec, seed);
        java.util.Optional<Path> artifacts = java.util.Optional.ofNullable(historyDir);
        if (timelineFile != null && Files.isDirectory(timelineFile)) {
            throw new UsageException("--timeline needs a file name, and " + timelineFile + " is a directory");
        }
        java.util.Optional<Path> timeline = timelineFile != null ? java.util.Optional.of(timelineFile)
                : artifacts.map(dir -> dir.resolve("timeline.html"));
        if (historyDir != null) {
            Files.createDirectories(historyDir);
        }
        PrintStream out = System.out;
        SeedResult r;
        if (traceFile != null) {
            Path parent = traceFile.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            try (BufferedWriter w = Files.newBufferedWriter(traceFile, StandardCharsets.UTF_8)) {
                r = SeedRunner.run(spec, seed, line -> {
                    try {
                        w.write(line);
                        w.newLine();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }, true, artifacts, timeline);
            }
        } else if (trace) {
            r = SeedRunner.run(spec, seed, out::println, true, artifacts, timeline);
        } else {
            r = SeedRunner.run(spec, seed, TraceSink.NONE, false, artifacts, timeline);
        }
        out.printf("seed %d (%s): %s%n", seed, spec.cliOptions(), r.passed() ? "PASS" : "FAIL");
        out.printf("  faults:   %s%n", r.faultPlan());
        out.printf("  settings: %s%n", r.settings().isEmpty() ? "Kafka defaults" : r.settings());
        for (SeedResult.Finding f : r.findings()) {
            out.printf("  %s %s at %s: %s%n", f.expected() ? "expected" : "VIOLATED", f.invariant(),
                    f.atNanos() < 0 ? "end of run" : Simulation.formatTime(f.atNanos()).trim(), f.evidence());
        }
        if (!r.stats().isEmpty()) {
            out.printf("  workload: %s%n", r.stats());
        }
        out.printf("  %d events, %.1f simulated s in %.3f wall s%n", r.events(), r.simulatedNanos() / 1e9, r.wallNanos() / 1e9);
        out.printf("trace hash %s%n", r.traceHash());
        if (timelineFile != null) {
            out.printf("timeline: %s%n", timelineFile);
        }
        return r.passed() ? 0 : 1;
    }
}
