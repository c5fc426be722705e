package dev.samsa.harness.cli;

import dev.samsa.harness.check.FormatException;
import dev.samsa.harness.check.groups.GroupCheckFiles;
import dev.samsa.harness.check.groups.GroupHistoryJson;
import dev.samsa.harness.check.queue.QueueCheckFiles;
import dev.samsa.harness.check.txn.TxnCheckFiles;
import dev.samsa.harness.check.txn.TxnHistoryJson;
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
        description = "Check saved histories: queue histories (.jsonl, samsa.queue-history/1) against Jepsen's Kafka anomalies, groups histories (samsa.groups-history/1) against the consumer-group invariants, txn and eos histories (samsa.txn-history/1) against the transaction invariants (recognised by their header), or linearizability (Porcupine's formats). Exit 0: no violation (all linearizable); 1: a violation (any not linearizable, or undecided); 2: unreadable input.")
final class CheckCommand implements Callable<Integer> {

    @Option(names = "--format", paramLabel = "queue|etcd|kv",
            description = "queue: samsa queue histories (the default for .jsonl files); etcd: Jepsen etcd logs (a register with read, write, cas); kv: EDN get/put/append lines, checked key by key.")
    String format;

    @Option(names = "--html", paramLabel = "DIR", description = "Write a visualization per file (self-contained HTML) into DIR.")
    Path html;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "0", description = "Give up on a file after this long (its verdict is then unknown); 0: no limit.")
    long timeoutSeconds;

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "History files.")
    List<Path> files;

    @Override
    public Integer call() {
        String chosen = format != null ? format.trim().toLowerCase(Locale.ROOT) : defaultFormat();
        if (chosen.equals("queue")) {
            return checkQueue();
        }
        CheckFiles.Format f;
        try {
            f = CheckFiles.Format.valueOf(chosen.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new UsageException("--format must be queue, etcd or kv, got '" + format + "'");
        }
        if (timeoutSeconds < 0) {
            throw new UsageException("--timeout must be 0 or more seconds");
        }
        return CheckFiles.run(f, files, Optional.ofNullable(html), Duration.ofSeconds(timeoutSeconds), System.out, System.err);
    }

    /** Queue histories are recognised by their extension; the other formats must be named. */
    private String defaultFormat() {
        for (Path f : files) {
            if (!f.getFileName().toString().endsWith(".jsonl")) {
                throw new UsageException("--format is needed for " + f + " (etcd or kv; queue histories end in .jsonl)");
            }
        }
        return "queue";
    }

    private int checkQueue() {
        if (html != null) {
            throw new UsageException("--html draws linearizability checks only, not queue histories");
        }
        List<Path> queue = new java.util.ArrayList<>();
        List<Path> groups = new java.util.ArrayList<>();
        List<Path> txn = new java.util.ArrayList<>();
        for (Path f : files) {
            if (GroupHistoryJson.recognises(f)) {
                groups.add(f);
            } else if (TxnHistoryJson.recognises(f)) {
                txn.add(f);
            } else {
                queue.add(f);
            }
        }
        try {
            int exit = 0;
            if (!groups.isEmpty()) {
                int ok = 0;
                for (Path f : groups) {
                    ok += GroupCheckFiles.check(f, System.out) ? 1 : 0;
                }
                System.out.println(ok + " ok, " + (groups.size() - ok) + " with violations");
                exit = ok == groups.size() ? 0 : 1;
            }
            if (!txn.isEmpty()) {
                exit = Math.max(exit, TxnCheckFiles.run(txn, System.out));
            }
            if (!queue.isEmpty()) {
                exit = Math.max(exit, QueueCheckFiles.run(queue, System.out));
            }
            return exit;
        } catch (FormatException e) {
            throw new UsageException(e.getMessage());
        }
    }
}
