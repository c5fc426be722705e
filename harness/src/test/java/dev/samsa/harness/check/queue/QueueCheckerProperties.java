package dev.samsa.harness.check.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.samsa.harness.workload.queue.QueueOp;
import dev.samsa.harness.workload.queue.QueueOp.Outcome;
import dev.samsa.harness.workload.queue.QueueOp.Poll;
import dev.samsa.harness.workload.queue.QueueOp.Send;
import dev.samsa.harness.workload.queue.QueueOp.Type;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class QueueCheckerProperties {

    @Property(tries = 300)
    void aCorrectLogHasNoAnomalies(@ForAll long seed, @ForAll @IntRange(min = 1, max = 80) int steps) {
        List<QueueOp> h = CorrectLog.history(seed, steps, 4);
        QueueCheckResult r = QueueChecker.check(h, QueuePromise.strict());
        assertThat(r.anomalies()).isEmpty();
        assertThat(r.counts().valuesRead()).isLessThanOrEqualTo(r.counts().valuesSent());
    }

    @Property(tries = 300)
    void droppingAnAcknowledgedValueFromEveryPollIsALostWrite(@ForAll long seed, @ForAll @IntRange(min = 1, max = 80) int steps, @ForAll int pick) {
        List<QueueOp> h = CorrectLog.history(seed, steps, 4);
        // Acknowledged values with a later record read on their key (the final reads read everything).
        List<Send> candidates = new ArrayList<>();
        for (QueueOp op : h) {
            if (op.type() == Type.SEND && op.outcome() == Outcome.OK) {
                for (Send s : op.sends()) {
                    if (h.stream().anyMatch(o -> o.polls().stream().anyMatch(p -> p.key() == s.key() && p.offset() > s.offset()))) {
                        candidates.add(s);
                    }
                }
            }
        }
        Assume.that(!candidates.isEmpty());
        Send dropped = candidates.get(Math.floorMod(pick, candidates.size()));
        List<QueueOp> without = new ArrayList<>();
        for (QueueOp op : h) {
            List<Poll> polls = op.polls().stream().filter(p -> !(p.key() == dropped.key() && p.value() == dropped.value())).toList();
            without.add(new QueueOp(op.index(), op.process(), op.type(), op.invokeNanos(), op.completeNanos(), op.outcome(), op.keys(),
                    op.sends(), polls, op.resets(), op.error()));
        }
        QueueCheckResult r = QueueChecker.check(without, QueuePromise.strict());
        assertThat(r.violations()).anySatisfy(a -> assertThat(a.invariantId()).isEqualTo("queue.lost-write"));
        assertThat(r.counts().lost()).isEqualTo(1);
        assertThat(r.violations().stream().filter(a -> a.invariantId().equals("queue.lost-write")).findFirst().orElseThrow().evidence())
                .contains("key " + dropped.key() + " value " + dropped.value() + " acknowledged at offset " + dropped.offset());
    }
}
