package dev.samsa.impl.client;

import dev.samsa.impl.node.Context;
import dev.samsa.impl.node.Disk;
import dev.samsa.impl.node.Message;
import dev.samsa.impl.node.RandomStream;
import dev.samsa.impl.node.Timer;
import dev.samsa.impl.node.TimerHandle;
import dev.samsa.impl.testing.TestContext;
import dev.samsa.spec.bugs.Bug;
import dev.samsa.spec.config.Settings;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * A hand-driven context for client tests, after {@link TestContext}: a manual clock in
 * milliseconds, an outbox, due timers handed to a driver, and the coverage paths reached.
 */
final class ClientTestContext implements Context {

    record Sent(int to, Message message) {}

    long nowNanos;
    final List<Sent> outbox = new ArrayList<>();
    final List<String> reached = new ArrayList<>();
    final EnumSet<Bug> bugs = EnumSet.noneOf(Bug.class);
    Settings settings = Settings.defaults();
    private final RandomStream random = new RandomStream(7);
    private final TreeMap<Long, Timer> timers = new TreeMap<>();
    private long seq;

    ClientTestContext set(String key, String value) {
        settings = settings.with(key, value);
        return this;
    }

    /** Advances the clock by {@code ms}, handing every timer that comes due to {@code fire} in order. */
    void advanceMs(long ms, Predicate<Timer> fire) {
        long target = nowNanos + ms * 1_000_000L;
        while (!timers.isEmpty() && timers.firstKey() / 1_000_000 <= target) {
            var e = timers.pollFirstEntry();
            nowNanos = Math.max(nowNanos, e.getKey() / 1_000_000);
            if (!fire.test(e.getValue())) {
                throw new AssertionError("timer not taken: " + e.getValue());
            }
        }
        nowNanos = target;
    }

    long nowMs() {
        return nowNanos / 1_000_000;
    }

    @SuppressWarnings("unchecked")
    <T extends Message> List<T> sent(Class<T> type) {
        List<T> out = new ArrayList<>();
        for (Sent s : outbox) {
            if (type.isInstance(s.message())) {
                out.add((T) s.message());
            }
        }
        return out;
    }

    <T extends Message> T last(Class<T> type) {
        List<T> all = sent(type);
        if (all.isEmpty()) {
            throw new AssertionError("nothing of " + type.getSimpleName() + " sent");
        }
        return all.get(all.size() - 1);
    }

    /** The broker the last message of {@code type} went to. */
    int lastTo(Class<? extends Message> type) {
        for (int i = outbox.size() - 1; i >= 0; i--) {
            if (type.isInstance(outbox.get(i).message())) {
                return outbox.get(i).to();
            }
        }
        throw new AssertionError("nothing of " + type.getSimpleName() + " sent");
    }

    @Override
    public int nodeId() {
        return 100;
    }

    @Override
    public long nowNanos() {
        return nowNanos;
    }

    @Override
    public long wallClockMs() {
        return 1_000_000 + nowNanos / 1_000_000;
    }

    @Override
    public void send(int to, Message message) {
        outbox.add(new Sent(to, message));
    }

    @Override
    public TimerHandle setTimer(long delayNanos, Timer timer) {
        timers.put((nowNanos + delayNanos) * 1_000_000 + (seq++ % 1_000_000), timer);
        return TimerHandle.NONE;
    }

    @Override
    public RandomStream random() {
        return random;
    }

    @Override
    public Disk disk() {
        throw new UnsupportedOperationException("clients keep nothing on disk");
    }

    @Override
    public Settings settings() {
        return settings;
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
