package dev.samsa.harness.sim;

import dev.samsa.impl.node.Context;
import dev.samsa.impl.node.Disk;
import dev.samsa.impl.node.Message;
import dev.samsa.impl.node.Node;
import dev.samsa.impl.node.RandomStream;
import dev.samsa.impl.node.Timer;
import dev.samsa.impl.node.TimerHandle;
import dev.samsa.spec.bugs.Bug;
import dev.samsa.spec.config.Settings;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The deterministic simulation kernel: one simulated clock, one event heap, a TCP-like
 * network, a disk per node, and the nodes themselves. Single-threaded; given the same seed,
 * settings, bugs and the same sequence of calls it produces the same events, in the same
 * order, with the same {@link #traceHash()}, on any JVM.
 */
public final class Simulation {

    /** A node's process state. */
    public enum NodeState {
        UP,
        DOWN,
        PAUSED
    }

    private static final long TRACE_HASH_SEED = 0x5A45A5A1L;
    /**
     * How long a send across a partition takes to fail (a TCP connection attempt timing out);
     * shorter than Kafka's socket.connection.setup.timeout.ms (10 s) to fit 60-second seeds.
     */
    static final long CONNECT_TIMEOUT_NANOS = 1_000_000_000L;

    private final long seed;
    private final Settings settings;
    private final EnumSet<Bug> bugs;
    private final TraceSink traceSink;
    private final boolean tracing;
    private final long wallClockEpochMs;

    private final EventQueue queue = new EventQueue();
    private final Network network;
    private final LateMessages late = new LateMessages();
    private final ArrayList<Slot> slots = new ArrayList<>();
    private final TreeMap<Integer, Integer> indexById = new TreeMap<>();
    private final ArrayList<Runnable> eventChecks = new ArrayList<>();
    private final TreeMap<String, long[]> reachedPaths = new TreeMap<>();
    private final TreeMap<String, long[]> counters = new TreeMap<>();
    private final ArrayList<Violation> violations = new ArrayList<>();

    private long nowNanos;
    private long nextSeq;
    private long hash = TRACE_HASH_SEED;
    private long eventsFired;
    private long messagesDelivered;
    private long messagesDroppedInFlight;
    private boolean stopped;

    public Simulation(long seed, Settings settings, Set<Bug> bugs, TraceSink traceSink, boolean tracing) {
        this.seed = seed;
        this.settings = settings;
        this.bugs = bugs.isEmpty() ? EnumSet.noneOf(Bug.class) : EnumSet.copyOf(bugs);
        this.traceSink = traceSink;
        this.tracing = tracing;
        // Record timestamps look like wall-clock time: a seed-derived instant in 2023-2026.
        this.wallClockEpochMs = 1_672_531_200_000L + Math.floorMod(RandomStream.mix64(seed), 94_608_000_000L);
        this.network = new Network(
                stream("network"),
                settings.getLong("sim.network.latency.min.us") * 1_000L,
                settings.getLong("sim.network.latency.max.us") * 1_000L);
    }

    // ------------------------------------------------------------------ setup

    /** The seeded stream called {@code name}; independent of every other stream. */
    public RandomStream stream(String name) {
        return RandomStream.named(seed, name);
    }

    public long seed() {
        return seed;
    }

    public Settings settings() {
        return settings;
    }

    public boolean bug(Bug bug) {
        return bugs.contains(bug);
    }

    /**
     * Adds a node; it starts at the current time. {@code factory} builds a fresh node object
     * for each incarnation (at start and at every restart).
     */
    public void addNode(int id, String name, Role role, Function<Context, Node> factory) {
        if (indexById.containsKey(id)) {
            throw new IllegalArgumentException("node " + id + " added twice");
        }
        int index = slots.size();
        Slot slot = new Slot(index, id, name, role, factory);
        slots.add(slot);
        indexById.put(id, index);
        network.ensureNodes(slots.size());
        startIncarnation(slot);
    }

    /** Runs {@code check} after every event; it reports through {@link #violation}. */
    public void addEventCheck(Runnable check) {
        eventChecks.add(check);
    }

    // ------------------------------------------------------------------ running

    /** Runs events up to and including {@code endNanos}; the clock then reads {@code endNanos}. */
    public void runUntil(long endNanos) {
        while (!stopped) {
            Event e = queue.peek();
            if (e == null || e.timeNanos > endNanos) {
                break;
            }
            queue.pop();
            nowNanos = e.timeNanos;
            eventsFired++;
            hash = RandomStream.mix64(hash ^ e.timeNanos ^ ((long) e.kindCode() << 48) ^ ((long) e.target() << 32) ^ e.hashBits());
            e.fire(this);
            for (int i = 0; i < eventChecks.size(); i++) {
                eventChecks.get(i).run();
            }
        }
        if (!stopped && nowNanos < endNanos) {
            nowNanos = endNanos;
        }
    }

    /** Schedules a harness action (workload step, fault, phase change) after {@code delayNanos}. */
    public void schedule(long delayNanos, Runnable action) {
        push(new ActionEvent(action), nowNanos + Math.max(0, delayNanos));
    }

    /** Records a violation; a non-expected one stops the run after the current event. */
    public void violation(Violation v) {
        violations.add(v);
        if (tracing) {
            traceSink.line(formatTime(nowNanos) + " VIOLATION " + v.invariant().id() + (v.expected() ? " (expected)" : "") + ": " + v.evidence());
        }
        if (!v.expected()) {
            stopped = true;
        }
    }

    public boolean stopped() {
        return stopped;
    }

    public List<Violation> violations() {
        return Collections.unmodifiableList(violations);
    }

    public long nowNanos() {
        return nowNanos;
    }

    public long traceHash() {
        return hash;
    }

    public long eventsFired() {
        return eventsFired;
    }

    // ------------------------------------------------------------------ nodes

    public List<Integer> nodeIds(Role role) {
        List<Integer> ids = new ArrayList<>();
        for (Slot s : slots) {
            if (s.role == role) {
                ids.add(s.id);
            }
        }
        return ids;
    }

    public List<Integer> allNodeIds() {
        List<Integer> ids = new ArrayList<>();
        for (Slot s : slots) {
            ids.add(s.id);
        }
        return ids;
    }

    public Role role(int id) {
        return slot(id).role;
    }

    public String name(int id) {
        return slot(id).name;
    }

    public NodeState state(int id) {
        return slot(id).state;
    }

    /** How many times the node has (re)started; the first start is incarnation 1. */
    public int incarnation(int id) {
        return slot(id).incarnation;
    }

    /** When the node last started or resumed: a timing invariant gives a node that long to react. */
    public long upSinceNanos(int id) {
        return slot(id).upSinceNanos;
    }

    /** How many times the node's disk was wiped (replaced by an empty one). */
    public int wipes(int id) {
        return slot(id).wipes;
    }

    /** How many times the node crashed in a way that may lose unsynced writes (power loss, torn write, wipe). */
    public int lossyCrashes(int id) {
        return slot(id).lossyCrashes;
    }

    /** The live node object, empty when the process is down. A paused node is still returned. */
    public Optional<Node> node(int id) {
        return Optional.ofNullable(slot(id).node);
    }

    public SimDisk disk(int id) {
        return slot(id).disk;
    }

    int indexOf(int id) {
        Integer index = indexById.get(id);
        if (index == null) {
            throw new IllegalArgumentException("unknown node " + id);
        }
        return index;
    }

    private Slot slot(int id) {
        return slots.get(indexOf(id));
    }

    // ------------------------------------------------------------------ faults

    /** Brings the process down; its disk keeps what {@code kind} says. */
    public void crash(int id, CrashKind kind) {
        Slot s = slot(id);
        if (s.state == NodeState.DOWN) {
            throw new IllegalStateException(s.name + " is already down");
        }
        s.state = NodeState.DOWN;
        s.node = null;
        s.deferred.clear();
        int lost = 0;
        switch (kind) {
            case KILL -> {}
            case POWER_LOSS -> lost = s.disk.powerLoss(stream("disk:" + id + ":" + s.incarnation), 0.0);
            case POWER_LOSS_TORN -> lost = s.disk.powerLoss(stream("disk:" + id + ":" + s.incarnation), 1.0);
            case WIPE -> {
                s.disk = new SimDisk();
                s.wipes++;
            }
        }
        if (kind != CrashKind.KILL) {
            s.lossyCrashes++;
        }
        trace(s, "CRASH " + kind.label() + (lost > 0 ? " (" + lost + " unsynced entries lost)" : ""));
        for (Slot peer : slots) {
            if (peer != s) {
                // Everything in flight both ways dies with the connection. (Letting what the dead
                // process already sent arrive would be closer to TCP, but the peer's answers would
                // then reach the next incarnation on the same channel, which a real reconnect
                // never allows.)
                breakConnection(s, peer);
            }
        }
    }

    /** Starts a new incarnation of a node that is down. */
    public void restart(int id) {
        Slot s = slot(id);
        if (s.state != NodeState.DOWN) {
            throw new IllegalStateException(s.name + " is not down");
        }
        trace(s, "RESTART");
        startIncarnation(s);
    }

    /** Freezes the process: it handles nothing until resumed, and its peers are not told. */
    public void pause(int id) {
        Slot s = slot(id);
        if (s.state != NodeState.UP) {
            throw new IllegalStateException(s.name + " is not up");
        }
        s.state = NodeState.PAUSED;
        trace(s, "PAUSE");
    }

    /** Wakes a paused process: what arrived meanwhile is handled now, in arrival order. */
    public void resume(int id) {
        Slot s = slot(id);
        if (s.state != NodeState.PAUSED) {
            throw new IllegalStateException(s.name + " is not paused");
        }
        s.state = NodeState.UP;
        s.upSinceNanos = nowNanos;
        trace(s, "RESUME (" + s.deferred.size() + " events waited)");
        for (Event e : s.deferred) {
            push(e, nowNanos);
        }
        s.deferred.clear();
    }

    /** Cuts traffic from every node in {@code from} to every node in {@code to} (and back unless {@code oneWay}). */
    public void partition(List<Integer> from, List<Integer> to, boolean oneWay) {
        for (int a : from) {
            for (int b : to) {
                if (a == b) {
                    continue;
                }
                int ia = indexOf(a);
                int ib = indexOf(b);
                network.block(ia, ib);
                if (!oneWay) {
                    network.block(ib, ia);
                }
                breakConnection(slots.get(ia), slots.get(ib));
            }
        }
    }

    /** Removes every partition. */
    public void healPartitions() {
        for (int i = 0; i < slots.size(); i++) {
            for (int j = 0; j < slots.size(); j++) {
                network.unblock(i, j);
            }
        }
    }

    public boolean isBlocked(int from, int to) {
        return network.isBlocked(indexOf(from), indexOf(to));
    }

    /** Multiplies the latency from {@code a} to {@code b} by {@code factor} for {@code durationNanos}. */
    public void clog(int a, int b, double factor, long durationNanos) {
        network.clog(indexOf(a), indexOf(b), factor, nowNanos + durationNanos);
    }

    public void unclogAll() {
        network.unclogAll();
    }

    /**
     * Arms a late-request fault ({@link LateMessages}): messages {@code from} sends within the next
     * {@code armedForNanos}, that {@code which} picks (destination id, message), at most
     * {@code count} of them, arrive at {@code max(usual arrival + delayNanos, releaseAtNanos)}
     * instead, in their send order, outside their channel's FIFO, and even if the connection broke
     * meanwhile; then the receiver handles the request, and if its connection broke meanwhile, the
     * answer (same correlation id) it sends while handling it is lost; an answer it sends later
     * (after replication, a verification round trip) travels on the current connection and
     * carries a correlation id the sender no longer waits for. A picked message is lost if its
     * receiver crashed since, or its sender restarted (a new incarnation starts its correlation
     * ids again and must not get its predecessor's answers). Counted as {@code net.late.<label>}.
     */
    public void deliverLate(int from, java.util.function.BiPredicate<Integer, Message> which, long armedForNanos, int count, long delayNanos,
            long releaseAtNanos, String label) {
        indexOf(from);
        late.arm(new LateMessages.Rule(from, which, nowNanos + armedForNanos, count, delayNanos, releaseAtNanos, label));
    }

    private void breakConnection(Slot a, Slot b) {
        network.breakConnection(a.index, b.index);
        notifyDisconnect(a, b);
        notifyDisconnect(b, a);
    }

    private void notifyDisconnect(Slot who, Slot peer) {
        if (who.state != NodeState.DOWN) {
            push(new DisconnectEvent(who.index, who.incarnation, peer.id), nowNanos);
        }
    }

    // ------------------------------------------------------------------ counters

    /** Counts a named occurrence (a fault fired, a workload outcome). */
    public void count(String name) {
        counters.computeIfAbsent(name, k -> new long[1])[0]++;
    }

    public NavigableMap<String, Long> counters() {
        TreeMap<String, Long> m = new TreeMap<>();
        counters.forEach((k, v) -> m.put(k, v[0]));
        m.put("sim.events", eventsFired);
        m.put("net.messages.sent", network.messagesSent);
        m.put("net.messages.delivered", messagesDelivered);
        m.put("net.messages.dropped", network.messagesDroppedAtSend + messagesDroppedInFlight);
        return m;
    }

    /** Rare protocol paths the nodes reported reaching, with counts. */
    public NavigableMap<String, Long> reachedPaths() {
        TreeMap<String, Long> m = new TreeMap<>();
        reachedPaths.forEach((k, v) -> m.put(k, v[0]));
        return m;
    }

    // ------------------------------------------------------------------ tracing

    public boolean tracing() {
        return tracing;
    }

    /** A harness-level trace line (faults, phases, workload). */
    public void trace(String line) {
        if (tracing) {
            traceSink.line(formatTime(nowNanos) + " " + line);
        }
    }

    private void trace(Slot s, String line) {
        if (tracing) {
            traceSink.line(formatTime(nowNanos) + " " + s.name + " " + line);
        }
    }

    /** {@code 12.345678s}: seconds with microseconds, fixed width for alignment. */
    public static String formatTime(long nanos) {
        long micros = nanos / 1_000;
        return String.format("%4d.%06ds", micros / 1_000_000, micros % 1_000_000);
    }

    // ------------------------------------------------------------------ internals

    private void push(Event e, long atNanos) {
        e.timeNanos = atNanos;
        e.seq = nextSeq++;
        queue.push(e);
    }

    private void startIncarnation(Slot s) {
        s.incarnation++;
        s.state = NodeState.UP;
        s.upSinceNanos = nowNanos;
        NodeContext ctx = new NodeContext(s, s.incarnation);
        s.context = ctx;
        s.node = s.factory.apply(ctx);
        if (s.node == null) {
            throw new IllegalStateException("factory of " + s.name + " returned null");
        }
        push(new StartEvent(s.index, s.incarnation), nowNanos);
    }

    /** The slot holding node index {@code i} if it is up in incarnation {@code incarnation}, else null. */
    private Slot live(int index, int incarnation) {
        Slot s = slots.get(index);
        return s.incarnation == incarnation && s.state != NodeState.DOWN ? s : null;
    }

    private static final class Slot {
        final int index;
        final int id;
        final String name;
        final Role role;
        final Function<Context, Node> factory;
        final ArrayList<Event> deferred = new ArrayList<>();
        SimDisk disk = new SimDisk();
        NodeState state = NodeState.DOWN;
        int incarnation;
        int wipes;
        int lossyCrashes;
        long upSinceNanos;
        Node node;
        NodeContext context;

        Slot(int index, int id, String name, Role role, Function<Context, Node> factory) {
            this.index = index;
            this.id = id;
            this.name = name;
            this.role = role;
            this.factory = factory;
        }
    }

    /** The context of one incarnation of one node. */
    private final class NodeContext implements Context {
        private final Slot slot;
        private final int incarnation;
        private final RandomStream random;
        private final long fsyncNanos;
        /** Time this handler has spent in fsync during the current event: sends leave after it. */
        long localDelayNanos;
        /** While handling a late request whose connection is gone: that peer's id and the request's correlation id (its answer is lost), else -1. */
        int orphanPeer = -1;
        long orphanCorrelationId = -1;
        private final Disk disk = new TimedDisk();

        NodeContext(Slot slot, int incarnation) {
            this.slot = slot;
            this.incarnation = incarnation;
            this.random = stream("node:" + slot.id + ":" + incarnation);
            this.fsyncNanos = settings.getLong("sim.disk.fsync.latency.us") * 1_000L;
        }

        private boolean current() {
            return slot.incarnation == incarnation && slot.state != NodeState.DOWN;
        }

        @Override
        public int nodeId() {
            return slot.id;
        }

        @Override
        public long nowNanos() {
            return Simulation.this.nowNanos + localDelayNanos;
        }

        @Override
        public long wallClockMs() {
            return wallClockEpochMs + nowNanos() / 1_000_000L;
        }

        @Override
        public void send(int to, Message message) {
            if (!current()) {
                return; // a dead incarnation cannot act
            }
            int toIndex = indexOf(to);
            long at = network.deliveryTime(slot.index, toIndex, nowNanos());
            if (at < 0) {
                if (tracing) {
                    Simulation.this.trace(slot, "-> " + slots.get(toIndex).name + " DROPPED (partition) " + message);
                }
                // Traffic dropped by a partition kills the connection: after a timeout both ends
                // see it close (with a one-way partition the receiver would otherwise wait forever
                // for an answer that was dropped).
                // Each end's notice remembers the other end's incarnation: if that end restarts
                // before the timeout, see DisconnectEvent.handle.
                Slot peer = slots.get(toIndex);
                push(new DisconnectEvent(slot.index, incarnation, to, peer.incarnation), nowNanos() + CONNECT_TIMEOUT_NANOS);
                if (peer.state != NodeState.DOWN) {
                    push(new DisconnectEvent(toIndex, peer.incarnation, slot.id, incarnation), nowNanos() + CONNECT_TIMEOUT_NANOS);
                }
                return;
            }
            if (!late.isEmpty()) {
                StringBuilder label = new StringBuilder();
                long lateAt = late.pick(slot.id, to, message, nowNanos(), at, label);
                if (lateAt >= 0) {
                    count("net.late." + label);
                    if (tracing) {
                        Simulation.this.trace(slot, "-> " + slots.get(toIndex).name + " LATE (" + label + ", arrives at " + formatTime(lateAt) + ") " + message);
                    }
                    Slot peer = slots.get(toIndex);
                    push(new LateDeliverEvent(slot.index, incarnation, toIndex, peer.incarnation, network.generation(slot.index, toIndex), message), lateAt);
                    return;
                }
            }
            if (orphanPeer == to && orphanCorrelationId >= 0 && correlationIdOf(message) == orphanCorrelationId) {
                count("net.late.answer-lost");
                if (tracing) {
                    Simulation.this.trace(slot, "-> " + slots.get(toIndex).name + " DROPPED (answer to a request whose connection closed) " + message);
                }
                return;
            }
            push(new DeliverEvent(slot.index, toIndex, network.generation(slot.index, toIndex), message), at);
        }

        @Override
        public TimerHandle setTimer(long delayNanos, Timer timer) {
            if (delayNanos < 0) {
                throw new IllegalArgumentException("negative timer delay " + delayNanos + " for " + timer);
            }
            TimerEvent e = new TimerEvent(slot.index, incarnation, timer);
            if (current()) {
                push(e, nowNanos() + delayNanos);
            } else {
                e.cancel();
            }
            return e;
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
            return tracing;
        }

        @Override
        public void trace(String line) {
            if (tracing) {
                traceSink.line(formatTime(nowNanos()) + " " + slot.name + " " + line);
            }
        }

        @Override
        public void reached(String path) {
            reachedPaths.computeIfAbsent(path, k -> new long[1])[0]++;
        }

        /** The node's disk, charging each fsync's latency to the current handler. */
        private final class TimedDisk implements Disk {
            @Override
            public List<String> files() {
                return slot.disk.files();
            }

            @Override
            public boolean exists(String file) {
                return slot.disk.exists(file);
            }

            @Override
            public int size(String file) {
                return slot.disk.size(file);
            }

            @Override
            public Object read(String file, int index) {
                return slot.disk.read(file, index);
            }

            @Override
            public List<Object> readAll(String file) {
                return slot.disk.readAll(file);
            }

            @Override
            public void append(String file, Object entry, int sizeBytes) {
                slot.disk.append(file, entry, sizeBytes);
            }

            @Override
            public void replace(String file, Object entry, int sizeBytes) {
                slot.disk.replace(file, entry, sizeBytes);
            }

            @Override
            public void truncate(String file, int entries) {
                slot.disk.truncate(file, entries);
            }

            @Override
            public void delete(String file) {
                slot.disk.delete(file);
            }

            @Override
            public void fsync(String file) {
                if (slot.disk.unsyncedEntries(file) > 0) {
                    localDelayNanos += fsyncNanos;
                }
                slot.disk.fsync(file);
            }
        }
    }

    // ------------------------------------------------------------------ events

    private void dispatch(Slot s, Runnable handler) {
        s.context.localDelayNanos = 0;
        handler.run();
    }

    private final class DeliverEvent extends Event {
        final int from;
        final int to;
        final int generation;
        final Message message;

        DeliverEvent(int from, int to, int generation, Message message) {
            this.from = from;
            this.to = to;
            this.generation = generation;
            this.message = message;
        }

        @Override
        void fire(Simulation sim) {
            Slot s = slots.get(to);
            if (network.generation(from, to) != generation) {
                messagesDroppedInFlight++;
                return;
            }
            if (s.state == NodeState.DOWN) {
                // sent to a process that is down: like a refused connection, the sender learns of it
                messagesDroppedInFlight++;
                Slot sender = slots.get(from);
                network.breakConnection(from, to);
                notifyDisconnect(sender, s);
                return;
            }
            if (s.state == NodeState.PAUSED) {
                s.deferred.add(this);
                return;
            }
            messagesDelivered++;
            if (tracing) {
                traceSink.line(formatTime(nowNanos) + " " + slots.get(from).name + " -> " + s.name + " " + message);
            }
            int fromId = slots.get(from).id;
            dispatch(s, () -> s.node.onMessage(fromId, message));
        }

        @Override
        int target() {
            return to;
        }

        @Override
        int kindCode() {
            return 1;
        }

        @Override
        long hashBits() {
            return ((long) from << 16) ^ CLASS_HASH.get(message.getClass());
        }
    }

    /** A message a late-request fault picked ({@link #deliverLate}). */
    private final class LateDeliverEvent extends Event {
        final int from;
        final int fromIncarnation;
        final int to;
        final int toIncarnation;
        final int generation;
        final Message message;

        LateDeliverEvent(int from, int fromIncarnation, int to, int toIncarnation, int generation, Message message) {
            this.from = from;
            this.fromIncarnation = fromIncarnation;
            this.to = to;
            this.toIncarnation = toIncarnation;
            this.generation = generation;
            this.message = message;
        }

        @Override
        void fire(Simulation sim) {
            Slot s = slots.get(to);
            Slot sender = slots.get(from);
            if (s.incarnation != toIncarnation || s.state == NodeState.DOWN || sender.incarnation != fromIncarnation) {
                // the server that had the bytes crashed, or the client restarted (its old requests die with it, as in crash())
                messagesDroppedInFlight++;
                count("net.late.lost");
                return;
            }
            if (s.state == NodeState.PAUSED) {
                s.deferred.add(this);
                return;
            }
            messagesDelivered++;
            boolean orphan = network.generation(from, to) != generation;
            count(orphan ? "net.late.delivered-after-disconnect" : "net.late.delivered");
            if (tracing) {
                traceSink.line(formatTime(nowNanos) + " " + sender.name + " -> " + s.name + " LATE" + (orphan ? " (connection closed since)" : "") + " " + message);
            }
            int fromId = sender.id;
            dispatch(s, () -> {
                s.context.orphanPeer = orphan ? fromId : -1;
                s.context.orphanCorrelationId = orphan ? correlationIdOf(message) : -1;
                try {
                    s.node.onMessage(fromId, message);
                } finally {
                    s.context.orphanPeer = -1;
                    s.context.orphanCorrelationId = -1;
                }
            });
        }

        @Override
        int target() {
            return to;
        }

        @Override
        int kindCode() {
            return 8;
        }

        @Override
        long hashBits() {
            return ((long) from << 16) ^ CLASS_HASH.get(message.getClass());
        }
    }

    /**
     * An event for one incarnation of one node: dropped if that incarnation is gone, held back
     * while the node is paused, handled otherwise.
     */
    private abstract class NodeEvent extends Event {
        final int index;
        final int incarnation;

        NodeEvent(int index, int incarnation) {
            this.index = index;
            this.incarnation = incarnation;
        }

        /** True when the event lapsed on its own (a cancelled timer). */
        boolean lapsed() {
            return false;
        }

        abstract void handle(Slot s);

        @Override
        final void fire(Simulation sim) {
            if (lapsed()) {
                return;
            }
            Slot s = live(index, incarnation);
            if (s == null) {
                return;
            }
            if (s.state == NodeState.PAUSED) {
                s.deferred.add(this);
                return;
            }
            handle(s);
        }

        @Override
        int target() {
            return index;
        }
    }

    private final class TimerEvent extends NodeEvent implements TimerHandle {
        final Timer timer;
        boolean cancelled;

        TimerEvent(int index, int incarnation, Timer timer) {
            super(index, incarnation);
            this.timer = timer;
        }

        @Override
        boolean lapsed() {
            return cancelled;
        }

        @Override
        void handle(Slot s) {
            cancelled = true; // fired timers count as spent
            dispatch(s, () -> s.node.onTimer(timer));
        }

        @Override
        public void cancel() {
            cancelled = true;
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }

        @Override
        int kindCode() {
            return cancelled ? 7 : 2;
        }

        @Override
        long hashBits() {
            return CLASS_HASH.get(timer.getClass());
        }
    }

    private final class DisconnectEvent extends NodeEvent {
        final int peerId;
        /** The peer's incarnation when the connection timed out, or -1 for a notice sent as it broke. */
        final int peerIncarnation;

        DisconnectEvent(int index, int incarnation, int peerId) {
            this(index, incarnation, peerId, -1);
        }

        DisconnectEvent(int index, int incarnation, int peerId, int peerIncarnation) {
            super(index, incarnation);
            this.peerId = peerId;
            this.peerIncarnation = peerIncarnation;
        }

        @Override
        void handle(Slot s) {
            Slot peer = slot(peerId);
            if (peerIncarnation >= 0 && peer.incarnation != peerIncarnation && peer.state != NodeState.DOWN) {
                // The peer restarted between the dropped send and this timeout: its notice (if it
                // had one) died with the old incarnation, but the new one talks to this node over
                // the same modelled connection (one per pair of nodes, both directions). Telling
                // only this end would let it drop what it owes the peer (a parked follower fetch,
                // a marker write) while the peer waits for the answer until its request timeout.
                // Close the connection for real instead: in-flight traffic is dropped and both
                // ends are told, as for any other break.
                breakConnection(s, peer);
                return;
            }
            if (tracing) {
                traceSink.line(formatTime(nowNanos) + " " + s.name + " disconnected from " + name(peerId));
            }
            dispatch(s, () -> s.node.onDisconnect(peerId));
        }

        @Override
        int kindCode() {
            return 3;
        }

        @Override
        long hashBits() {
            return peerId;
        }
    }

    private final class StartEvent extends NodeEvent {
        StartEvent(int index, int incarnation) {
            super(index, incarnation);
        }

        @Override
        void handle(Slot s) {
            dispatch(s, s.node::onStart);
        }

        @Override
        int kindCode() {
            return 4;
        }

        @Override
        long hashBits() {
            return incarnation;
        }
    }

    private static final class ActionEvent extends Event {
        final Runnable action;

        ActionEvent(Runnable action) {
            this.action = action;
        }

        @Override
        void fire(Simulation sim) {
            action.run();
        }

        @Override
        int kindCode() {
            return 5;
        }

        @Override
        long hashBits() {
            return 0;
        }
    }

    /** The correlation id of a Kafka request or answer, -1 for other messages (Raft, controller, harness). */
    private static long correlationIdOf(Message m) {
        if (m instanceof dev.samsa.impl.protocol.ApiMessage a) {
            return a.correlationId();
        }
        if (m instanceof dev.samsa.impl.protocol.TxnMessage t) {
            return t.correlationId();
        }
        if (m instanceof dev.samsa.impl.protocol.GroupMessage g) {
            return g.correlationId();
        }
        return -1;
    }

    /** A stable hash of a class's name (String hashing is specified; identity hashes are not). */
    private static final ClassValue<Long> CLASS_HASH = new ClassValue<>() {
        @Override
        protected Long computeValue(Class<?> type) {
            return RandomStream.fnv1a64(type.getName());
        }
    };
}
