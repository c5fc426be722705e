package dev.samsa.harness.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.samsa.spec.invariant.Invariant;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnomalyCollectorTest {

    record A(String id, boolean expected, String why, String evidence) {}

    private static final List<Invariant> ORDER = List.of(Invariant.QUEUE_LOST_WRITE, Invariant.QUEUE_DUPLICATE);

    @Test
    void groupsByInvariantAndJudgementInReportOrderKeepingTheFirstExamples() {
        AnomalyCollector<A> c = new AnomalyCollector<>(ORDER::indexOf, A::new);
        c.add(Invariant.QUEUE_DUPLICATE, "", () -> "d1");
        for (int i = 1; i <= 5; i++) {
            int n = i;
            c.add(Invariant.QUEUE_LOST_WRITE, "retention", () -> "e" + n);
        }
        c.add(Invariant.QUEUE_LOST_WRITE, "", () -> "v1");
        assertThat(c.count(Invariant.QUEUE_LOST_WRITE)).isEqualTo(6);
        assertThat(c.anomalies()).containsExactly(
                new A("queue.lost-write", false, "", "1 occurrence: v1"),
                new A("queue.lost-write", true, "retention", "5 occurrences, first 3: e1; e2; e3"),
                new A("queue.duplicate", false, "", "1 occurrence: d1"));
    }

    @Test
    void examplesBeyondTheFirstAreNeverBuiltAndForeignInvariantsAreRefused() {
        AnomalyCollector<A> c = new AnomalyCollector<>(ORDER::indexOf, A::new);
        for (int i = 0; i < AnomalyCollector.EXAMPLES_MAX; i++) {
            c.add(Invariant.QUEUE_DUPLICATE, "", () -> "x");
        }
        c.add(Invariant.QUEUE_DUPLICATE, "", () -> {
            throw new AssertionError("built an example past the first " + AnomalyCollector.EXAMPLES_MAX);
        });
        assertThatThrownBy(() -> c.add(Invariant.TXN_G0, "", () -> "g")).isInstanceOf(IllegalStateException.class);
    }
}
