package dev.samsa.lin;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Checks histories for linearizability against a {@link Model}: one call. Partitions (when the
 * model splits the history) are checked in parallel; the first illegal partition stops the
 * others. A timeout yields {@link CheckResult#UNKNOWN}, never a wrong verdict.
 */
public final class Linearizability {

    private Linearizability() {}

    /** The verdict and, for the visualization, what the search found per partition. */
    public record Verbose(CheckResult result, LinearizationInfo info) {}

    public static <S, I, O> CheckResult check(Model<S, I, O> model, List<Operation<I, O>> history, Duration timeout) {
        return checkOperations(model, history, timeout, false).result();
    }

    public static <S, I, O> Verbose checkVerbose(Model<S, I, O> model, List<Operation<I, O>> history, Duration timeout) {
        return checkOperations(model, history, timeout, true);
    }

    public static <S, I, O> CheckResult checkEvents(Model<S, I, O> model, List<Event<?>> history, Duration timeout) {
        return checkEventHistory(model, history, timeout, false).result();
    }

    public static <S, I, O> Verbose checkEventsVerbose(Model<S, I, O> model, List<Event<?>> history, Duration timeout) {
        return checkEventHistory(model, history, timeout, true);
    }

    private static <S, I, O> Verbose checkOperations(Model<S, I, O> model, List<Operation<I, O>> history, Duration timeout, boolean verbose) {
        List<List<Operation<I, O>>> split = model.partition(history);
        List<Checker<S, I, O>> parts = new ArrayList<>();
        for (List<Operation<I, O>> p : split) {
            parts.add(Checker.fromOperations(model, p));
        }
        return checkAll(model, parts, timeout, verbose, verbose ? positionsOf(split) : List.of());
    }

    private static <S, I, O> Verbose checkEventHistory(Model<S, I, O> model, List<Event<?>> history, Duration timeout, boolean verbose) {
        List<Checker<S, I, O>> parts = new ArrayList<>();
        List<long[][]> positions = new ArrayList<>();
        for (List<Event<?>> p : model.partitionEvents(history)) {
            parts.add(Checker.fromEvents(model, p));
            if (verbose) {
                positions.add(eventPositions(p)); // only the visualization needs them
            }
        }
        return checkAll(model, parts, timeout, verbose, positions);
    }

    private static <I, O> List<long[][]> positionsOf(List<List<Operation<I, O>>> parts) {
        List<long[][]> out = new ArrayList<>();
        for (List<Operation<I, O>> p : parts) {
            long[][] pos = new long[p.size()][];
            for (int i = 0; i < p.size(); i++) {
                Operation<I, O> o = p.get(i);
                pos[i] = new long[] {o.clientId(), o.callTime(), o.returnTime()};
            }
            out.add(pos);
        }
        return out;
    }

    private static long[][] eventPositions(List<Event<?>> events) {
        java.util.HashMap<Integer, long[]> byId = new java.util.HashMap<>();
        List<long[]> ordered = new ArrayList<>();
        for (int k = 0; k < events.size(); k++) {
            Event<?> e = events.get(k);
            if (e.kind() == Event.Kind.CALL) {
                long[] p = {e.clientId(), k, k};
                byId.put(e.id(), p);
                ordered.add(p);
            } else {
                byId.get(e.id())[2] = k;
            }
        }
        return ordered.toArray(new long[0][]);
    }

    private static <S, I, O> Verbose checkAll(Model<S, I, O> model, List<Checker<S, I, O>> parts, Duration timeout, boolean verbose,
            List<long[][]> positions) {
        long deadline = timeout.isZero() || timeout.isNegative() ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
        List<Checker.Outcome> outcomes = runAll(parts, deadline, verbose);
        CheckResult result = CheckResult.OK;
        for (Checker.Outcome o : outcomes) {
            if (o.result() == CheckResult.ILLEGAL) {
                result = CheckResult.ILLEGAL;
                break;
            }
            if (o.result() == CheckResult.UNKNOWN) {
                result = CheckResult.UNKNOWN;
            }
        }
        if (!verbose) {
            return new Verbose(result, new LinearizationInfo(List.of()));
        }
        List<LinearizationInfo.Partition> infos = new ArrayList<>();
        for (int p = 0; p < parts.size(); p++) {
            infos.add(describe(model, parts.get(p), outcomes.get(p), positions.get(p)));
        }
        return new Verbose(result, new LinearizationInfo(infos));
    }

    /** Below this many operations in all, partitions are checked in the calling thread. */
    private static final int PARALLEL_THRESHOLD_OPERATIONS = 2_000;

    /** Shared daemon workers for partitioned checks (never the simulation's: this is an offline checker). */
    private static final java.util.concurrent.ExecutorService POOL = java.util.concurrent.Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "samsa-lin-check");
        t.setDaemon(true);
        return t;
    });

    /** Steps each partition's search is given before the next partition gets a turn. */
    private static final long SLICE_STEPS = 20_000;

    /**
     * Checks every partition, all of them making progress at once (like one goroutine each in
     * Porcupine): the cores take turns over the partitions in slices, so a partition that is
     * quickly found illegal stops the whole check even while others would search for minutes.
     */
    private static <S, I, O> List<Checker.Outcome> runAll(List<Checker<S, I, O>> parts, long deadline, boolean verbose) {
        int count = parts.size();
        CheckResult[] results = new CheckResult[count];
        for (Checker<S, I, O> c : parts) {
            c.begin(verbose);
        }
        java.util.concurrent.ConcurrentLinkedQueue<Integer> turns = new java.util.concurrent.ConcurrentLinkedQueue<>();
        for (int i = 0; i < count; i++) {
            turns.add(i);
        }
        AtomicBoolean stop = new AtomicBoolean();
        Runnable worker = () -> {
            Integer i;
            while (!stop.get() && (i = turns.poll()) != null) {
                CheckResult r = parts.get(i).resume(SLICE_STEPS);
                if (r == null) {
                    if (System.nanoTime() > deadline) {
                        stop.set(true);
                        return;
                    }
                    turns.add(i);
                    continue;
                }
                results[i] = r;
                if (r == CheckResult.ILLEGAL) {
                    stop.set(true); // one illegal partition decides the whole history
                }
            }
        };
        int entries = 0;
        for (Checker<S, I, O> c : parts) {
            entries += c.operations();
        }
        int threads = Math.min(count, Runtime.getRuntime().availableProcessors());
        if (threads <= 1 || entries < PARALLEL_THRESHOLD_OPERATIONS) {
            worker.run(); // small: handing work to other threads costs more than it saves
        } else {
            List<java.util.concurrent.Future<?>> fs = new ArrayList<>();
            for (int t = 1; t < threads; t++) {
                fs.add(POOL.submit(worker));
            }
            worker.run();
            for (java.util.concurrent.Future<?> f : fs) {
                try {
                    f.get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    stop.set(true);
                } catch (java.util.concurrent.ExecutionException e) {
                    throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
                }
            }
        }
        List<Checker.Outcome> outcomes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            outcomes.add(new Checker.Outcome(results[i] == null ? CheckResult.UNKNOWN : results[i], parts.get(i).longestPrefix()));
        }
        return outcomes;
    }

    @SuppressWarnings("unchecked")
    private static <S, I, O> LinearizationInfo.Partition describe(Model<S, I, O> model, Checker<S, I, O> c, Checker.Outcome o, long[][] pos) {
        List<LinearizationInfo.Op> ops = new ArrayList<>();
        for (int i = 0; i < c.operations(); i++) {
            ops.add(new LinearizationInfo.Op((int) pos[i][0], pos[i][1], pos[i][2], model.describeOperation((I) c.input(i), (O) c.output(i))));
        }
        List<Integer> prefix = new ArrayList<>();
        List<String> states = new ArrayList<>();
        S s = model.init();
        for (int op : o.longestPrefix()) {
            prefix.add(op);
            s = model.step(s, (I) c.input(op), (O) c.output(op)).next();
            states.add(model.describeState(s));
        }
        return new LinearizationInfo.Partition(ops, prefix, states, o.result() == CheckResult.OK);
    }
}
