package dev.samsa.harness.check.queue;

import dev.samsa.harness.workload.queue.QueueOp;
import dev.samsa.harness.workload.queue.QueueOp.Outcome;
import dev.samsa.harness.workload.queue.QueueOp.Poll;
import dev.samsa.harness.workload.queue.QueueOp.Send;
import dev.samsa.harness.workload.queue.QueueOp.Type;
import java.util.ArrayList;
import java.util.List;

/**
 * Histories of a correct queue: producers append batches to per-key logs (sometimes leaving an
 * offset no record holds, as a transaction marker would; sometimes failing, or timing out with
 * the batch appended or not), consumers read contiguous ranges in order, sometimes reassigning
 * and seeking, and a last consumer reads every key to its end.
 */
final class CorrectLog {

    /** SplitMix64: a tiny seeded generator, the same on every JVM. */
    private long state;

    private CorrectLog(long seed) {
        this.state = seed;
    }

    private int next(int bound) {
        long z = (state += 0x9E3779B97F4A7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z = z ^ (z >>> 31);
        return (int) Math.floorMod(z, (long) bound);
    }

    static List<QueueOp> history(long seed, int steps, int maxBatch) {
        return new CorrectLog(seed).run(steps, maxBatch);
    }

    private final List<QueueOp> ops = new ArrayList<>();
    private long nowNanos;

    private List<QueueOp> run(int steps, int maxBatch) {
        int keys = 1 + next(4);
        int producers = 1 + next(3);
        int consumers = 1 + next(3);
        List<List<long[]>> logs = new ArrayList<>(); // per key: {offset, value}
        long[] nextOffset = new long[keys];
        long[] nextValue = new long[keys];
        for (int k = 0; k < keys; k++) {
            logs.add(new ArrayList<>());
        }
        int[][] position = new int[consumers][keys]; // index into the key's log
        for (int step = 0; step < steps; step++) {
            if (next(2) == 0) {
                send(1 + next(producers), next(keys), 1 + next(maxBatch), logs, nextOffset, nextValue);
            } else {
                int c = next(consumers);
                if (next(20) == 0) {
                    add(100 + c, Type.ASSIGN, Outcome.OK, List.of(), List.of());
                    for (int k = 0; k < keys; k++) {
                        position[c][k] = next(logs.get(k).size() + 1); // seek anywhere
                    }
                }
                poll(100 + c, position[c], logs, maxBatch);
            }
        }
        add(999, Type.ASSIGN, Outcome.OK, List.of(), List.of());
        poll(999, new int[keys], logs, Integer.MAX_VALUE);
        return ops;
    }

    private void send(int process, int key, int batch, List<List<long[]>> logs, long[] nextOffset, long[] nextValue) {
        int fate = next(10); // 0: fail, 1: timeout without append, 2: timeout after append, else ok
        List<Send> sends = new ArrayList<>();
        for (int i = 0; i < batch; i++) {
            long value = nextValue[key]++;
            if (fate >= 2) {
                long offset = nextOffset[key];
                nextOffset[key] += next(5) == 0 ? 2 : 1;
                logs.get(key).add(new long[] {offset, value});
                sends.add(new Send(key, value, fate == 2 ? -1 : offset));
            } else {
                sends.add(new Send(key, value, -1));
            }
        }
        add(process, Type.SEND, fate == 0 ? Outcome.FAIL : fate <= 2 ? Outcome.INFO : Outcome.OK, sends, List.of());
    }

    private void poll(int process, int[] position, List<List<long[]>> logs, int max) {
        List<Poll> polls = new ArrayList<>();
        for (int k = 0; k < position.length; k++) {
            List<long[]> log = logs.get(k);
            int available = log.size() - position[k];
            int n = max == Integer.MAX_VALUE ? available : next(Math.min(available, max) + 1);
            for (int i = 0; i < n; i++) {
                long[] rec = log.get(position[k]++);
                polls.add(new Poll(k, rec[0], rec[1]));
            }
        }
        add(process, Type.POLL, Outcome.OK, List.of(), polls);
    }

    private void add(int process, Type type, Outcome outcome, List<Send> sends, List<Poll> polls) {
        String error = outcome == Outcome.OK ? "" : "REQUEST_TIMED_OUT";
        ops.add(new QueueOp(ops.size(), process, type, nowNanos, nowNanos + 10, outcome, List.of(), sends, polls, List.of(), error));
        nowNanos += 100;
    }
}
