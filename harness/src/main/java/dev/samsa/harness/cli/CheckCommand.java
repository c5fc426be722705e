package dev.samsa.harness.cli;

import dev.samsa.lin.io.CheckFiles;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Check saved histories for linearizability (Porcupine's formats). Exit 0: all linearizable; 1: any not, or undecided; 2: unreadable input.")
final class CheckCommand implements Callable<Integer> {

    @Option(names = "--format", paramLabel = "etcd|kv", required = true,
            description = "etcd: Jepsen etcd logs (a register with read, write, cas); kv: EDN get/put/append lines, checked key by key.")
    String format;

    @Option(names = "--html", paramLabel = "DIR", description = "Write a visualization per file (self-contained HTML) into DIR.")
    Path html;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "0", description = "Give up on a file after this long (its verdict is then unknown); 0: no limit.")
    long timeoutSeconds;

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "History files.")
    List<Path> files;

    @Override
    public Integer call() {
        CheckFiles.Format f;
        try {
            f = CheckFiles.Format.valueOf(format.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new UsageException("--format must be etcd or kv, got '" + format + "'");
        }
        if (timeoutSeconds < 0) {
            throw new UsageException("--timeout must be 0 or more seconds");
        }
        return CheckFiles.run(f, files, Optional.ofNullable(html), Duration.ofSeconds(timeoutSeconds), System.out, System.err);
    }
}
