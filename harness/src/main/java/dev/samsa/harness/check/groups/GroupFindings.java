package dev.samsa.harness.check.groups;

import dev.samsa.harness.check.AnomalyCollector;
import dev.samsa.harness.check.groups.GroupCheckResult.Anomaly;
import dev.samsa.spec.invariant.Invariant;
import java.util.List;
import java.util.function.Supplier;

/** The groups checker's findings, in the invariant catalog's order, over the shared {@link AnomalyCollector}. */
final class GroupFindings {

    // in the catalog's order
    private final AnomalyCollector<Anomaly> collector = new AnomalyCollector<>(Invariant::ordinal, Anomaly::new);

    void violation(Invariant invariant, Supplier<String> example) {
        collector.add(invariant, "", example);
    }

    /** A violation unless {@code whyExpected} is non-empty, which makes it expected for that reason. */
    void add(Invariant invariant, String whyExpected, Supplier<String> example) {
        collector.add(invariant, whyExpected, example);
    }

    List<Anomaly> anomalies() {
        return collector.anomalies();
    }
}
