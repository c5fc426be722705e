package dev.samsa.harness.check.txn;

import static dev.samsa.harness.check.txn.TH.r;
import static dev.samsa.harness.check.txn.TH.w;
import static org.assertj.core.api.Assertions.assertThat;

import dev.samsa.harness.workload.txn.TxnOp.Outcome;
import dev.samsa.harness.workload.txn.TxnOp.Read;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EosCheckTest {

    private static final TxnPromise EOS = TxnPromise.strict().withEos(true);

    /** The first order values of {@code region} that pass the amount filter. */
    private static List<Long> countedOrders(int region, int n) {
        List<Long> out = new ArrayList<>();
        for (long v = 1; out.size() < n; v++) {
            if (EosValues.region(v) == region && EosValues.counted(v)) {
                out.add(v);
            }
        }
        return out;
    }

    @Test
    void valuesEncodeRegionsAndCounts() {
        long v = EosValues.output(123_456, 3, 17);
        assertThat(EosValues.outputRegion(v)).isEqualTo(3);
        assertThat(EosValues.outputCount(v)).isEqualTo(17);
        int counted = 0;
        for (long o = 0; o < 1000; o++) {
            counted += EosValues.counted(o) ? 1 : 0;
            assertThat(EosValues.region(o)).isBetween(0, EosValues.REGIONS - 1);
        }
        assertThat(counted).isBetween(350, 650);
    }

    /**
     * Orders a, b of region 0 in input key 0; the processor's transaction 1 reads a and is
     * aborted; then (rewound) transaction 2 reads a and b and writes the count 2; without the
     * rewind, transaction 2 reads only b and writes 1.
     */
    private static TH run(boolean rewind) {
        List<Long> orders = countedOrders(0, 2);
        long a = orders.get(0);
        long b = orders.get(1);
        int out = EosValues.OUTPUT_KEY_BASE;
        long aborted = EosValues.output(1, 0, 1);
        List<Read> second = rewind ? List.of(r(0, 0, a), r(0, 1, b)) : List.of(r(0, 1, b));
        long committed = EosValues.output(2, 0, rewind ? 2 : 1);
        return new TH()
                .send(9, Outcome.OK, w(0, a, 0), w(0, b, 1))
                .txn(1, Outcome.FAIL, List.of(r(0, 0, a)), w(out, aborted, 0))
                .txn(1, Outcome.OK, second, w(out, committed, 2))
                .poll(7, r(0, 0, a), r(0, 1, b), r(out, 2, committed));
    }

    @Test
    void countsThatMatchTheInputAreExactlyOnce() {
        assertThat(TxnChecker.check(run(true).ops(), EOS).anomalies()).isEmpty();
    }

    @Test
    void anAbortWithoutRewindLosesInput() {
        TxnCheckResult res = TxnChecker.check(run(false).ops(), EOS);
        assertThat(res.violations()).extracting(TxnCheckResult.Anomaly::invariantId).containsExactly("eos.exactly-once");
        assertThat(res.violations().get(0).evidence()).contains("region 0: the input holds 2").contains("counts 1")
                .contains("read only by aborted transactions");
        assertThat(TxnChecker.check(run(false).ops(), EOS.withDurable(false, "acks=1")).ok()).isTrue();
        assertThat(TxnChecker.check(run(false).ops(), EOS.withFinalReadsDone(false)).anomalies()).isEmpty();
        // a transaction read input key 0 up to offset 1, its end
        assertThat(TxnChecker.check(run(false).ops(), EOS.withEnd(0, 2, 2)).violations()).hasSize(1);
    }

    @Test
    void processorsThatHaveNotCaughtUpAreNotJudged() {
        TxnCheckResult res = TxnChecker.check(run(false).ops(), EOS.withEnd(0, 3, 3));
        assertThat(res.ok()).isTrue();
        assertThat(res.anomalies().get(0).whyExpected()).contains("had not read input key 0 up to its end (offset 2)");
    }

    @Test
    void countingAnOrderTwiceIsNotExactlyOnce() {
        long a = countedOrders(2, 1).get(0);
        int out = EosValues.OUTPUT_KEY_BASE + 1;
        long v1 = EosValues.output(1, 2, 1);
        long v2 = EosValues.output(2, 2, 1);
        TH h = new TH().send(9, Outcome.OK, w(0, a, 0))
                .txn(1, Outcome.OK, List.of(r(0, 0, a)), w(out, v1, 0))
                .txn(2, Outcome.OK, List.of(r(0, 0, a)), w(out, v2, 1))
                .poll(7, r(0, 0, a), r(out, 0, v1), r(out, 1, v2));
        TxnCheckResult res = TxnChecker.check(h.ops(), EOS);
        assertThat(res.violations()).extracting(TxnCheckResult.Anomaly::invariantId).containsExactly("eos.exactly-once");
        assertThat(res.violations().get(0).evidence()).contains("counted by two committed transactions");
    }
}
