package dev.samsa.harness.check.queue;

import dev.samsa.harness.check.FormatException;
import dev.samsa.harness.check.queue.QueueCheckResult.Anomaly;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code ./samsa check FILE.jsonl...}: checks saved queue histories against the promise in their
 * header. Per file one verdict line, then one indented line per anomaly; a last line
 * {@code N ok, M with violations}. Exit code 0 when no file has a violation, 1 otherwise; bad
 * input throws {@link FormatException} (the caller prints it, exit 2).
 */
public final class QueueCheckFiles {

    private QueueCheckFiles() {}

    public static int run(List<Path> files, PrintStream out) {
        int ok = 0;
        int failed = 0;
        for (Path f : files) {
            QueueHistoryJson.History h = read(f);
            QueueCheckResult r = QueueChecker.check(h.ops(), h.header().promise());
            out.println(f + ": " + verdict(r));
            for (Anomaly a : r.anomalies()) {
                out.println("  " + a.invariantId() + (a.expected() ? " expected (" + a.whyExpected() + ")" : " VIOLATION") + ": " + a.evidence());
            }
            if (r.ok()) {
                ok++;
            } else {
                failed++;
            }
        }
        out.println(ok + " ok, " + failed + " with violations");
        return failed == 0 ? 0 : 1;
    }

    private static QueueHistoryJson.History read(Path f) {
        try {
            return QueueHistoryJson.read(f);
        } catch (UncheckedIOException e) {
            IOException cause = e.getCause();
            String why = cause instanceof NoSuchFileException ? "no such file" : String.valueOf(cause.getMessage());
            throw new FormatException(f, 0, "cannot read: " + why);
        }
    }

    /** {@code ok (N ops, M values)}, or {@code N anomalies (ids): V violations (...)}. */
    static String verdict(QueueCheckResult r) {
        String size = "(" + r.counts().ops() + " ops, " + r.counts().valuesSent() + " values)";
        if (r.anomalies().isEmpty()) {
            return "ok " + size;
        }
        Set<String> ids = new LinkedHashSet<>();
        r.anomalies().forEach(a -> ids.add(a.invariantId()));
        int violations = r.violations().size();
        String what = r.anomalies().size() + (r.anomalies().size() == 1 ? " anomaly (" : " anomalies (") + String.join(", ", ids) + ")";
        return violations == 0 ? "ok " + size + ", " + what + " all expected" : what + ", " + violations + " violated " + size;
    }
}
