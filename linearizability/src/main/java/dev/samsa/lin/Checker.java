package dev.samsa.lin;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Lowe's just-in-time linearizability search, as Porcupine does it, over one partition.
 *
 * <p>Calls and returns form a doubly linked list in real-time order. The search walks it:
 * at a call, it tries to linearize that operation now (the model accepts it, and the pair
 * (linearized set, state) was not explored before), lifting the call and its return out of the
 * list and restarting from the head; at a return whose call was not linearized yet, it has run
 * out of options, so it backtracks: it pops the last linearized call, restores the state, puts
 * the call back and tries the next entry. An empty list means every operation found its place.
 */
final class Checker<S, I, O> {

    /** The result of one partition: a verdict and the longest linearizable prefix found. */
    record Outcome(CheckResult result, int[] longestPrefix) {}

    private final Model<S, I, O> model;
    private final int n; // operations
    private final Object[] inputs;
    private final Object[] outputs;
    // entries 0..2n-1, head sentinel at 2n; -1 is "none"
    private final int[] next;
    private final int[] prev;
    private final int[] opOf;
    private final int[] matchOf; // call entry -> its return entry; -1 for return entries
    private final int head;

    private Checker(Model<S, I, O> model, Object[] inputs, Object[] outputs, int[] order, boolean[] isCall, int[] opOfEntry) {
        this.model = model;
        this.n = inputs.length;
        this.inputs = inputs;
        this.outputs = outputs;
        int size = 2 * n;
        this.head = size;
        this.next = new int[size + 1];
        this.prev = new int[size + 1];
        this.opOf = new int[size];
        this.matchOf = new int[size];
        // entries are numbered in time order: entry k is order[k]'s position
        int[] returnEntryOfOp = new int[n];
        int[] callEntryOfOp = new int[n];
        for (int k = 0; k < size; k++) {
            opOf[k] = opOfEntry[order[k]];
            if (isCall[order[k]]) {
                callEntryOfOp[opOf[k]] = k;
            } else {
                returnEntryOfOp[opOf[k]] = k;
            }
        }
        for (int k = 0; k < size; k++) {
            matchOf[k] = -1;
        }
        for (int op = 0; op < n; op++) {
            if (returnEntryOfOp[op] < callEntryOfOp[op]) {
                throw new IllegalArgumentException("operation " + op + " returns before it is called");
            }
            matchOf[callEntryOfOp[op]] = returnEntryOfOp[op];
        }
        int last = head;
        for (int k = 0; k < size; k++) {
            next[last] = k;
            prev[k] = last;
            last = k;
        }
        next[last] = -1;
        if (size == 0) {
            next[head] = -1;
        }
    }

    /** Builds a checker from operations: entries sorted by time, calls before returns at equal times. */
    static <S, I, O> Checker<S, I, O> fromOperations(Model<S, I, O> model, List<Operation<I, O>> ops) {
        int n = ops.size();
        Object[] in = new Object[n];
        Object[] out = new Object[n];
        long[] time = new long[2 * n];
        boolean[] isCall = new boolean[2 * n];
        int[] opOfEntry = new int[2 * n];
        for (int i = 0; i < n; i++) {
            Operation<I, O> o = ops.get(i);
            in[i] = o.input();
            out[i] = o.output();
            time[2 * i] = o.callTime();
            isCall[2 * i] = true;
            opOfEntry[2 * i] = i;
            time[2 * i + 1] = o.returnTime();
            opOfEntry[2 * i + 1] = i;
        }
        Integer[] idx = new Integer[2 * n];
        for (int k = 0; k < idx.length; k++) {
            idx[k] = k;
        }
        Arrays.sort(idx, (a, b) -> {
            int c = Long.compare(time[a], time[b]);
            if (c != 0) {
                return c;
            }
            c = Boolean.compare(!isCall[a], !isCall[b]); // calls first
            return c != 0 ? c : Integer.compare(a, b);
        });
        int[] order = new int[idx.length];
        for (int k = 0; k < idx.length; k++) {
            order[k] = idx[k];
        }
        return new Checker<>(model, in, out, order, isCall, opOfEntry);
    }

    /** Builds a checker from events already in real-time order; a call without a return is rejected. */
    static <S, I, O> Checker<S, I, O> fromEvents(Model<S, I, O> model, List<Event<?>> events) {
        HashMap<Integer, Integer> opById = new HashMap<>();
        List<Object> in = new ArrayList<>();
        List<Object> out = new ArrayList<>();
        boolean[] isCall = new boolean[events.size()];
        int[] opOfEntry = new int[events.size()];
        for (int k = 0; k < events.size(); k++) {
            Event<?> e = events.get(k);
            if (e.kind() == Event.Kind.CALL) {
                if (opById.putIfAbsent(e.id(), in.size()) != null) {
                    throw new IllegalArgumentException("two calls with id " + e.id());
                }
                in.add(e.value());
                out.add(null);
                isCall[k] = true;
                opOfEntry[k] = in.size() - 1;
            } else {
                Integer op = opById.get(e.id());
                if (op == null) {
                    throw new IllegalArgumentException("return of id " + e.id() + " before its call");
                }
                out.set(op, e.value());
                opOfEntry[k] = op;
            }
        }
        if (2 * in.size() != events.size()) {
            throw new IllegalArgumentException("every call needs exactly one return: " + in.size() + " calls, " + (events.size() - in.size()) + " returns");
        }
        int[] order = new int[events.size()];
        for (int k = 0; k < order.length; k++) {
            order[k] = k;
        }
        return new Checker<>(model, in.toArray(), out.toArray(), order, isCall, opOfEntry);
    }

