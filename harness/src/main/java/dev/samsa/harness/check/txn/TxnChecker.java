package dev.samsa.harness.check.txn;

import dev.samsa.harness.workload.txn.TxnOp;
import dev.samsa.harness.workload.txn.TxnOp.Outcome;
import dev.samsa.harness.workload.txn.TxnOp.Read;
import dev.samsa.harness.workload.txn.TxnOp.Type;
import dev.samsa.harness.workload.txn.TxnOp.Write;
import dev.samsa.spec.invariant.Invariant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Checks a txn or eos history in the spirit of Jepsen's Kafka checker and Elle: every value is
 * unique per key, so each read names the write (and the transaction) it came from.
 *
 * <ul>
 *   <li>aborted-read (G1a): a read returned a value of a FAIL transaction (or failed send).
 *   <li>intermediate-read: a read completed before the writing transaction's last send to that
 *       key was even invoked; precommitted-read: before its commit was invoked (or it never was).
 *       Both compare simulated times of the reader's completion and the writer's invocations,
 *       so they are sound: the reader cannot have read later than it returned.
 *   <li>duplicate: one value at two offsets of its key.
 *   <li>lost-write: a write of an OK transaction nobody read, at or below the highest offset any
 *       reader read of its key or, after final reads, anywhere.
 *   <li>torn-transaction: a reader saw a write of an OK transaction but not another of its writes
 *       at an offset it read past ({@link TornReads}).
 *   <li>G0, G1c: cycles over write-write (offset order) and write-read edges ({@link TxnCycles}).
 *   <li>no-hanging-transaction: the end offsets the workload read from the partition leaders.
 *   <li>eos.exactly-once: {@link EosCheck}, for eos histories.
 * </ul>
 * Judgement: read anomalies are expected under read_uncommitted, and where the run was not durable
 * (a lost ABORT marker lets the producer's next marker close the aborted transaction as committed);
 * durability anomalies (lost, torn, duplicate, exactly-once) where the run was not durable; G0 always, G1c when its cycle
 * needs a write-write edge.
 */
public final class TxnChecker {

    /** Why an unread record is excused: every reader that read past it had jumped over it on its own. */
    static final String SKIPPED_BY_RESET = "every reader that read past it had jumped over it by auto.offset.reset";

    private TxnChecker() {}

    /** The write of a value and the operation that made it. */
    record Writer(TxnOp op, Write write) {}

    /** Everything the checks share: who wrote each value, what was read, where. */
    static final class Index {
        /** key -> value -> writer */
        final TreeMap<Integer, TreeMap<Long, Writer>> writers = new TreeMap<>();
        /** key -> value -> offsets seen (reads, writes with known offsets) */
        final TreeMap<Integer, TreeMap<Long, TreeSet<Long>>> offsets = new TreeMap<>();
        /** key -> values any read returned */
        final TreeMap<Integer, TreeSet<Long>> read = new TreeMap<>();
        /** key -> highest offset any read returned, and the op that read it */
        final TreeMap<Integer, long[]> highestRead = new TreeMap<>();
        /** key -> process -> [from, to) ranges that reader's consumer jumped over */
        final TreeMap<Integer, TreeMap<Integer, List<long[]>>> jumps = new TreeMap<>();
        /** key -> process -> highest offset that reader read */
        final TreeMap<Integer, TreeMap<Integer, Long>> reach = new TreeMap<>();

        static Index of(List<TxnOp> history) {
            Index ix = new Index();
            for (TxnOp op : history) {
                for (Write w : op.writes()) {
                    ix.writers.computeIfAbsent(w.key(), k -> new TreeMap<>()).putIfAbsent(w.value(), new Writer(op, w));
                    if (w.offset() >= 0) {
                        ix.seen(w.key(), w.value(), w.offset());
                    }
                }
                for (Read r : op.reads()) {
                    ix.seen(r.key(), r.value(), r.offset());
                    ix.read.computeIfAbsent(r.key(), k -> new TreeSet<>()).add(r.value());
                    long[] h = ix.highestRead.computeIfAbsent(r.key(), k -> new long[] {-1, -1, -1});
                    if (r.offset() > h[0]) {
                        h[0] = r.offset();
                        h[1] = op.index();
                        h[2] = r.value();
                    }
                    ix.reach.computeIfAbsent(r.key(), k -> new TreeMap<>()).merge(op.process(), r.offset(), Math::max);
                }
                for (TxnOp.Reset r : op.resets()) {
                    if (r.toOffset() > r.fromOffset() && r.fromOffset() >= 0) {
                        ix.jumps.computeIfAbsent(r.key(), k -> new TreeMap<>()).computeIfAbsent(op.process(), k -> new ArrayList<>())
                                .add(new long[] {r.fromOffset(), r.toOffset()});
                    }
                }
            }
            return ix;
        }

        private void seen(int key, long value, long offset) {
            offsets.computeIfAbsent(key, k -> new TreeMap<>()).computeIfAbsent(value, v -> new TreeSet<>()).add(offset);
        }

        Writer writer(int key, long value) {
            TreeMap<Long, Writer> m = writers.get(key);
            return m == null ? null : m.get(value);
        }

        boolean wasRead(int key, long value) {
            TreeSet<Long> s = read.get(key);
            return s != null && s.contains(value);
        }

        /** The offset of a value: the one its write got, else the first any read saw, else -1. */
        long offsetOf(int key, long value) {
            TreeSet<Long> s = offsets.getOrDefault(key, new TreeMap<>()).get(value);
            return s == null || s.isEmpty() ? -1 : s.first();
        }

        boolean jumpedOver(int key, int process, long offset) {
            for (long[] j : jumps.getOrDefault(key, new TreeMap<>()).getOrDefault(process, List.of())) {
                if (offset >= j[0] && offset < j[1]) {
                    return true;
                }
            }
            return false;
        }

        /** True when some reader read past {@code offset} of {@code key} and every such reader jumped over it. */
        boolean everyReaderSkipped(int key, long offset) {
            boolean any = false;
            for (Map.Entry<Integer, Long> e : reach.getOrDefault(key, new TreeMap<>()).entrySet()) {
                if (e.getValue() > offset) {
                    any = true;
                    if (!jumpedOver(key, e.getKey(), offset)) {
                        return false;
                    }
                }
            }
            return any;
        }
    }

    public static TxnCheckResult check(List<TxnOp> history, TxnPromise promise) {
        TxnFindings findings = new TxnFindings();
        Index ix = Index.of(history);
        reads(history, ix, promise, findings);
        duplicates(ix, promise, findings);
        lost(history, ix, promise, findings);
        TornReads.check(history, ix, promise, findings);
        if (promise.eos()) {
            EosCheck.check(history, ix, promise, findings);
        }
        TxnCycles.check(history, ix, promise, findings);
        hanging(promise, findings);
        TreeMap<String, Integer> byTypeOutcome = new TreeMap<>();
        long committed = 0;
        long aborted = 0;
        for (TxnOp op : history) {
            byTypeOutcome.merge(op.type().name().toLowerCase(java.util.Locale.ROOT) + " " + op.outcome().name().toLowerCase(java.util.Locale.ROOT), 1,
                    Integer::sum);
            if (op.type() == Type.TXN && op.outcome() == Outcome.OK) {
                committed += op.writes().size();
            } else if (op.type() == Type.TXN && op.outcome() == Outcome.FAIL) {
                aborted += op.writes().size();
            }
        }
        long valuesRead = ix.read.values().stream().mapToLong(TreeSet::size).sum();
        return new TxnCheckResult(findings.anomalies(), new TxnCheckResult.Counts(byTypeOutcome, history.size(), committed, aborted, valuesRead));
    }

    /** Aborted, intermediate and precommitted reads: what a read returned against its writer's outcome and timing. */
    private static void reads(List<TxnOp> history, Index ix, TxnPromise promise, TxnFindings findings) {
        // A lost ABORT marker lets a later marker of the same producer close the aborted transaction as committed.
        String why = !promise.whyNotIsolated().isEmpty() ? promise.whyNotIsolated()
                : promise.durable() ? "" : "acknowledged writes, transaction markers among them, may be lost: " + promise.whyNotDurable();
        for (TxnOp reader : history) {
            for (Read r : reader.reads()) {
                Writer w = ix.writer(r.key(), r.value());
                if (w == null || w.op() == reader) {
                    continue;
                }
                TxnOp writer = w.op();
                if (writer.outcome() == Outcome.FAIL) {
                    findings.add(Invariant.TXN_ABORTED_READ, why, () -> readEvidence(reader, r, writer) + (writer.type() == Type.TXN
                            ? ", a transaction that was aborted" + (writer.error().isEmpty() ? "" : " (" + writer.error() + ")")
                            : ", a send that definitely failed (" + writer.error() + ")"));
                } else if (writer.type() == Type.TXN) {
                    long lastSend = lastSendTo(writer, r.key());
                    if (reader.completeNanos() < lastSend) {
                        findings.add(Invariant.TXN_INTERMEDIATE_READ, why, () -> readEvidence(reader, r, writer) + "; the reader returned at "
                                + reader.completeNanos() + " ns, before that transaction's last send to key " + r.key() + " at " + lastSend + " ns");
                    } else if (writer.commitNanos() < 0 || reader.completeNanos() < writer.commitNanos()) {
                        findings.add(Invariant.TXN_PRECOMMITTED_READ, why, () -> readEvidence(reader, r, writer) + "; the reader returned at "
                                + reader.completeNanos() + " ns, " + (writer.commitNanos() < 0 ? "and the transaction never asked to commit"
                                        : "before the transaction asked to commit at " + writer.commitNanos() + " ns"));
                    }
                }
            }
        }
    }

    private static long lastSendTo(TxnOp op, int key) {
        long last = -1;
        for (Write w : op.writes()) {
            if (w.key() == key) {
                last = Math.max(last, w.sendNanos());
            }
        }
        return last;
    }

    static String readEvidence(TxnOp reader, Read r, TxnOp writer) {
        return reader.describe() + " read key " + r.key() + " offset " + r.offset() + " value " + r.value() + " written by " + writer.describe();
    }

    private static void duplicates(Index ix, TxnPromise promise, TxnFindings findings) {
        for (Map.Entry<Integer, TreeMap<Long, TreeSet<Long>>> k : ix.offsets.entrySet()) {
            for (Map.Entry<Long, TreeSet<Long>> v : k.getValue().entrySet()) {
                if (v.getValue().size() > 1) {
                    Writer w = ix.writer(k.getKey(), v.getKey());
                    findings.add(Invariant.TXN_DUPLICATE, promise.durable() ? "" : promise.whyNotDurable(), () -> "key " + k.getKey() + " value "
                            + v.getKey() + " at offsets " + v.getValue() + (w == null ? "" : ", written by " + w.op().describe()));
                }
            }
        }
    }

    /** Writes of OK transactions and sends that nobody read, where someone should have. */
    private static void lost(List<TxnOp> history, Index ix, TxnPromise promise, TxnFindings findings) {
        for (TxnOp op : history) {
            if (op.outcome() != Outcome.OK || (op.type() != Type.TXN && op.type() != Type.SEND)) {
                continue;
            }
            for (Write w : op.writes()) {
                if (ix.wasRead(w.key(), w.value())) {
                    continue;
                }
                long[] h = ix.highestRead.get(w.key());
                boolean below = w.offset() >= 0 && h != null && w.offset() <= h[0];
                if (!below && (!promise.finalReadsDone() || !readable(promise, w))) {
                    continue;
                }
                String why = promise.durable() ? "" : promise.whyNotDurable();
                if (why.isEmpty() && w.offset() >= 0 && w.offset() < promise.horizon(w.key())) {
                    why = TxnPromise.RETENTION;
                }
                if (why.isEmpty() && w.offset() >= 0 && ix.everyReaderSkipped(w.key(), w.offset())) {
                    why = SKIPPED_BY_RESET;
                }
                findings.add(Invariant.TXN_LOST_WRITE, why, () -> "key " + w.key() + " value " + w.value()
                        + (w.offset() >= 0 ? " at offset " + w.offset() : " (offset unknown)") + " of " + op.describe()
                        + (op.type() == Type.TXN ? ", committed," : ", acknowledged,") + " was never read"
                        + (below ? ", though op #" + h[1] + " read key " + w.key() + " up to offset " + h[0] + " (value " + h[2] + ")"
                                : " (the final reads reached every partition's end)"));
            }
        }
    }

    /**
     * Could the final reads have returned {@code w}? Not above its partition's end (the last stable
     * offset under read_committed: a transaction left open hides what follows it, which the
     * hanging-transaction check reports), nor, with its offset unknown, on a partition whose end
     * is below its high watermark.
     */
    static boolean readable(TxnPromise promise, Write w) {
        TxnPromise.End end = promise.endOffsets().get(w.key());
        if (end == null) {
            return true;
        }
        long limit = promise.readCommitted() ? end.lastStableOffset() : end.highWatermark();
        return w.offset() >= 0 ? w.offset() < limit : limit >= end.highWatermark();
    }

    private static void hanging(TxnPromise promise, TxnFindings findings) {
        for (Map.Entry<Integer, TxnPromise.End> e : promise.endOffsets().entrySet()) {
            TxnPromise.End end = e.getValue();
            if (end.lastStableOffset() < end.highWatermark()) {
                findings.add(Invariant.TXN_NO_HANGING_TRANSACTION, promise.whyLsoMayLag(), () -> "key " + e.getKey()
                        + ": last stable offset " + end.lastStableOffset() + " below the high watermark " + end.highWatermark()
                        + " after heal and quiesce: a transaction stays open from offset " + end.lastStableOffset());
            }
        }
    }
}
