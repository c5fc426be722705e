package dev.samsa.harness.check.queue;

import dev.samsa.harness.check.queue.QueueCheckResult.Anomaly;
import dev.samsa.spec.invariant.Invariant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Collects occurrences of anomalies into one {@link Anomaly} per invariant and judgement (a run
 * may hold lost writes excused by retention and lost writes that are violations). Each keeps a
 * count of all occurrences and the text of the first few; the text is built only for those, so a
 * history with half a million anomalies costs no more than counting them.
 */
final class Findings {

    /** Examples kept per anomaly: enough to see the pattern, short enough to read. */
    static final int EXAMPLES_MAX = 3;

    /** Report order: the durability anomalies first, then order, then the always-expected ones. */
    private static final List<Invariant> ORDER = List.of(
            Invariant.QUEUE_LOST_WRITE,
            Invariant.QUEUE_UNSEEN,
            Invariant.QUEUE_INCONSISTENT_OFFSETS,
            Invariant.QUEUE_DUPLICATE,
            Invariant.QUEUE_NONMONOTONIC_SEND,
            Invariant.QUEUE_POLL_SKIP,
            Invariant.QUEUE_NONMONOTONIC_POLL,
            Invariant.QUEUE_INT_POLL_SKIP,
            Invariant.QUEUE_INT_SEND_SKIP);

    private static final class Group {
        final Invariant invariant;
        final boolean expected;
        final String why;
        long count;
        final List<String> examples = new ArrayList<>();

        Group(Invariant invariant, boolean expected, String why) {
            this.invariant = invariant;
            this.expected = expected;
            this.why = why;
        }
    }

    // Keyed by (report position, violation before expected, reason): a deterministic order.
    private final TreeMap<String, Group> groups = new TreeMap<>();

    void violation(Invariant invariant, Supplier<String> example) {
        add(invariant, false, "", example);
    }

    void expected(Invariant invariant, String why, Supplier<String> example) {
        add(invariant, true, why, example);
    }

    /** A violation unless {@code why} is non-empty, which makes it expected for that reason. */
    void add(Invariant invariant, String whyExpected, Supplier<String> example) {
        add(invariant, !whyExpected.isEmpty(), whyExpected, example);
    }

    private void add(Invariant invariant, boolean expected, String why, Supplier<String> example) {
        int position = ORDER.indexOf(invariant);
        if (position < 0) {
            throw new IllegalStateException("not a queue invariant: " + invariant);
        }
        String key = String.format("%02d %d %s", position, expected ? 1 : 0, why);
        Group g = groups.computeIfAbsent(key, k -> new Group(invariant, expected, why));
        g.count++;
        if (g.examples.size() < EXAMPLES_MAX) {
            g.examples.add(example.get());
        }
    }

    List<Anomaly> anomalies() {
        List<Anomaly> out = new ArrayList<>();
        for (Group g : groups.values()) {
            String head = g.count == 1 ? "1 occurrence: " : g.count + " occurrences, first " + g.examples.size() + ": ";
            out.add(new Anomaly(g.invariant.id(), g.expected, g.why, head + String.join("; ", g.examples)));
        }
        return out;
    }
}
