package dev.samsa.impl.log;

import java.util.ArrayList;
import java.util.List;

/**
 * The aborted transactions whose ABORT marker lies in one segment (Kafka's {@code .txnindex}),
 * in marker order. samsa rebuilds it with the producer state whenever the log is loaded or
 * truncated (the same replay of the batches), the way its offset index is rebuilt on load, so it
 * needs no file of its own; it goes with its segment when retention deletes that.
 */
final class TransactionIndex {

    private final ArrayList<AbortedTxn> entries = new ArrayList<>();

    void append(AbortedTxn txn) {
        if (!entries.isEmpty() && entries.get(entries.size() - 1).lastOffset() >= txn.lastOffset()) {
            throw new IllegalStateException("aborted transaction " + txn + " does not follow " + entries.get(entries.size() - 1));
        }
        entries.add(txn);
    }

    /**
     * Adds to {@code out} the aborted transactions overlapping [{@code fetchOffset},
     * {@code upperBoundOffset}); true when the search is complete (an entry's LSO at completion
     * reached the upper bound, so later segments cannot add any).
     */
    boolean collect(long fetchOffset, long upperBoundOffset, List<AbortedTxn> out) {
        for (AbortedTxn t : entries) {
            if (t.lastOffset() >= fetchOffset && t.firstOffset() < upperBoundOffset) {
                out.add(t);
            }
            if (t.lastStableOffset() >= upperBoundOffset) {
                return true;
            }
        }
        return false;
    }

    List<AbortedTxn> entries() {
        return new ArrayList<>(entries);
    }

    void clear() {
        entries.clear();
    }
}
