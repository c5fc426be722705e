package dev.samsa.harness.check.queue;

import dev.samsa.harness.workload.queue.QueueOp;
import dev.samsa.harness.workload.queue.QueueOp.Outcome;
import dev.samsa.harness.workload.queue.QueueOp.Poll;
import dev.samsa.harness.workload.queue.QueueOp.Reset;
import dev.samsa.harness.workload.queue.QueueOp.Type;
import dev.samsa.spec.invariant.Invariant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A consumer's reads, per process and key, in history order. Each record read must be the next
 * known record after the previous one the process read of that key: a known record in between is
 * a skip, a record at or before the previous one goes backwards.
 *
 * <ul>
 *   <li>Between OK poll operations: poll-skip and nonmonotonic-poll, expected without durability
 *       (truncation and unclean election legitimately move consumers).
 *   <li>Inside one poll operation (any outcome: its records were returned in this order):
 *       int-poll-skip, for a skip and for a backwards step (Jepsen's int-nonmonotonic-poll,
 *       named so in the evidence).
 *   <li>Records below the key's retention horizon never count as skipped.
 *   <li>An ASSIGN restarts tracking of every key of the process. A {@link Reset} of a key (the
 *       consumer moved itself: auto.offset.reset, truncation) lets one step that does not follow
 *       the previous record be judged against the reset's target offset instead; the record
 *       lists resets apart from records, so a reset explains the first step it can explain, and
 *       a reset with no record after it in its operation carries over to the next one. A first
 *       record that only a reset of its own operation could be judged against is not judged
 *       (the reset may have come after it).
 *   <li>A FAIL or INFO poll that returned records or reset a key leaves the consumer's position
 *       of that key unknown: tracking of that key restarts.
 * </ul>
 */
final class PollOrder {

    private static final long NONE = Long.MIN_VALUE;

    /** Where a process is in one key: the last record it read, and a reset not yet used. */
    private static final class Track {
        long lastOffset = NONE;
        long lastValue;
        QueueOp lastOp;
        Reset pending;
        QueueOp pendingOp;
    }

    /** A position a record may follow: the previous record's successor, or a reset's target. */
    private record Candidate(long position, Reset reset, QueueOp resetOp) {}

    private final Map<Integer, KeyOrder> keys;
    private final QueuePromise promise;
    private final Findings findings;
    private final TreeMap<Long, Track> tracks = new TreeMap<>();

    private PollOrder(Map<Integer, KeyOrder> keys, QueuePromise promise, Findings findings) {
        this.keys = keys;
        this.promise = promise;
        this.findings = findings;
    }

    /** The key of one (process, key) pair in ordered maps: process first, then key. */
    static long slot(int process, int key) {
        return ((long) process << 32) + (key & 0xffffffffL);
    }

    static void check(List<QueueOp> history, Map<Integer, KeyOrder> keys, QueuePromise promise, Findings findings) {
        PollOrder p = new PollOrder(keys, promise, findings);
        for (QueueOp op : history) {
            if (op.type() == Type.ASSIGN) {
                long first = (long) op.process() << 32; // a process's slots: every key, compared unsigned
                p.tracks.subMap(first, true, first + 0xffffffffL, true).clear();
            } else if (op.type() == Type.POLL) {
                p.poll(op);
            }
        }
    }

    private void poll(QueueOp op) {
        TreeMap<Integer, ArrayDeque<Reset>> resets = new TreeMap<>();
        for (Reset r : op.resets()) {
            resets.computeIfAbsent(r.key(), k -> new ArrayDeque<>()).add(r);
        }
        for (Poll r : op.polls()) {
            Track t = tracks.computeIfAbsent(slot(op.process(), r.key()), s -> new Track());
            if (op.outcome() == Outcome.OK || t.lastOp == op) {
                step(op, t, r, resets.get(r.key()));
            }
            t.lastOffset = r.offset();
            t.lastValue = r.value();
            t.lastOp = op;
            t.pending = null;
            t.pendingOp = null;
        }
        for (Map.Entry<Integer, ArrayDeque<Reset>> e : resets.entrySet()) {
            Track t = tracks.computeIfAbsent(slot(op.process(), e.getKey()), s -> new Track());
            if (!e.getValue().isEmpty()) {
                t.pending = e.getValue().peekLast();
                t.pendingOp = op;
            }
        }
        if (op.outcome() != Outcome.OK) {
            for (Poll r : op.polls()) {
                tracks.remove(slot(op.process(), r.key()));
            }
            for (Reset r : op.resets()) {
                tracks.remove(slot(op.process(), r.key()));
            }
        }
    }

    /** Judges record {@code r} against every position it may follow; reports if it follows none. */
    private void step(QueueOp op, Track t, Poll r, ArrayDeque<Reset> resets) {
        boolean internal = t.lastOp == op;
        List<Candidate> candidates = new ArrayList<>();
        if (t.lastOffset != NONE) {
            candidates.add(new Candidate(t.lastOffset + 1, null, null));
        }
        if (!internal && t.pending != null) {
            candidates.add(new Candidate(t.pending.toOffset(), t.pending, t.pendingOp));
        }
        if (resets != null) {
            for (Reset reset : resets) {
                candidates.add(new Candidate(reset.toOffset(), reset, op));
            }
        }
        KeyOrder k = keys.get(r.key());
        long horizon = promise.horizon(r.key());
        for (Candidate c : candidates) {
            if (judge(c.position(), r.offset(), k, horizon) == 0) {
                if (c.reset() != null && c.resetOp() == op) {
                    resets.remove(c.reset()); // a reset explains one step only
                }
                return;
            }
        }
        // A reset of this operation may have come after this record: with nothing else to go by, no judgement.
        boolean known = !candidates.isEmpty() && candidates.get(0).resetOp() != op;
        if (known) {
            report(op, t, r, candidates.get(0), judge(candidates.get(0).position(), r.offset(), k, horizon), internal, k, horizon);
        }
    }

    /** 0: {@code offset} is the next known record from {@code position}; -1: it is before; n > 0: n known records skipped. */
    private static int judge(long position, long offset, KeyOrder k, long horizon) {
        if (offset < position) {
            return -1;
        }
        return k.countKnown(Math.max(position, horizon), offset);
    }

    private void report(QueueOp op, Track t, Poll r, Candidate c, int verdict, boolean internal, KeyOrder k, long horizon) {
        String from = c.reset() == null
                ? "offset " + t.lastOffset + " (value " + t.lastValue + ", op #" + t.lastOp.index() + ")"
                : "a reset to offset " + c.position() + " (" + c.reset().reason() + ", op #" + c.resetOp().index() + ")";
        String to = "offset " + r.offset() + " (value " + r.value() + ", op #" + op.index() + ")";
        String what = verdict < 0
                ? "went back"
                : "skipped " + verdict + " known record(s), first at offset " + k.firstKnownFrom(Math.max(c.position(), horizon));
        if (internal) {
            String kind = verdict < 0 ? " (int-nonmonotonic-poll)" : " (int-poll-skip)";
            findings.violation(Invariant.QUEUE_INT_POLL_SKIP, () -> "within " + Describe.op(op) + kind + " key " + r.key()
                    + ": " + from + " was followed by " + to + ": " + what);
            return;
        }
        String why = promise.durable() ? "" : promise.whyNotDurable();
        findings.add(verdict < 0 ? Invariant.QUEUE_NONMONOTONIC_POLL : Invariant.QUEUE_POLL_SKIP, why, () -> "process " + op.process()
                + " key " + r.key() + ": after " + from + " its next poll returned " + to + ": " + what);
    }
}
