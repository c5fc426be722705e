package dev.samsa.harness.check.queue;

import dev.samsa.harness.workload.queue.QueueOp;
import dev.samsa.harness.workload.queue.QueueOp.Outcome;
import dev.samsa.harness.workload.queue.QueueOp.Poll;
import dev.samsa.harness.workload.queue.QueueOp.Send;
import dev.samsa.harness.workload.queue.QueueOp.Type;
import dev.samsa.spec.invariant.Invariant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Checks a queue history in the spirit of Jepsen's Kafka checker ({@code jepsen.tests.kafka}):
 * builds each key's version order from what was observed, then looks for the anomalies of its
 * taxonomy, judging each against what the run's {@link QueuePromise} says Kafka promises.
 *
 * <ul>
 *   <li>inconsistent-offsets, duplicate: while building the version order ({@link KeyOrder}).
 *   <li>lost-write, unseen: acknowledged sends nobody read ({@link #durability}).
 *   <li>nonmonotonic-send, int-send-skip: a producer's offsets ({@link SendOrder}).
 *   <li>poll-skip, nonmonotonic-poll, int-poll-skip: a consumer's reads ({@link PollOrder}).
 * </ul>
 *
 * <p>Simplifications against Jepsen: no transactions, so no G1a/precommitted-read or cycle
 * search; a lost write is never also counted unseen (each value gets its most telling name); an
 * acknowledged send whose offset is unknown and that nobody read is unseen, not lost, since its
 * place in the order is unknown.
 */
public final class QueueChecker {

    /** Why a record below the retention horizon may be missing without any fault. */
    static final String RETENTION = "deleted by retention before read";

    /** Why a record may be unread though it is in the log: every consumer jumped over it on its own. */
    static final String SKIPPED_BY_RESET = "every consumer that read past it had jumped over it by auto.offset.reset (after OFFSET_OUT_OF_RANGE)";

    private QueueChecker() {}

    /**
     * Per key and consumer: the offset ranges a consumer jumped over when it repositioned itself
     * forward (auto.offset.reset=latest after OFFSET_OUT_OF_RANGE), and how far it read. A record
     * nobody read is excused only if every consumer that read beyond it jumped over it — Kafka
     * lets a consumer skip data that way, so it is not a lost write.
     */
    private static final class ConsumerSkips {
        /** key → process → [from, to) ranges jumped over */
        private final TreeMap<Integer, TreeMap<Integer, java.util.ArrayList<long[]>>> jumps = new TreeMap<>();
        /** key → process → highest offset read */
        private final TreeMap<Integer, TreeMap<Integer, Long>> reach = new TreeMap<>();

        static ConsumerSkips of(List<QueueOp> history) {
            ConsumerSkips c = new ConsumerSkips();
            for (QueueOp op : history) {
                for (QueueOp.Reset r : op.resets()) {
                    if (r.toOffset() > r.fromOffset() && r.fromOffset() >= 0) {
                        c.jumps.computeIfAbsent(r.key(), k -> new TreeMap<>()).computeIfAbsent(op.process(), k -> new java.util.ArrayList<>())
                                .add(new long[] {r.fromOffset(), r.toOffset()});
                    }
                }
                for (Poll p : op.polls()) {
                    c.reach.computeIfAbsent(p.key(), k -> new TreeMap<>()).merge(op.process(), p.offset(), Math::max);
                }
            }
            return c;
        }

        boolean everyReaderSkipped(int key, long offset) {
            TreeMap<Integer, Long> readers = reach.getOrDefault(key, new TreeMap<>());
            boolean any = false;
            for (Map.Entry<Integer, Long> e : readers.entrySet()) {
                if (e.getValue() <= offset) {
                    continue;
                }
                any = true;
                boolean jumped = false;
                for (long[] j : jumps.getOrDefault(key, new TreeMap<>()).getOrDefault(e.getKey(), new java.util.ArrayList<>())) {
                    jumped |= offset >= j[0] && offset < j[1];
                }
                if (!jumped) {
                    return false;
                }
            }
            return any;
        }
    }

    public static QueueCheckResult check(List<QueueOp> history, QueuePromise promise) {
        Findings findings = new Findings();
        Map<Integer, KeyOrder> keys = new TreeMap<>();
        Map<String, Integer> opsByTypeOutcome = new TreeMap<>();
        collect(history, keys, opsByTypeOutcome);
        for (KeyOrder k : keys.values()) {
            k.freeze(history, promise, findings);
        }
        long[] lostUnseen = durability(history, keys, promise, findings);
        SendOrder.check(history, keys, promise, findings);
        PollOrder.check(history, keys, promise, findings);
        long sent = 0;
        long acked = 0;
        long read = 0;
        long duplicates = 0;
        for (KeyOrder k : keys.values()) {
            sent += k.sentValues.sortedDistinct().length;
            acked += k.ackedValues.sortedDistinct().length;
            read += k.valuesRead();
            duplicates += k.duplicates();
        }
        QueueCheckResult.Counts counts = new QueueCheckResult.Counts(
                opsByTypeOutcome, history.size(), sent, acked, read, lostUnseen[0], lostUnseen[1], duplicates);
        return new QueueCheckResult(findings.anomalies(), counts);
    }

    private static void collect(List<QueueOp> history, Map<Integer, KeyOrder> keys, Map<String, Integer> opsByTypeOutcome) {
        for (int pos = 0; pos < history.size(); pos++) {
            QueueOp op = history.get(pos);
            opsByTypeOutcome.merge(Describe.lower(op.type()) + " " + Describe.lower(op.outcome()), 1, Integer::sum);
            if (op.type() == Type.SEND) {
                for (Send s : op.sends()) {
                    KeyOrder k = keys.computeIfAbsent(s.key(), KeyOrder::new);
                    k.sentValues.add(s.value());
                    if (op.outcome() == Outcome.OK) {
                        k.ackedValues.add(s.value());
                        if (s.offset() >= 0) {
                            k.observe(s.offset(), s.value(), pos);
                        }
                    }
                }
            } else if (op.type() == Type.POLL) {
                for (Poll p : op.polls()) {
                    keys.computeIfAbsent(p.key(), KeyOrder::new).read(p.offset(), p.value(), pos);
                }
            }
        }
    }

    /**
     * lost-write: an acknowledged send at or below the highest offset any poller read of its key,
     * that no poll returned. unseen (with final reads only): any other acknowledged send no poll
     * returned. Only OK sends count: a FAIL send did not happen, an INFO one (acks=0, a timeout)
     * may not have. Returns {lost, unseen}.
     */
    private static long[] durability(List<QueueOp> history, Map<Integer, KeyOrder> keys, QueuePromise promise, Findings findings) {
        long lost = 0;
        long unseen = 0;
        ConsumerSkips skips = ConsumerSkips.of(history);
        for (QueueOp op : history) {
            if (op.type() != Type.SEND || op.outcome() != Outcome.OK) {
                continue;
            }
            for (Send s : op.sends()) {
                KeyOrder k = keys.get(s.key());
                if (k.wasRead(s.value())) {
                    continue;
                }
                String why = whyMissingExpected(s, promise);
                if (why.isEmpty() && s.offset() >= 0 && skips.everyReaderSkipped(s.key(), s.offset())) {
                    why = SKIPPED_BY_RESET;
                }
                if (s.offset() >= 0 && s.offset() <= k.highestReadOffset) {
                    lost++;
                    findings.add(Invariant.QUEUE_LOST_WRITE, why, () -> lostEvidence(history, op, s, k));
                } else if (promise.finalReadsDone()) {
                    unseen++;
                    findings.add(Invariant.QUEUE_UNSEEN, why, () -> "key " + s.key() + " value " + s.value()
                            + (s.offset() >= 0 ? " acknowledged at offset " + s.offset() : " acknowledged (offset unknown)")
                            + " by " + Describe.op(op) + ", never read"
                            + (k.highestReadOp < 0 ? " (nobody read key " + s.key() + ")" : " (reads of key " + s.key() + " reached offset " + k.highestReadOffset + ")"));
                }
            }
        }
        return new long[] {lost, unseen};
    }

    /** Empty when a missing acknowledged record is a violation, else the reason it is not. */
    private static String whyMissingExpected(Send s, QueuePromise promise) {
        if (!promise.durable()) {
            return promise.whyNotDurable();
        }
        return s.offset() >= 0 && s.offset() < promise.horizon(s.key()) ? RETENTION : "";
    }

    private static String lostEvidence(List<QueueOp> history, QueueOp op, Send s, KeyOrder k) {
        return "key " + s.key() + " value " + s.value() + " acknowledged at offset " + s.offset() + " by " + Describe.op(op)
                + " was never read, though " + Describe.op(history.get(k.highestReadOp)) + " read up to offset "
                + k.highestReadOffset + " (value " + k.highestReadValue + ")";
    }
}
