package dev.samsa.impl.log;

import dev.samsa.impl.node.Context;
import dev.samsa.impl.node.Message;
import dev.samsa.impl.node.RandomStream;
import dev.samsa.impl.node.Timer;
import dev.samsa.impl.node.TimerHandle;
import dev.samsa.spec.bugs.Bug;
import dev.samsa.spec.config.Settings;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

/** A context for log tests: a {@link PowerLossDisk}, bug flags, and the rare paths reached. */
final class LogTestContext implements Context {

    final PowerLossDisk disk = new PowerLossDisk();
    final EnumSet<Bug> bugs = EnumSet.noneOf(Bug.class);
    final List<String> reached = new ArrayList<>();
    long nowMs = 1_000_000;

    @Override
    public int nodeId() {
        return 1;
    }

    @Override
    public long nowNanos() {
        return nowMs * 1_000_000;
    }

    @Override
    public long wallClockMs() {
        return nowMs;
    }

    @Override
    public void send(int to, Message message) {
        throw new UnsupportedOperationException("a log sends nothing");
    }

    @Override
    public TimerHandle setTimer(long delayNanos, Timer timer) {
        throw new UnsupportedOperationException("a log sets no timers");
    }

    @Override
    public RandomStream random() {
        return new RandomStream(1);
    }

    @Override
    public PowerLossDisk disk() {
        return disk;
    }

    @Override
    public Settings settings() {
        return Settings.defaults();
    }

    @Override
    public boolean bug(Bug bug) {
        return bugs.contains(bug);
    }

    @Override
    public boolean tracing() {
        return false;
    }

    @Override
    public void trace(String line) {}

    @Override
    public void reached(String path) {
        reached.add(path);
    }
}
