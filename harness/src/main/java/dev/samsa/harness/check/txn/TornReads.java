package dev.samsa.harness.check.txn;

import dev.samsa.harness.workload.txn.TxnOp;
import dev.samsa.harness.workload.txn.TxnOp.Outcome;
import dev.samsa.harness.workload.txn.TxnOp.Read;
import dev.samsa.harness.workload.txn.TxnOp.Type;
import dev.samsa.harness.workload.txn.TxnOp.Write;
import dev.samsa.spec.invariant.Invariant;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Torn transactions: per reader process (the POLL operations of one process), a committed
 * transaction of which the reader saw some writes must show it every other write it read past: a
 * write at an offset at or below the highest offset that reader read of its key, that the reader
 * did not return and did not jump over by a position reset of its own. Transactions are atomic
 * across partitions, so under read_committed a reader never sees half of one.
 */
final class TornReads {

    private TornReads() {}

    /** What one reader process saw: key -> values, key -> highest offset read. */
    private static final class Reader {
        final int process;
        final TreeMap<Integer, TreeSet<Long>> values = new TreeMap<>();
        final TreeMap<Integer, Long> reach = new TreeMap<>();

        Reader(int process) {
            this.process = process;
        }

        boolean saw(Write w) {
            TreeSet<Long> s = values.get(w.key());
            return s != null && s.contains(w.value());
        }
    }

    static void check(List<TxnOp> history, TxnChecker.Index ix, TxnPromise promise, TxnFindings findings) {
        TreeMap<Integer, Reader> readers = new TreeMap<>();
        for (TxnOp op : history) {
            if (op.type() != Type.POLL) {
                continue;
            }
            Reader rd = readers.computeIfAbsent(op.process(), Reader::new);
            for (Read r : op.reads()) {
                rd.values.computeIfAbsent(r.key(), k -> new TreeSet<>()).add(r.value());
                rd.reach.merge(r.key(), r.offset(), Math::max);
            }
        }
        String why = promise.durable() ? "" : promise.whyNotDurable();
        for (TxnOp txn : history) {
            if (txn.type() != Type.TXN || txn.outcome() != Outcome.OK || txn.writes().size() < 2) {
                continue;
            }
            for (Reader rd : readers.values()) {
                Write seen = null;
                for (Write w : txn.writes()) {
                    if (rd.saw(w)) {
                        seen = w;
                        break;
                    }
                }
                if (seen == null) {
                    continue;
                }
                for (Write w : txn.writes()) {
                    long offset = w.offset() >= 0 ? w.offset() : ix.offsetOf(w.key(), w.value());
                    if (offset < 0 || rd.saw(w) || offset > rd.reach.getOrDefault(w.key(), -1L) || ix.jumpedOver(w.key(), rd.process, offset)) {
                        continue;
                    }
                    Write shown = seen;
                    String whyHere = why.isEmpty() && offset < promise.horizon(w.key()) ? TxnPromise.RETENTION : why;
                    findings.add(Invariant.TXN_TORN_TRANSACTION, whyHere, () -> "reader process " + rd.process + " saw key " + shown.key()
                            + " value " + shown.value() + " of " + txn.describe() + " but not its key " + w.key() + " value " + w.value()
                            + " at offset " + offset + ", though it read key " + w.key() + " up to offset " + rd.reach.get(w.key()));
                    break; // one occurrence per transaction and reader
                }
            }
        }
    }
}
