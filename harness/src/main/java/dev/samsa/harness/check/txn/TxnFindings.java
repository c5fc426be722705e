package dev.samsa.harness.check.txn;

import dev.samsa.harness.check.txn.TxnCheckResult.Anomaly;
import dev.samsa.spec.invariant.Invariant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Collects occurrences of anomalies into one {@link Anomaly} per invariant and judgement, with a
 * count and the text of the first few (built only for those, so large histories stay cheap).
 */
final class TxnFindings {

    static final int EXAMPLES_MAX = 3;

    /** Report order: isolation first, then atomicity and durability, then cycles and the end state. */
    private static final List<Invariant> ORDER = List.of(
            Invariant.TXN_ABORTED_READ,
            Invariant.TXN_INTERMEDIATE_READ,
            Invariant.TXN_PRECOMMITTED_READ,
            Invariant.TXN_TORN_TRANSACTION,
            Invariant.TXN_LOST_WRITE,
            Invariant.TXN_DUPLICATE,
            Invariant.EOS_EXACTLY_ONCE,
            Invariant.TXN_G1C,
            Invariant.TXN_G0,
            Invariant.TXN_NO_HANGING_TRANSACTION);

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

    private final TreeMap<String, Group> groups = new TreeMap<>();

    /** A violation unless {@code whyExpected} is non-empty, which makes it expected for that reason. */
    void add(Invariant invariant, String whyExpected, Supplier<String> example) {
        int position = ORDER.indexOf(invariant);
        if (position < 0) {
            throw new IllegalStateException("not a txn invariant: " + invariant);
        }
        boolean expected = !whyExpected.isEmpty();
        String key = String.format("%02d %d %s", position, expected ? 1 : 0, whyExpected);
        Group g = groups.computeIfAbsent(key, k -> new Group(invariant, expected, whyExpected));
        g.count++;
        if (g.examples.size() < EXAMPLES_MAX) {
            g.examples.add(example.get());
        }
    }

    long count(Invariant invariant) {
        return groups.values().stream().filter(g -> g.invariant == invariant).mapToLong(g -> g.count).sum();
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
