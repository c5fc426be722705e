package dev.samsa.harness.check.groups;

import dev.samsa.harness.check.groups.GroupCheckResult.Anomaly;
import dev.samsa.spec.invariant.Invariant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Collects occurrences of anomalies into one {@link Anomaly} per invariant and judgement, each
 * with a count and the text of the first few (built only for those).
 */
final class GroupFindings {

    static final int EXAMPLES_MAX = 3;

    private static final class Entry {
        final Invariant invariant;
        final String why;
        long count;
        final List<String> examples = new ArrayList<>();

        Entry(Invariant invariant, String why) {
            this.invariant = invariant;
            this.why = why;
        }
    }

    // Keyed by (catalog position, violation before expected, reason): a deterministic order.
    private final TreeMap<String, Entry> entries = new TreeMap<>();

    void violation(Invariant invariant, Supplier<String> example) {
        add(invariant, "", example);
    }

    /** A violation unless {@code whyExpected} is non-empty, which makes it expected for that reason. */
    void add(Invariant invariant, String whyExpected, Supplier<String> example) {
        String key = String.format("%03d %d %s", invariant.ordinal(), whyExpected.isEmpty() ? 0 : 1, whyExpected);
        Entry e = entries.computeIfAbsent(key, k -> new Entry(invariant, whyExpected));
        e.count++;
        if (e.examples.size() < EXAMPLES_MAX) {
            e.examples.add(example.get());
        }
    }

    List<Anomaly> anomalies() {
        List<Anomaly> out = new ArrayList<>();
        for (Entry e : entries.values()) {
            String head = e.count == 1 ? "1 occurrence: " : e.count + " occurrences, first " + e.examples.size() + ": ";
            out.add(new Anomaly(e.invariant.id(), !e.why.isEmpty(), e.why, head + String.join("; ", e.examples)));
        }
        return out;
    }
}