    int operations() {
        return n;
    }

    Object input(int op) {
        return inputs[op];
    }

    Object output(int op) {
        return outputs[op];
    }

    private void lift(int call) {
        int ret = matchOf[call];
        next[prev[call]] = next[call];
        if (next[call] >= 0) {
            prev[next[call]] = prev[call];
        }
        next[prev[ret]] = next[ret];
        if (next[ret] >= 0) {
            prev[next[ret]] = prev[ret];
        }
    }

    private void unlift(int call) {
        int ret = matchOf[call];
        next[prev[ret]] = ret;
        if (next[ret] >= 0) {
            prev[next[ret]] = ret;
        }
        next[prev[call]] = call;
        if (next[call] >= 0) {
            prev[next[call]] = call;
        }
    }

    // ------------------------------------------------------------------ resumable search state

    private Bitset linearized;
    private Memo cache;
    private int[] callStack;
    private Object[] stateStack;
    private int depth;
    private int[] longest = new int[0];
    private S state;
    private int entry;
    private boolean keepLongest;
    private CheckResult result;

    /** Prepares the search; {@link #resume} then runs it in slices. */
    void begin(boolean keepLongestPrefix) {
        linearized = new Bitset(n, Bitset.keys(n));
        cache = new Memo(n);
        callStack = new int[n];
        stateStack = new Object[n];
        depth = 0;
        state = model.init();
        entry = next[head];
        keepLongest = keepLongestPrefix;
        result = null;
    }

    /** Runs at most {@code maxSteps} search steps; returns the verdict once known, else null. */
    @SuppressWarnings("unchecked")
    CheckResult resume(long maxSteps) {
        if (result != null) {
            return result;
        }
        for (long steps = 0; steps < maxSteps; steps++) {
            if (next[head] < 0) {
                return finish(CheckResult.OK);
            }
            int ret = matchOf[entry];
            if (ret >= 0) { // a call: try to linearize it here
                int op = opOf[entry];
                Model.StepResult<S> r = model.step(state, (I) inputs[op], (O) outputs[op]);
                if (r.legal() && remember(cache, linearized, op, r.next())) {
                    callStack[depth] = entry;
                    stateStack[depth] = state;
                    depth++;
                    if (keepLongest && depth > longest.length) {
                        longest = new int[depth];
                        for (int k = 0; k < depth; k++) {
                            longest[k] = opOf[callStack[k]];
                        }
                    }
                    state = r.next();
                    linearized.set(op);
                    lift(entry);
                    entry = next[head];
                } else {
                    entry = next[entry];
                }
            } else { // a return whose call is not linearized: backtrack
                if (depth == 0) {
                    return finish(CheckResult.ILLEGAL);
                }
                depth--;
                entry = callStack[depth];
                state = (S) stateStack[depth];
                stateStack[depth] = null;
                linearized.clear(opOf[entry]);
                unlift(entry);
                entry = next[entry];
            }
        }
        return null;
    }

    private CheckResult finish(CheckResult r) {
        result = r;
        cache = null; // the memo can be large: let it go as soon as the verdict is known
        stateStack = null;
        return r;
    }

    int[] longestPrefix() {
        return longest;
    }

    /** Runs the search to the end in this thread (polling {@code stop} and the deadline). */
    Outcome run(AtomicBoolean stop, long deadlineNanos, boolean keepLongestPrefix) {
        begin(keepLongestPrefix);
        while (true) {
            CheckResult r = resume(1024);
            if (r != null) {
                return new Outcome(r, longest);
            }
            if (stop.get() || System.nanoTime() > deadlineNanos) {
                return new Outcome(CheckResult.UNKNOWN, longest);
            }
        }
    }

    /** Adds (linearized + op, state) to the memo; false if it was already there (explored). */
    private boolean remember(Memo memo, Bitset linearized, int op, S state) {
        long h = linearized.hashWith(op) ^ (model.hash(state) * 0x9E3779B97F4A7C15L);
        return memo.add(h, linearized, op, state, this::equalStates);
    }

    @SuppressWarnings("unchecked")
    private boolean equalStates(Object a, Object b) {
        return model.equal((S) a, (S) b);
    }
}
