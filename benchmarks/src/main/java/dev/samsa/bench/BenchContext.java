package dev.samsa.bench;

import dev.samsa.harness.sim.SimDisk;
import dev.samsa.impl.node.Context;
import dev.samsa.impl.node.Disk;
import dev.samsa.impl.node.Message;
import dev.samsa.impl.node.RandomStream;
import dev.samsa.impl.node.Timer;
import dev.samsa.impl.node.TimerHandle;
import dev.samsa.spec.bugs.Bug;
import dev.samsa.spec.config.Settings;

/**
 * The smallest {@link Context} a component that only needs a disk and a clock can run on: a
 * {@link SimDisk}, a clock the benchmark advances by hand, default settings, no bugs, no
 * tracing. There is no network and no timer queue: {@link #send} and {@link #setTimer} throw,
 * so a benchmark that reaches them is measuring something it did not mean to.
 */
final class BenchContext implements Context {

    /** Same shape as the simulation's wall clock: a fixed epoch plus simulated time. */
    private static final long EPOCH_MS = 1_700_000_000_000L;

    private final SimDisk disk = new SimDisk();
    private final RandomStream random = new RandomStream(42);
    private final Settings settings;
    private long nowNanos;

    BenchContext(Settings settings) {
        this.settings = settings;
    }

    /** Moves the clock forward; it never goes back. */
    void advance(long nanos) {
        if (nanos < 0) {
            throw new IllegalStateException("the clock only moves forward: " + nanos);
        }
        nowNanos += nanos;
    }

    SimDisk simDisk() {
        return disk;
    }

    @Override
    public int nodeId() {
        return 0;
    }

    @Override
    public long nowNanos() {
        return nowNanos;
    }

    @Override
    public long wallClockMs() {
        return EPOCH_MS + nowNanos / 1_000_000L;
    }

    @Override
    public void send(int to, Message message) {
        throw new UnsupportedOperationException("BenchContext has no network");
    }

    @Override
    public TimerHandle setTimer(long delayNanos, Timer timer) {
        throw new UnsupportedOperationException("BenchContext has no timers");
    }

    @Override
    public RandomStream random() {
        return random;
    }

    @Override
    public Disk disk() {
        return disk;
    }

    @Override
    public Settings settings() {
        return settings;
    }

    @Override
    public boolean bug(Bug bug) {
        return false;
    }

    @Override
    public boolean tracing() {
        return false;
    }

    @Override
    public void trace(String line) {}

    @Override
    public void reached(String path) {}
}
