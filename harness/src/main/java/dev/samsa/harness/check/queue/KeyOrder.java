package dev.samsa.harness.check.queue;

import dev.samsa.harness.workload.queue.QueueOp;
import dev.samsa.spec.invariant.Invariant;
import java.util.Arrays;
import java.util.List;

/**
 * The version order of one key (one partition), in the manner of Jepsen's Kafka checker: every
 * (offset, value) observed by an OK send with a known offset or by any poll (whatever its
 * outcome: what a poller saw is in the log). Offsets are Kafka's; an offset's <em>index</em> is
 * its position among the offsets known to hold a record, so a step from one record to the next
 * known one is one index, whatever offsets (markers, records nobody saw) lie between.
 *
 * <p>Built in two steps: {@link #observe}/{@link #read} while walking the history, then
 * {@link #freeze} sorts once and reports inconsistent offsets and duplicates.
 */
final class KeyOrder {

    final int key;

    private final LongList obsOffset = new LongList();
    private final LongList obsValue = new LongList();
    private final LongList obsOp = new LongList(); // position in the history of the observing op
    private final LongList readValues = new LongList();
    final LongList sentValues = new LongList();
    final LongList ackedValues = new LongList();

    /** The highest offset any poll returned for this key, and where (-1: nobody read the key). */
    long highestReadOffset = -1;
    long highestReadValue;
    int highestReadOp = -1;

    private long[] knownOffsets; // sorted, distinct: set by freeze
    private long[] readSorted;
    private long duplicates;

    KeyOrder(int key) {
        this.key = key;
    }

    void observe(long offset, long value, int opPosition) {
        obsOffset.add(offset);
        obsValue.add(value);
        obsOp.add(opPosition);
    }

    void read(long offset, long value, int opPosition) {
        observe(offset, value, opPosition);
        readValues.add(value);
        if (offset > highestReadOffset) {
            highestReadOffset = offset;
            highestReadValue = value;
            highestReadOp = opPosition;
        }
    }

    /** Sorts the observations once; reports inconsistent offsets and duplicate values. */
    void freeze(List<QueueOp> history, QueuePromise promise, Findings findings) {
        int n = obsOffset.size();
        long[] off = obsOffset.toArray();
        long[] val = obsValue.toArray();
        int[] perm = PairSort.order(off, val, n);
        // The distinct (offset, value) pairs, each with the first op that observed it.
        LongList dOff = new LongList();
        LongList dVal = new LongList();
        LongList dOp = new LongList();
        LongList known = new LongList();
        for (int i = 0; i < n; i++) {
            int p = perm[i];
            int last = dOff.size() - 1;
            if (last >= 0 && dOff.get(last) == off[p] && dVal.get(last) == val[p]) {
                continue;
            }
            if (last < 0 || dOff.get(last) != off[p]) {
                known.add(off[p]);
            }
            dOff.add(off[p]);
            dVal.add(val[p]);
            dOp.add(obsOp.get(p));
        }
        knownOffsets = known.toArray();
        readSorted = readValues.sortedDistinct();
        String whyInconsistent = promise.durable() ? "" : promise.whyNotDurable();
        forEachRun(dOff.toArray(), null, (from, to, order) -> findings.add(Invariant.QUEUE_INCONSISTENT_OFFSETS, whyInconsistent,
                () -> "key " + key + " offset " + dOff.get(from) + " holds " + values(history, dVal, dOp, from, to, null)));
        long[] dv = dVal.toArray();
        int[] byValue = PairSort.order(dv, dOff.toArray(), dv.length);
        // a lost log loses the producer state that deduplicates retries, so durability failures excuse duplicates too
        String whyDuplicate = !promise.idempotent() ? promise.whyNotIdempotent() : !promise.durable() ? promise.whyNotDurable() : "";
        forEachRun(dv, byValue, (from, to, order) -> {
            duplicates++;
            findings.add(Invariant.QUEUE_DUPLICATE, whyDuplicate,
                    () -> "key " + key + " value " + dv[order[from]] + " at " + (to - from) + " offsets: " + offsets(history, dOff, dOp, from, to, order));
        });
    }

    private interface Run {
        void accept(int from, int to, int[] order);
    }

    /** Calls {@code run} for every stretch of two or more equal values of {@code sorted} (read through {@code order} when given). */
    private static void forEachRun(long[] a, int[] order, Run run) {
        int from = 0;
        for (int i = 1; i <= a.length; i++) {
            if (i == a.length || at(a, order, i) != at(a, order, from)) {
                if (i - from > 1) {
                    run.accept(from, i, order);
                }
                from = i;
            }
        }
    }

    private static long at(long[] a, int[] order, int i) {
        return order == null ? a[i] : a[order[i]];
    }

    private static String values(List<QueueOp> history, LongList dVal, LongList dOp, int from, int to, int[] order) {
        StringBuilder b = new StringBuilder();
        for (int i = from; i < to && i < from + Findings.EXAMPLES_MAX; i++) {
            int d = order == null ? i : order[i];
            b.append(i == from ? "" : " and ").append("value ").append(dVal.get(d)).append(" (").append(Describe.observer(history.get((int) dOp.get(d)))).append(')');
        }
        return b.toString();
    }

    private static String offsets(List<QueueOp> history, LongList dOff, LongList dOp, int from, int to, int[] order) {
        StringBuilder b = new StringBuilder();
        for (int i = from; i < to && i < from + Findings.EXAMPLES_MAX; i++) {
            int d = order[i];
            b.append(i == from ? "" : " and ").append("offset ").append(dOff.get(d)).append(" (").append(Describe.observer(history.get((int) dOp.get(d)))).append(')');
        }
        return b.toString();
    }

    private void requireFrozen() {
        if (knownOffsets == null) {
            throw new IllegalStateException("key " + key + ": version order used before freeze");
        }
    }

    /** How many known offsets lie in [from, toExclusive). */
    int countKnown(long from, long toExclusive) {
        requireFrozen();
        return from >= toExclusive ? 0 : lowerBound(toExclusive) - lowerBound(from);
    }

    /** The first known offset at or after {@code from}, or -1. */
    long firstKnownFrom(long from) {
        int i = lowerBound(from);
        return i < knownOffsets.length ? knownOffsets[i] : -1;
    }

    private int lowerBound(long offset) {
        int i = Arrays.binarySearch(knownOffsets, offset);
        return i >= 0 ? i : -i - 1;
    }

    boolean wasRead(long value) {
        requireFrozen();
        return Arrays.binarySearch(readSorted, value) >= 0;
    }

    long valuesRead() {
        requireFrozen();
        return readSorted.length;
    }

    long duplicates() {
        return duplicates;
    }
}
