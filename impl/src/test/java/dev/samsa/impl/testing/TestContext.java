package dev.samsa.impl.testing;

import dev.samsa.impl.node.Context;
import dev.samsa.impl.node.Disk;
import dev.samsa.impl.node.Message;
import dev.samsa.impl.node.RandomStream;
import dev.samsa.impl.node.Timer;
import dev.samsa.impl.node.TimerHandle;
import dev.samsa.spec.bugs.Bug;
import dev.samsa.spec.config.Settings;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.TreeMap;

/**
 * A hand-driven context for unit tests of one node in any impl package: a manual clock, an outbox to inspect, due
 * timers fired on request, and an in-memory disk. (The real simulator lives in harness.)
 */
public final class TestContext implements Context {

    public record Sent(int to, Message message) {}

    public final int nodeId;
    public long now;
    public final List<Sent> outbox = new ArrayList<>();
    public final MemoryDisk disk = new MemoryDisk();
    public final EnumSet<Bug> bugs = EnumSet.noneOf(Bug.class);
    public Settings settings = Settings.defaults();
    private final RandomStream random = new RandomStream(7);
    private final TreeMap<Long, List<Timer>> timers = new TreeMap<>();
    private long seq;

    public TestContext(int nodeId) {
        this.nodeId = nodeId;
    }

    /** Advances the clock to {@code t}, returning the timers that came due, in order. */
    public List<Timer> advanceTo(long t) {
        List<Timer> due = new ArrayList<>();
        while (!timers.isEmpty() && timers.firstKey() / 1_000_000 <= t) {
            due.addAll(timers.pollFirstEntry().getValue());
        }
        now = t;
        return due;
    }

    @SuppressWarnings("unchecked")
    public <T extends Message> List<T> sent(Class<T> type) {
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
        outbox.add(new Sent(to, message));
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

    /** Current content only; enough for unit tests of one node (power loss is tested in harness). */
    public static final class MemoryDisk implements Disk {
        final TreeMap<String, List<Object>> files = new TreeMap<>();

        @Override
        public List<String> files() {
            return new ArrayList<>(files.keySet());
        }

        @Override
        public boolean exists(String file) {
            return files.containsKey(file);
        }

        @Override
        public int size(String file) {
            return files.getOrDefault(file, List.of()).size();
        }

        @Override
        public Object read(String file, int index) {
            return files.get(file).get(index);
        }

        @Override
        public List<Object> readAll(String file) {
            return Collections.unmodifiableList(new ArrayList<>(files.getOrDefault(file, List.of())));
        }

        @Override
        public void append(String file, Object entry, int sizeBytes) {
            files.computeIfAbsent(file, k -> new ArrayList<>()).add(entry);
        }

        @Override
        public void replace(String file, Object entry, int sizeBytes) {
            List<Object> l = new ArrayList<>();
            l.add(entry);
            files.put(file, l);
        }

        @Override
        public void truncate(String file, int entries) {
            List<Object> l = files.get(file);
            while (l.size() > entries) {
                l.remove(l.size() - 1);
            }
        }

        @Override
        public void delete(String file) {
            files.remove(file);
        }

        @Override
        public void fsync(String file) {}
    }
}
