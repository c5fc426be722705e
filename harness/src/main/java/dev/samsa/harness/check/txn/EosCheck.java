package dev.samsa.harness.check.txn;

import dev.samsa.harness.workload.txn.TxnOp;
import dev.samsa.harness.workload.txn.TxnOp.Outcome;
import dev.samsa.harness.workload.txn.TxnOp.Read;
import dev.samsa.harness.workload.txn.TxnOp.Type;
import dev.samsa.spec.invariant.Invariant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Exactly-once processing of the eos workload: the per-region counts the downstream reader sums
 * from the output topic (each transaction writes, per region, how many orders of amount &gt; 100 it
 * counted) must equal the counts computed from the input log itself (every order any read
 * returned). Judged only after the final reads reached every partition's end. The evidence names
 * the orders behind a difference: counted by no committed transaction (read only by aborted ones:
 * KAFKA-17582's missing rewind), or by two.
 */
final class EosCheck {

    private EosCheck() {}

    static void check(List<TxnOp> history, TxnChecker.Index ix, TxnPromise promise, TxnFindings findings) {
        if (!promise.finalReadsDone()) {
            return;
        }
        for (TxnPromise.End end : promise.endOffsets().values()) {
            if (promise.readCommitted() && end.lastStableOffset() < end.highWatermark()) {
                return; // a transaction left open hides committed output after it: the hanging-transaction check reports that
            }
        }
        long[] expected = new long[EosValues.REGIONS];
        for (Map.Entry<Integer, TreeSet<Long>> k : ix.read.entrySet()) {
            if (EosValues.isOutput(k.getKey())) {
                continue;
            }
            for (long order : k.getValue()) {
                if (EosValues.counted(order)) {
                    expected[EosValues.region(order)]++;
                }
            }
        }
        long[] actual = new long[EosValues.REGIONS];
        TreeMap<Integer, TreeSet<Long>> outputsSeen = new TreeMap<>();
        for (TxnOp op : history) {
            if (op.type() != Type.POLL) {
                continue;
            }
            for (Read r : op.reads()) {
                if (EosValues.isOutput(r.key()) && outputsSeen.computeIfAbsent(r.key(), k -> new TreeSet<>()).add(r.value())) {
                    int region = EosValues.outputRegion(r.value());
                    if (region < EosValues.REGIONS) {
                        actual[region] += EosValues.outputCount(r.value());
                    }
                }
            }
        }
        String why = !promise.durable() ? promise.whyNotDurable() : promise.whyNotIsolated();
        if (why.isEmpty()) {
            why = behind(history, promise);
        }
        if (why.isEmpty() && promise.retentionHorizon().values().stream().anyMatch(h -> h > 0)) {
            why = "retention deleted records before the processors or the reader read them";
        }
        for (int region = 0; region < EosValues.REGIONS; region++) {
            if (expected[region] != actual[region]) {
                int r = region;
                findings.add(Invariant.EOS_EXACTLY_ONCE, why, () -> "region " + r + ": the input holds " + expected[r] + " orders above "
                        + EosValues.THRESHOLD + ", the committed output counts " + actual[r] + explain(history, r));
            }
        }
    }

    /**
     * Why the counts cannot be final yet: no transaction (committed or not) ever read some input
     * partition's last order (below its high watermark), so the processors had not caught up when
     * the run ended (a liveness matter, not exactly-once); empty when they had. A transaction that
     * read it and aborted counts as caught up: the loop must process it again, and KAFKA-17582's
     * loop never does.
     */
    static String behind(List<TxnOp> history, TxnPromise promise) {
        TreeMap<Integer, Long> processed = new TreeMap<>();
        for (TxnOp op : history) {
            if (op.type() == Type.TXN) {
                for (Read r : op.reads()) {
                    processed.merge(r.key(), r.offset(), Math::max);
                }
            }
        }
        for (Map.Entry<Integer, TxnPromise.End> e : promise.endOffsets().entrySet()) {
            long last = e.getValue().highWatermark() - 1;
            if (!EosValues.isOutput(e.getKey()) && last >= promise.horizon(e.getKey()) && processed.getOrDefault(e.getKey(), -1L) < last) {
                return "the processors had not read input key " + e.getKey() + " up to its end (offset " + last + ") when the run ended";
            }
        }
        return "";
    }

    /** Orders of {@code region} counted by no committed transaction, or by more than one. */
    private static String explain(List<TxnOp> history, int region) {
        TreeMap<String, Integer> committed = new TreeMap<>();
        TreeMap<String, Integer> aborted = new TreeMap<>();
        for (TxnOp op : history) {
            if (op.type() != Type.TXN) {
                continue;
            }
            for (Read r : op.reads()) {
                if (!EosValues.isOutput(r.key()) && EosValues.counted(r.value()) && EosValues.region(r.value()) == region) {
                    String id = "key " + r.key() + " offset " + r.offset() + " value " + r.value();
                    if (op.outcome() == Outcome.OK) {
                        committed.merge(id, op.index(), (a, b) -> -1);
                    } else if (op.outcome() == Outcome.FAIL) {
                        aborted.putIfAbsent(id, op.index());
                    }
                }
            }
        }
        List<String> parts = new ArrayList<>();
        List<String> onlyAborted = new ArrayList<>();
        aborted.forEach((id, op) -> {
            if (!committed.containsKey(id)) {
                onlyAborted.add(id + " (op #" + op + ")");
            }
        });
        if (!onlyAborted.isEmpty()) {
            parts.add(onlyAborted.size() + " orders read only by aborted transactions, never again: "
                    + String.join(", ", onlyAborted.subList(0, Math.min(3, onlyAborted.size()))));
        }
        List<String> twice = new ArrayList<>();
        committed.forEach((id, op) -> {
            if (op < 0) {
                twice.add(id);
            }
        });
        if (!twice.isEmpty()) {
            parts.add(twice.size() + " orders counted by two committed transactions: " + String.join(", ", twice.subList(0, Math.min(3, twice.size()))));
        }
        return parts.isEmpty() ? "" : "; " + String.join("; ", parts);
    }
}
