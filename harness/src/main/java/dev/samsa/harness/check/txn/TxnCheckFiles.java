package dev.samsa.harness.check.txn;

import dev.samsa.harness.check.FormatException;
import dev.samsa.harness.check.txn.TxnCheckResult.Anomaly;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code ./samsa check FILE.jsonl...} for txn and eos histories: per file one verdict line, then
 * one indented line per anomaly; a last line {@code N ok, M with violations}. Exit code 0 when
 * no file has a violation, 1 otherwise; bad input throws {@link FormatException}.
 */
public final class TxnCheckFiles {

    private TxnCheckFiles() {}

    public static int run(List<Path> files, PrintStream out) {
        int ok = 0;
        for (Path f : files) {
            ok += check(f, out) ? 1 : 0;
        }
        out.println(ok + " ok, " + (files.size() - ok) + " with violations");
        return ok == files.size() ? 0 : 1;
    }

    /** Checks one file, printing its verdict and anomalies; true when it holds no violation. */
    public static boolean check(Path f, PrintStream out) {
        TxnHistoryJson.History h;
        try {
            h = TxnHistoryJson.read(f);
        } catch (UncheckedIOException e) {
            IOException cause = e.getCause();
            throw new FormatException(f, 0, "cannot read: " + (cause instanceof NoSuchFileException ? "no such file" : cause.getMessage()));
        }
        TxnCheckResult r = TxnChecker.check(h.ops(), h.header().promise());
        out.println(f + ": " + verdict(r, h.header().workload()));
        for (Anomaly a : r.anomalies()) {
            out.println("  " + a.invariantId() + (a.expected() ? " expected (" + a.whyExpected() + ")" : " VIOLATION") + ": " + a.evidence());
        }
        return r.ok();
    }

    static String verdict(TxnCheckResult r, String workload) {
        String size = "(" + workload + ", " + r.counts().ops() + " ops, " + r.counts().committedWrites() + " committed writes)";
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
