package dev.samsa.harness.check.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.samsa.harness.workload.queue.QueueOp;
import org.junit.jupiter.api.Test;

class QueueCheckerScaleTest {

    /** About 50,000 operations and 500,000 records must check in well under a second. */
    @Test
    void aLargeHistoryChecksQuickly() {
        java.util.List<QueueOp> h = CorrectLog.history(7, 50_000, 7);
        long records = h.stream().mapToLong(op -> op.sends().size() + op.polls().size()).sum();
        assertThat(h.size()).isGreaterThan(50_000);
        assertThat(records).isGreaterThan(400_000);
        QueueChecker.check(h, QueuePromise.strict()); // warm up the JIT, as a long run would be
        long t0 = System.nanoTime();
        QueueCheckResult r = QueueChecker.check(h, QueuePromise.strict());
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.println("queue checker: " + h.size() + " ops, " + records + " records in " + ms + " ms");
        assertThat(r.anomalies()).isEmpty();
        assertThat(ms).as("check time (ms) on a shared 2-core machine").isLessThan(3_000);
    }
}
