package dev.samsa.harness.check;

import dev.samsa.spec.invariant.Invariant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;

/**
 * Collects occurrences of anomalies into one anomaly per invariant and judgement (a run may hold
 * lost writes excused by retention and lost writes that are violations). Each keeps a count of all
 * occurrences and the text of the first few; the text is built only for those, so a history with
 * half a million anomalies costs no more than counting them. Shared by the queue, groups and txn
 * checkers, each with its own report order and anomaly record.
 *
 * @param <A> the checker's anomaly record
 */
public final class AnomalyCollector<A> {

    /** Examples kept per anomaly: enough to see the pattern, short enough to read. */
    public static final int EXAMPLES_MAX = 3;

    /** Makes the checker's anomaly record. */
    public interface AnomalyFactory<A> {
        A make(String invariantId, boolean expected, String whyExpected, String evidence);
    }

    private static final class Group {
        final Invariant invariant;
        final String why;
        long count;
        final List<String> examples = new ArrayList<>();

        Group(Invariant invariant, String why) {
            this.invariant = invariant;
            this.why = why;
        }
    }

    private final ToIntFunction<Invariant> position;
    private final AnomalyFactory<A> factory;
    // Keyed by (report position, violation before expected, reason): a deterministic order.
    private final TreeMap<String, Group> groups = new TreeMap<>();

    /** {@code position}: an invariant's place in the report, or negative for one this checker does not judge. */
    public AnomalyCollector(ToIntFunction<Invariant> position, AnomalyFactory<A> factory) {
        this.position = position;
        this.factory = factory;
    }

    /** A violation unless {@code whyExpected} is non-empty, which makes it expected for that reason. */
    public void add(Invariant invariant, String whyExpected, Supplier<String> example) {
        int at = position.applyAsInt(invariant);
        if (at < 0) {
            throw new IllegalStateException("not an invariant of this checker: " + invariant);
        }
        String key = String.format("%03d %d %s", at, whyExpected.isEmpty() ? 0 : 1, whyExpected);
        Group g = groups.computeIfAbsent(key, k -> new Group(invariant, whyExpected));
        g.count++;
        if (g.examples.size() < EXAMPLES_MAX) {
            g.examples.add(example.get());
        }
    }

    public long count(Invariant invariant) {
        return groups.values().stream().filter(g -> g.invariant == invariant).mapToLong(g -> g.count).sum();
    }

    public List<A> anomalies() {
        List<A> out = new ArrayList<>();
        for (Group g : groups.values()) {
            String head = g.count == 1 ? "1 occurrence: " : g.count + " occurrences, first " + g.examples.size() + ": ";
            out.add(factory.make(g.invariant.id(), !g.why.isEmpty(), g.why, head + String.join("; ", g.examples)));
        }
        return out;
    }
}
