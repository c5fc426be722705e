package dev.samsa.bench;

import dev.samsa.harness.sim.Role;
import dev.samsa.harness.sim.Simulation;
import dev.samsa.harness.sim.TraceSink;
import dev.samsa.impl.node.Context;
import dev.samsa.impl.node.Message;
import dev.samsa.impl.node.Node;
import dev.samsa.impl.node.Timer;
import dev.samsa.spec.bugs.Bug;
import dev.samsa.spec.config.Settings;
import java.util.EnumSet;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The kernel's event loop with handlers that do nothing but keep it busy: each node wakes on
 * a timer, sends one message and sets the next timer. Reports simulated events per second
 * (the {@code events} counter). Goal: at least 2,000,000 events per second on one core.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar KernelBenchmark</pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Thread)
public class KernelBenchmark {

    private static final int NODES = 8;
    private static final long SLICE_NANOS = 10_000_000L; // 10 ms of simulated time per invocation

    record Noop() implements Message {}

    record Wake() implements Timer {}

    static final class Busy implements Node {
        private final Context ctx;
        private static final Noop MSG = new Noop();
        private static final Wake WAKE = new Wake();

        Busy(Context ctx) {
            this.ctx = ctx;
        }

        @Override
        public void onStart() {
            ctx.setTimer(1_000, WAKE);
        }

        @Override
        public void onMessage(int from, Message message) {}

        @Override
        public void onTimer(Timer timer) {
            ctx.send((ctx.nodeId() + 1) % NODES, MSG);
            ctx.setTimer(10_000, WAKE);
        }

        @Override
        public void onDisconnect(int peer) {}
    }

    /** Events run per second, reported next to the invocation rate. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Events {
        public long events;
    }

    private Simulation sim;
    private long until;

    @Setup(Level.Iteration)
    public void setUp() {
        sim = new Simulation(42, Settings.defaults(), EnumSet.noneOf(Bug.class), TraceSink.NONE, false);
        for (int i = 0; i < NODES; i++) {
            sim.addNode(i, "n" + i, Role.BROKER, Busy::new);
        }
        until = 0;
    }

    @Benchmark
    public long eventLoop(Events counter) {
        long before = sim.eventsFired();
        until += SLICE_NANOS;
        sim.runUntil(until);
        counter.events += sim.eventsFired() - before;
        return sim.traceHash();
    }
}
