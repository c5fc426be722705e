package dev.samsa.lin.io;

import dev.samsa.lin.CheckResult;
import dev.samsa.lin.Event;
import dev.samsa.lin.Linearizability;
import dev.samsa.lin.Visualization;
import dev.samsa.lin.models.KvModel;
import dev.samsa.lin.models.RegisterModel;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Checks history files and prints one verdict line per file and a last line
 * {@code N linearizable, M not, K unknown}. Exit code: 0 all linearizable, 1 any not (or
 * unknown), 2 unreadable input (one line naming the file and line).
 */
public final class CheckFiles {

    public enum Format {
        ETCD,
        KV
    }

    private CheckFiles() {}

    public static int run(Format format, List<Path> files, Optional<Path> htmlDir, Duration timeout, PrintStream out, PrintStream err) {
        int ok = 0;
        int illegal = 0;
        int unknown = 0;
        for (Path f : files) {
            List<Event<?>> events;
            try {
                events = format == Format.ETCD ? EtcdLogParser.parse(f) : KvLogParser.parse(f);
            } catch (HistoryFormatException e) {
                err.println("samsa: " + e.getMessage());
                return 2;
            }
            long t0 = System.nanoTime();
            Linearizability.Verbose v = format == Format.ETCD
                    ? Linearizability.checkEventsVerbose(new RegisterModel(), events, timeout)
                    : Linearizability.checkEventsVerbose(new KvModel(), events, timeout);
            double ms = (System.nanoTime() - t0) / 1e6;
            switch (v.result()) {
                case OK -> ok++;
                case ILLEGAL -> illegal++;
                case UNKNOWN -> unknown++;
            }
            String html = "";
            if (htmlDir.isPresent()) {
                Path page = htmlDir.get().resolve(f.getFileName() + ".html");
                try {
                    Visualization.write(f.getFileName().toString(), v.result(), v.info(), page);
                } catch (IOException e) {
                    err.println("samsa: cannot write " + page + ": " + e.getMessage());
                    return 2;
                }
                html = "  " + page;
            }
            out.printf("%-13s %s (%d events, %.1f ms)%s%n", verdict(v.result()), f, events.size(), ms, html);
        }
        out.printf("%d linearizable, %d not, %d unknown%n", ok, illegal, unknown);
        return illegal + unknown == 0 ? 0 : 1;
    }

    private static String verdict(CheckResult r) {
        return switch (r) {
            case OK -> "linearizable";
            case ILLEGAL -> "NOT";
            case UNKNOWN -> "unknown";
        };
    }
}
