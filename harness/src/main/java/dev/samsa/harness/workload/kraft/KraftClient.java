package dev.samsa.harness.workload.kraft;

import dev.samsa.impl.controller.ControllerMessage;
import dev.samsa.impl.controller.ControllerMessage.ReadMetadataRequest;
import dev.samsa.impl.controller.ControllerMessage.ReadMetadataResponse;
import dev.samsa.impl.controller.ControllerMessage.WriteMetadataRequest;
import dev.samsa.impl.controller.ControllerMessage.WriteMetadataResponse;
import dev.samsa.impl.metadata.ClientRecord;
import dev.samsa.impl.node.Context;
import dev.samsa.impl.node.Message;
import dev.samsa.impl.node.Node;
import dev.samsa.impl.node.Timer;
import dev.samsa.impl.protocol.Errors;
import dev.samsa.impl.raft.LogEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * A workload client: one operation at a time, writes (retried with the same writeId until
 * acknowledged or the delivery timeout passes) and reads of the committed log, each recorded
 * with an honest outcome. A write whose every attempt was refused with NOT_CONTROLLER
 * definitely did not happen (fail); one whose request may have reached a leader is unknown
 * (info) unless acknowledged.
 */
final class KraftClient implements Node {

    static final long REQUEST_TIMEOUT_NANOS = 2_000_000_000L;
    static final long DELIVERY_TIMEOUT_NANOS = 10_000_000_000L;
    static final long RETRY_BACKOFF_NANOS = 20_000_000L;
    static final int READ_MAX = 200;

    private record Think(long generation) implements Timer {}

    private record Timeout(long opSeq, int attempt) implements Timer {}

    private final Context ctx;
    private final int process;
    private final List<Integer> voters;
    private final KraftHistory history;
    private final BooleanSupplier issuing;

    private int target;
    private long opSeq;
    private int attempt;
    private boolean inFlight;
    private KraftOp.Type type;
    private long invokeNanos;
    private long writeId;
    private boolean maybeAppended;
    private long readFrom;
    private long knownHighWatermark;

    KraftClient(Context ctx, int process, List<Integer> voters, KraftHistory history, BooleanSupplier issuing) {
        this.ctx = ctx;
        this.process = process;
        this.voters = voters;
        this.history = history;
        this.issuing = issuing;
        this.target = voters.get(ctx.random().nextInt(voters.size()));
    }

    @Override
    public void onStart() {
        think();
    }

    private void think() {
        ctx.setTimer(ctx.random().nextLong(5_000_000L, 50_000_000L), new Think(opSeq));
    }

    private void begin() {
        opSeq++;
        attempt = 0;
        inFlight = true;
        invokeNanos = ctx.nowNanos();
        maybeAppended = false;
        if (ctx.random().chance(0.75)) {
            type = KraftOp.Type.WRITE;
            writeId = ((long) process << 32) | opSeq;
        } else {
            type = KraftOp.Type.READ;
            readFrom = knownHighWatermark > 0 ? ctx.random().nextLong(Math.max(0, knownHighWatermark - READ_MAX), knownHighWatermark) : 0;
        }
        send();
    }

    private void send() {
        attempt++;
        if (type == KraftOp.Type.WRITE) {
            ctx.send(target, new WriteMetadataRequest(writeId, process, "w" + writeId));
        } else {
            ctx.send(target, new ReadMetadataRequest(opSeq, readFrom, READ_MAX));
        }
        ctx.setTimer(REQUEST_TIMEOUT_NANOS, new Timeout(opSeq, attempt));
    }

    private void complete(KraftOp.Outcome outcome, long offset, List<Long> read, String error) {
        history.add(process, type, invokeNanos, ctx.nowNanos(), outcome, type == KraftOp.Type.WRITE ? writeId : -1, offset,
                type == KraftOp.Type.READ ? readFrom : -1, read, error);
        inFlight = false;
        think();
    }

    /** Retry the same operation elsewhere, or give up when past the delivery timeout. */
    private void retry(int nextTarget, String error) {
        target = nextTarget;
        if (type == KraftOp.Type.READ || ctx.nowNanos() - invokeNanos + RETRY_BACKOFF_NANOS > DELIVERY_TIMEOUT_NANOS || !issuing.getAsBoolean()) {
            complete(maybeAppended ? KraftOp.Outcome.INFO : KraftOp.Outcome.FAIL, -1, List.of(), error);
            return;
        }
        attempt++; // invalidates the pending timeout of the previous attempt
        long seq = opSeq;
        int at = attempt;
        ctx.setTimer(RETRY_BACKOFF_NANOS, new Timeout(-seq, at));
    }

    private int otherVoter() {
        if (voters.size() == 1) {
            return voters.get(0);
        }
        int next;
        do {
            next = voters.get(ctx.random().nextInt(voters.size()));
        } while (next == target);
        return next;
    }

    @Override
    public void onMessage(int from, Message message) {
        if (!inFlight || !(message instanceof ControllerMessage c)) {
            return;
        }
        if (c instanceof WriteMetadataResponse w && type == KraftOp.Type.WRITE && w.writeId() == writeId) {
            if (w.error() == Errors.NONE) {
                complete(KraftOp.Outcome.OK, w.offset(), List.of(), "");
            } else {
                // NOT_CONTROLLER: this controller did not append it; follow its hint
                retry(w.leaderHint().isPresent() && w.leaderHint().getAsInt() != from ? w.leaderHint().getAsInt() : otherVoter(), w.error().name());
            }
        } else if (c instanceof ReadMetadataResponse r && type == KraftOp.Type.READ && r.requestId() == opSeq) {
            if (r.error() == Errors.NONE) {
                knownHighWatermark = Math.max(knownHighWatermark, r.highWatermark());
                List<Long> ids = new ArrayList<>(r.entries().size());
                for (LogEntry e : r.entries()) {
                    ids.add(e.record() instanceof ClientRecord cr ? cr.writeId() : -1L);
                }
                readFrom = r.entries().isEmpty() ? readFrom : r.entries().get(0).offset();
                complete(KraftOp.Outcome.OK, -1, ids, "");
            } else {
                target = r.leaderHint().orElse(otherVoter());
                complete(KraftOp.Outcome.FAIL, -1, List.of(), r.error().name());
            }
        }
    }

    @Override
    public void onTimer(Timer timer) {
        if (timer instanceof Think t) {
            if (!inFlight && t.generation() == opSeq && issuing.getAsBoolean()) {
                begin();
            } else if (!inFlight && t.generation() == opSeq) {
                think(); // quiescing: stay idle but alive
            }
        } else if (timer instanceof Timeout t && inFlight) {
            if (t.opSeq() == -opSeq && t.attempt() == attempt) {
                send(); // the retry backoff elapsed
            } else if (t.opSeq() == opSeq && t.attempt() == attempt) {
                maybeAppended = true; // the request may have reached a leader
                retry(otherVoter(), "REQUEST_TIMED_OUT");
            }
        }
    }

    @Override
    public void onDisconnect(int peer) {
        if (inFlight && peer == target) {
            maybeAppended = true;
            retry(otherVoter(), "DISCONNECTED");
        }
    }

    /** At the end of the run: an operation still in flight has an unknown outcome. */
    void abandon() {
        if (inFlight) {
            complete(type == KraftOp.Type.WRITE ? KraftOp.Outcome.INFO : KraftOp.Outcome.FAIL, -1, List.of(), "RUN_ENDED");
        }
    }
}
