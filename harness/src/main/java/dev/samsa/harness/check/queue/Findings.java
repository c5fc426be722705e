package dev.samsa.harness.check.queue;

import dev.samsa.harness.check.AnomalyCollector;
import dev.samsa.harness.check.queue.QueueCheckResult.Anomaly;
import dev.samsa.spec.invariant.Invariant;
import java.util.List;
import java.util.function.Supplier;

/** The queue checker's findings: its report order over the shared {@link AnomalyCollector}. */
final class Findings {

    /** Examples kept per anomaly: enough to see the pattern, short enough to read. */
    static final int EXAMPLES_MAX = AnomalyCollector.EXAMPLES_MAX;

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

    private final AnomalyCollector<Anomaly> collector = new AnomalyCollector<>(ORDER::indexOf, Anomaly::new);

    void violation(Invariant invariant, Supplier<String> example) {
        collector.add(invariant, "", example);
    }

    /** Expected for {@code why} (never empty). */
    void expected(Invariant invariant, String why, Supplier<String> example) {
        if (why.isEmpty()) {
            throw new IllegalArgumentException("an expected anomaly needs its reason: " + invariant);
        }
        collector.add(invariant, why, example);
    }

    /** A violation unless {@code whyExpected} is non-empty, which makes it expected for that reason. */
    void add(Invariant invariant, String whyExpected, Supplier<String> example) {
        collector.add(invariant, whyExpected, example);
    }

    List<Anomaly> anomalies() {
        return collector.anomalies();
    }
}
