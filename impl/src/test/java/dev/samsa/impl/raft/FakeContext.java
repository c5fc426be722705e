package dev.samsa.impl.raft;

import dev.samsa.impl.node.Context;
import dev.samsa.impl.node.Disk;
import dev.samsa.impl.node.Message;
import dev.samsa.impl.node.RandomStream;
import dev.samsa.impl.node.Timer;
import dev.samsa.impl.node.TimerHandle;
import dev.samsa.spec.bugs.Bug;
import dev.samsa.impl.testing.TestContext;
import dev.samsa.spec.config.Settings;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.TreeMap;

/**
 * A hand-driven context for unit tests of one node: a manual clock, an outbox to inspect, due
 * timers fired on request, and an in-memory disk. (The real simulator lives in harness.)
 */
final class FakeContext implements Context {

    record Sent(int to, Message message, Object quorumStateOnDisk) {}

    final int nodeId;
    long now;
    final List<Sent> outbox = new ArrayList<>();
    final TestContext.MemoryDisk disk = new TestContext.MemoryDisk();
    final EnumSet<Bug> bugs = EnumSet.noneOf(Bug.class);
    Settings settings = Settings.defaults();
    private final RandomStream random = new RandomStream(7);
    private final TreeMap<Long, List<Timer>> timers = new TreeMap<>();
    private long seq;

    FakeContext(int nodeId) {
        this.nodeId = nodeId;
    }

    /** Advances the clock to {@code t}, returning the timers that came due, in order. */
    List<Timer> advanceTo(long t) {
        List<Timer> due = new ArrayList<>();
        while (!timers.isEmpty() && timers.firstKey() / 1_000_000 <= t) {
            due.addAll(timers.pollFirstEntry().getValue());
        }
        now = t;
        return due;
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

    @Override
    public int nodeId() {
        return nodeId;
    }

    @Override
    public long nowNanos() {
        return now;
    }

    @Override
    public long wallClockMs() {
        return now / 1_000_000;
    }

    @Override
    public void send(int to, Message message) {
        Object qs = disk.size(RaftClient.STATE_FILE) == 0 ? null : disk.read(RaftClient.STATE_FILE, 0);
        outbox.add(new Sent(to, message, qs));
    }

    @Override
    public TimerHandle setTimer(long delayNanos, Timer timer) {
        // keyed by time in nanos * 1e6 + seq, so equal times keep their order
        timers.computeIfAbsent((now + delayNanos) * 1_000_000 + (seq++ % 1_000_000), k -> new ArrayList<>()).add(timer);
        return TimerHandle.NONE;
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
        return bugs.contains(bug);
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
