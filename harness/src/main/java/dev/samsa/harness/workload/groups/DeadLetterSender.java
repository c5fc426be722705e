package dev.samsa.harness.workload.groups;

import dev.samsa.impl.client.ConsumerRecord;
import dev.samsa.impl.node.Context;
import dev.samsa.impl.node.Timer;
import java.util.ArrayList;
import java.util.List;

/**
 * A member's side of the dead-letter pattern: hands its poison records to the run's
 * {@link DeadLetterService} and runs {@code then} once they are all written to the dead-letter
 * topic, retrying (the request or the service's failure) until then. One request at a time.
 */
final class DeadLetterSender {

    private record Retry(long requestId) implements Timer {}

    static final long RETRY_NANOS = 2_000_000_000L;

    private final Context ctx;
    private final int service;
    private final String group;
    private long requestId;
    private DeadLetterMessage.Forward pending;
    private Runnable then;

    DeadLetterSender(Context ctx, int service, String group) {
        this.ctx = ctx;
        this.service = service;
        this.group = group;
    }

    void send(List<ConsumerRecord> poison, Runnable then) {
        List<DeadLetterMessage.Poison> ps = new ArrayList<>();
        for (ConsumerRecord r : poison) {
            ps.add(new DeadLetterMessage.Poison(r.tp().partition(), r.offset(), r.value(), group));
        }
        this.then = then;
        this.pending = new DeadLetterMessage.Forward(++requestId, ps);
        transmit();
    }

    private void transmit() {
        ctx.send(service, pending);
        ctx.setTimer(RETRY_NANOS, new Retry(pending.requestId()));
    }

    /** Returns true if the message was the service's answer. */
    boolean onMessage(DeadLetterMessage.Done done) {
        if (pending == null || done.requestId() != pending.requestId()) {
            return true; // an answer to an older attempt
        }
        if (!done.ok()) {
            pending = new DeadLetterMessage.Forward(++requestId, pending.records());
            ctx.setTimer(RETRY_NANOS / 4, new Retry(pending.requestId()));
            return true;
        }
        pending = null;
        Runnable t = then;
        then = null;
        t.run();
        return true;
    }

    /** Returns true if the timer was this sender's. */
    boolean onTimer(Timer timer) {
        if (!(timer instanceof Retry r)) {
            return false;
        }
        if (pending != null && r.requestId() == pending.requestId()) {
            pending = new DeadLetterMessage.Forward(++requestId, pending.records());
            transmit();
        }
        return true;
    }
}
