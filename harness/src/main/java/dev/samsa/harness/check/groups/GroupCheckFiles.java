package dev.samsa.harness.check.groups;

import dev.samsa.harness.check.FormatException;
import dev.samsa.harness.check.groups.GroupCheckResult.Anomaly;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * {@code ./samsa check FILE.jsonl} for groups histories: re-checks one against the promise in its
 * header; one verdict line, then one indented line per anomaly. Returns true when it holds no violation.
 */
public final class GroupCheckFiles {

    private GroupCheckFiles() {}

    public static boolean check(Path f, PrintStream out) {
        GroupHistoryJson.History h;
        try {
            h = GroupHistoryJson.read(f);
        } catch (UncheckedIOException e) {
            IOException cause = e.getCause();
            String why = cause instanceof NoSuchFileException ? "no such file" : String.valueOf(cause.getMessage());
            throw new FormatException(f, 0, "cannot read: " + why);
        }
        GroupCheckResult r = GroupChecker.check(h.ops(), h.header().promise());
        String size = "(" + h.ops().size() + " ops, " + r.rebalances().size() + " rebalances)";
        long violations = r.violations().size();
        out.println(f + ": " + (r.anomalies().isEmpty() ? "ok " + size
                : violations == 0 ? "ok " + size + ", " + r.anomalies().size() + " anomalies all expected"
                : violations + " violated " + size));
        for (Anomaly a : r.anomalies()) {
            out.println("  " + a.invariantId() + (a.expected() ? " expected (" + a.whyExpected() + ")" : " VIOLATION") + ": " + a.evidence());
        }
        return r.ok();
    }
}
