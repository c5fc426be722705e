package dev.samsa.harness.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ./samsa}: the command line. Exit 0: every invariant held; 1: a violation; 2: bad usage or input. */
@Command(name = "samsa", mixinStandardHelpOptions = true, version = "samsa 0.1.0",
        description = "A deterministic, verification-first reference implementation of Apache Kafka.",
        subcommands = {
            RunCommand.class,
            ReplayCommand.class,
            ShrinkCommand.class,
            HuntCommand.class,
            CheckCommand.class,
            ReportCommand.class,
            PerfCommands.Perf.class,
            PerfCommands.Durability.class,
            CatalogCommands.Bugs.class,
            CatalogCommands.Invariants.class,
            CatalogCommands.Settings.class,
        })
public final class SamsaCli implements Runnable {

    public static final int EXIT_VIOLATION = 1;
    public static final int EXIT_USAGE = 2;

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line and returns the exit code (for tests). */
    public static int execute(String... args) {
        CommandLine cmd = new CommandLine(new SamsaCli());
        cmd.setParameterExceptionHandler((ex, a) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            err.println("samsa: " + ex.getMessage());
            err.println("try: ./samsa " + (ex.getCommandLine().getCommandName().equals("samsa") ? "" : ex.getCommandLine().getCommandName() + " ") + "--help");
            err.flush();
            return EXIT_USAGE;
        });
        cmd.setExecutionExceptionHandler((ex, c, parseResult) -> {
            PrintWriter err = c.getErr();
            if (ex instanceof UsageException) {
                err.println("samsa: " + ex.getMessage());
                err.flush();
                return EXIT_USAGE;
            }
            if (ex instanceof java.io.UncheckedIOException || ex instanceof java.io.IOException) {
                err.println("samsa: cannot read or write a file: " + ex.getMessage());
                err.flush();
                return EXIT_USAGE;
            }
            throw ex; // a bug in samsa: the stack trace is what its maintainer needs
        });
        return cmd.execute(args);
    }
}
