package dev.samsa.harness.check.txn;

import dev.samsa.harness.check.AnomalyCollector;
import dev.samsa.harness.check.txn.TxnCheckResult.Anomaly;
import dev.samsa.spec.invariant.Invariant;
import java.util.List;
import java.util.function.Supplier;

/** The txn and eos checkers' findings: their report order over the shared {@link AnomalyCollector}. */
final class TxnFindings {

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

    private final AnomalyCollector<Anomaly> collector = new AnomalyCollector<>(ORDER::indexOf, Anomaly::new);

    /** A violation unless {@code whyExpected} is non-empty, which makes it expected for that reason. */
    void add(Invariant invariant, String whyExpected, Supplier<String> example) {
        collector.add(invariant, whyExpected, example);
    }

    long count(Invariant invariant) {
        return collector.count(invariant);
    }

    List<Anomaly> anomalies() {
        return collector.anomalies();
    }
}
