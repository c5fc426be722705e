package dev.samsa.harness.workload.groups;

import dev.samsa.harness.check.groups.GroupHistory;
import dev.samsa.harness.check.groups.GroupOp;
import dev.samsa.harness.check.groups.GroupOp.Outcome;
import dev.samsa.harness.check.groups.GroupOp.Type;
import dev.samsa.harness.check.groups.GroupPromise;
import dev.samsa.impl.client.ConsumerGroupMetadata;
import dev.samsa.impl.client.ConsumerGroupObserver;
import dev.samsa.impl.client.ConsumerRebalanceListener;
import dev.samsa.impl.client.ConsumerRecord;
import dev.samsa.impl.client.KafkaConsumer;
import dev.samsa.impl.client.OffsetAndMetadata;
import dev.samsa.impl.client.PositionReset;
import dev.samsa.impl.node.Context;
import dev.samsa.impl.node.Message;
import dev.samsa.impl.node.Node;
import dev.samsa.impl.node.Timer;
import dev.samsa.impl.protocol.ApiMessage;
import dev.samsa.impl.protocol.Errors;
import dev.samsa.impl.protocol.GroupMessage;
import dev.samsa.impl.protocol.TopicPartition;
import dev.samsa.spec.config.Settings;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A member of a consumer group: subscribes to the topic, polls, processes (records what it got
 * in the history), and commits as its group's processing mode says — automatically
 * ({@code auto-commit}), or with commitSync after each processed poll and on revocation
 * ({@code commit-after}), sending poison records to the dead-letter topic first
 * ({@code dead-letter}). Every rebalance and commit it goes through is recorded with its
 * generation and member id; it reads the committed offsets ({@code committed()}) now and then.
 * Client faults (leave, stall) are asked of it by the workload; a crash discards it.
 */
final class GroupMember implements Node {

    private record Think(long seq) implements Timer {}

    private record ReadCommitted(long seq) implements Timer {}

    private record Rejoin(long seq) implements Timer {}

    private record StallOver(long seq) implements Timer {}

    private record HoldOver(long seq) implements Timer {}

    static final long POLL_TIMEOUT_MS = 100;
    /** How long between two committed() reads, at most. */
    static final long READ_EVERY_MAX_NANOS = 3_000_000_000L;

    private final Context ctx;
    private final int process;
    private final String group;
    private final String instanceId;
    private final String topic;
    private final int partitions;
    private final GroupPromise promise;
    private final GroupHistory history;
    private final KafkaConsumer consumer;
    private final DeadLetterSender deadLetters;
    /** Commits sent and not completed, oldest first: (offsets, onRevocation, invoke time, generation, member id). */
    private final List<PendingCommit> pendingCommits = new ArrayList<>();
    private long seq;
    private long holdSeq;
    private boolean polling;
    private boolean busy; // processing: dead-letter sends or the commit after them
    private boolean stalled;
    private boolean left;
    /** The offsets of revocation commits this member asked for and the consumer has not reported sent yet. */
    private final List<TreeMap<TopicPartition, OffsetAndMetadata>> revocationCommits = new ArrayList<>();
    private boolean fatal;
    /** The join-lost fault: until this time, the next JoinGroup answer to a follower is held back {@link #holdNanos}. */
    private long holdArmedUntilNanos = -1;
    private long holdNanos;
    private Runnable onHold = () -> {};
    /** While the coordinator's link to this member is slow: the peer, and what it sent meanwhile, in order. */
    private int heldFrom = -1;
    private final List<Message> held = new ArrayList<>();

    private record PendingCommit(Map<TopicPartition, OffsetAndMetadata> offsets, boolean onRevocation, long invokeNs, ConsumerGroupMetadata meta) {}

    GroupMember(Context ctx, int process, String group, String instanceId, List<Integer> brokers, String topic, int partitions, GroupPromise promise,
            GroupHistory history, int deadLetterService) {
        this.ctx = ctx;
        this.process = process;
        this.group = group;
        this.instanceId = instanceId;
        this.topic = topic;
        this.partitions = partitions;
        this.promise = promise;
        this.history = history;
        Settings s = ctx.settings().with("group.id", group).with("group.instance.id", instanceId)
                .with("enable.auto.commit", Boolean.toString(promise.processing().equals(GroupPromise.AUTO_COMMIT)))
                .with("auto.offset.reset", "earliest");
        this.consumer = new KafkaConsumer(ctx, brokers, s);
        this.deadLetters = promise.processing().equals(GroupPromise.DEAD_LETTER) ? new DeadLetterSender(ctx, deadLetterService, group) : null;
    }

    @Override
    public void onStart() {
        consumer.setGroupObserver(new Observer());
        consumer.subscribe(List.of(topic), new Listener());
        think();
        ctx.setTimer(ctx.random().nextLong(READ_EVERY_MAX_NANOS / 3, READ_EVERY_MAX_NANOS), new ReadCommitted(seq));
    }

    // ------------------------------------------------------------------ the poll loop

    private void think() {
        ctx.setTimer(ctx.random().nextLong(1_000_000L, 20_000_000L), new Think(++seq));
    }

    private void poll() {
        polling = true;
        consumer.poll(POLL_TIMEOUT_MS, this::onPolled);
    }

    private void onPolled(List<ConsumerRecord> records, List<PositionReset> resets) {
        polling = false;
        long now = ctx.nowNanos();
        ConsumerGroupMetadata m = consumer.groupMetadata();
        for (PositionReset r : resets) {
            if (r.tp().topic().equals(topic) && r.toOffset() >= 0) {
                history.add(process, group, Type.RESET, now, now, Outcome.OK, m.generationId(), m.memberId(), instanceId, List.of(),
                        List.of(new GroupOp.Offset(r.tp().partition(), r.toOffset())), List.of(), false, r.reason());
            }
        }
        if (consumer.fatalError().isPresent() && !fatal) {
            fatal = true;
            history.event(process, group, Type.LOST, now, m.generationId(), m.memberId(), instanceId, List.of(), "fatal: " + consumer.fatalError().get());
            history.event(process, group, Type.LEAVE, now, m.generationId(), m.memberId(), instanceId, List.of(), "fatal: " + consumer.fatalError().get());
            return; // out of the group for good: Kafka's poll() would throw
        }
        if (records.isEmpty()) {
            think();
            return;
        }
        List<GroupOp.Rec> recs = new ArrayList<>(records.size());
        List<ConsumerRecord> poison = new ArrayList<>();
        for (ConsumerRecord r : records) {
            long v = Long.parseLong(r.value());
            recs.add(new GroupOp.Rec(r.tp().partition(), r.offset(), v, ""));
            if (deadLetters != null && promise.poison(v)) {
                poison.add(r);
            }
        }
        history.add(process, group, Type.PROCESS, now, now, Outcome.OK, m.generationId(), m.memberId(), instanceId, List.of(), List.of(), recs, false, "");
        if (promise.processing().equals(GroupPromise.AUTO_COMMIT)) {
            think();
            return;
        }
        busy = true;
        Runnable commit = () -> consumer.commitSync(null, (offsets, error) -> {
            busy = false;
            if (!stalled && !left) {
                think();
            }
        });
        if (poison.isEmpty()) {
            commit.run();
        } else {
            deadLetters.send(poison, commit); // process = hand the poison to the dead-letter topic, then commit
        }
    }

    // ------------------------------------------------------------------ client faults

    /** Leaves the group (unsubscribe), and subscribes again after {@code awayNanos}. */
    void leaveAndRejoin(long awayNanos) {
        if (left || fatal) {
            return;
        }
        left = true;
        ConsumerGroupMetadata m = consumer.groupMetadata();
        consumer.unsubscribe();
        history.event(process, group, Type.LEAVE, ctx.nowNanos(), m.generationId(), m.memberId(), instanceId, List.of(), "client fault: leave");
        ctx.setTimer(awayNanos, new Rejoin(++seq));
    }

    /**
     * The join-lost fault (KAFKA-14639's schedule): the next JoinGroup answer this member gets
     * within {@code armedNanos}, unless it makes it the leader, is held {@code holdNanos} on a slow
     * link from the coordinator, with everything the coordinator sends after it, then lost when
     * that connection breaks; the moment it is held, {@code onHold} runs. The member never learns
     * of that generation: it rejoins with its old generation and partitions while the others move on.
     */
    void delayNextJoinAnswer(long armedNanos, long holdNanos, Runnable onHold) {
        this.holdArmedUntilNanos = ctx.nowNanos() + armedNanos;
        this.holdNanos = holdNanos;
        this.onHold = onHold;
    }

    /** A member that left comes back in {@code delayNanos} rather than when it planned to. */
    void rejoinIn(long delayNanos) {
        if (left) {
            ctx.setTimer(delayNanos, new Rejoin(++seq));
        }
    }

    /**
     * The connection to the coordinator breaks with the held answer still in flight: what it
     * carried is lost, and the consumer is told of the disconnect (it keeps its generation and
     * partitions and rejoins).
     */
    private void releaseHeld() {
        int from = heldFrom;
        heldFrom = -1;
        int lost = held.size();
        held.clear();
        if (ctx.tracing()) {
            ctx.trace("join-lost: the connection to " + from + " breaks, " + lost + " messages in flight lost");
        }
        consumer.onDisconnect(from);
    }

    /** Stops polling for {@code stallNanos} (past max.poll.interval.ms the consumer leaves its group). */
    void stall(long stallNanos) {
        if (stalled || fatal) {
            return;
        }
        stalled = true;
        long now = ctx.nowNanos();
        ConsumerGroupMetadata m = consumer.groupMetadata();
        history.add(process, group, Type.STALL, now, now + stallNanos, Outcome.OK, m.generationId(), m.memberId(), instanceId, List.of(), List.of(),
                List.of(), false, "client fault: no poll() for " + stallNanos / 1_000_000 + " ms");
        ctx.setTimer(stallNanos, new StallOver(++seq));
    }

    /** The process is about to be paused while a replacement takes over its static instance id (a zombie, KAFKA-10284's schedule). */
    void paused(long pauseNanos) {
        long now = ctx.nowNanos();
        ConsumerGroupMetadata m = consumer.groupMetadata();
        history.add(process, group, Type.STALL, now, now + pauseNanos, Outcome.OK, m.generationId(), m.memberId(), instanceId, List.of(), List.of(),
                List.of(), false, "client fault: process paused while a new process takes over " + instanceId);
    }

    String group() {
        return group;
    }

    /** Whether it is in its group with partitions to claim in the next round (not left, stalled or out for good). */
    boolean ownsPartitions() {
        return !left && !stalled && !fatal && !consumer.assignment().isEmpty();
    }

    /** Out of its group for good (FENCED_INSTANCE_ID...). */
    boolean fatal() {
        return fatal;
    }

    /** The process is about to be killed: its commits in flight have unknown outcomes. */
    void abandon() {
        long now = ctx.nowNanos();
        for (PendingCommit p : pendingCommits) {
            recordCommit(p, Outcome.INFO, now, "the member crashed", GroupMessage.NO_GENERATION, "");
        }
        pendingCommits.clear();
        ConsumerGroupMetadata m = consumer.groupMetadata();
        history.event(process, group, Type.CRASH, now, m.generationId(), m.memberId(), instanceId, List.of(), "client fault: kill");
    }

    // ------------------------------------------------------------------ committed() reads

    private void readCommitted() {
        List<TopicPartition> tps = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            tps.add(new TopicPartition(topic, p));
        }
        long invoke = ctx.nowNanos();
        consumer.committed(tps, (offsets, error) -> {
            long now = ctx.nowNanos();
            List<GroupOp.Offset> read = new ArrayList<>();
            if (error == Errors.NONE) {
                for (TopicPartition tp : tps) {
                    OffsetAndMetadata o = offsets.get(tp);
                    read.add(new GroupOp.Offset(tp.partition(), o == null ? -1 : o.offset()));
                }
            }
            history.add(process, group, Type.FETCH, invoke, now, error == Errors.NONE ? Outcome.OK : Outcome.FAIL, -1, "", instanceId,
                    tps.stream().map(TopicPartition::partition).toList(), read, List.of(), false, error == Errors.NONE ? "" : error.name());
        });
    }

    /** A last read of the committed offsets (the final reads of the quiesce phase). */
    void finalRead() {
        if (!fatal) {
            readCommitted();
        }
    }

    // ------------------------------------------------------------------ the node

    @Override
    public void onMessage(int from, Message message) {
        if (from == heldFrom) {
            held.add(message); // the link is slow: what follows the held answer arrives after it
            return;
        }
        if (message instanceof GroupMessage.JoinGroupResponse j && holdArmedUntilNanos >= ctx.nowNanos() && j.error() == Errors.NONE
                && !j.memberId().equals(j.leader())) {
            holdArmedUntilNanos = -1;
            heldFrom = from;
            held.add(message);
            ctx.setTimer(holdNanos, new HoldOver(++holdSeq));
            onHold.run();
            if (ctx.tracing()) {
                ctx.trace("join-lost: JoinGroup answer of generation " + j.generationId() + " held " + holdNanos / 1_000_000 + " ms");
            }
            return;
        }
        deliver(from, message);
    }

    private void deliver(int from, Message message) {
        if (message instanceof GroupMessage g) {
            consumer.onMessage(from, g);
        } else if (message instanceof ApiMessage a) {
            consumer.onMessage(from, a);
        } else if (message instanceof DeadLetterMessage.Done d && deadLetters != null) {
            deadLetters.onMessage(d);
        }
    }

    @Override
    public void onTimer(Timer timer) {
        if (timer instanceof Think t) {
            if (t.seq() == seq && !polling && !busy && !stalled && !fatal) {
                poll();
            }
        } else if (timer instanceof ReadCommitted) {
            if (!stalled && !fatal) {
                readCommitted();
            }
            ctx.setTimer(ctx.random().nextLong(READ_EVERY_MAX_NANOS / 3, READ_EVERY_MAX_NANOS), new ReadCommitted(seq));
        } else if (timer instanceof Rejoin r) {
            if (left && !consumer.assignment().isEmpty()) {
                ctx.setTimer(500_000_000L, r); // the unsubscribe still waits for its revocation: subscribing now would be undone
            } else if (left) {
                left = false;
                consumer.subscribe(List.of(topic), new Listener());
                if (!polling && !busy && !stalled) {
                    think();
                }
            }
        } else if (timer instanceof HoldOver h) {
            if (h.seq() == holdSeq && heldFrom >= 0) {
                releaseHeld();
            }
        } else if (timer instanceof StallOver) {
            stalled = false;
            if (!polling && !busy) {
                think();
            }
        } else if (deadLetters == null || !deadLetters.onTimer(timer)) {
            consumer.onTimer(timer);
        }
    }

    @Override
    public void onDisconnect(int peer) {
        if (peer == heldFrom) {
            held.clear(); // what was in flight on the broken connection is lost with it
            heldFrom = -1;
        }
        consumer.onDisconnect(peer);
    }

    // ------------------------------------------------------------------ what the consumer tells

    /**
     * A commit is recorded under the generation and member id its last attempt carried (what the
     * coordinator accepted or refused), or the member's group metadata at the call if it was never
     * sent. The two differ for a cooperative member that commits after its SyncGroup but before
     * its poll completed the join: Kafka sends the new generation (generationIfStable).
     */
    private void recordCommit(PendingCommit p, Outcome outcome, long completeNs, String detail, int sentGeneration, String sentMember) {
        List<GroupOp.Offset> offsets = new ArrayList<>();
        new TreeMap<>(p.offsets()).forEach((tp, o) -> {
            if (tp.topic().equals(topic)) {
                offsets.add(new GroupOp.Offset(tp.partition(), o.offset()));
            }
        });
        boolean sent = sentGeneration != GroupMessage.NO_GENERATION;
        int generation = sent ? sentGeneration : p.meta().generationId();
        String member = sent ? sentMember : p.meta().memberId();
        String inst = p.meta().groupInstanceId() == null ? "" : p.meta().groupInstanceId();
        history.add(process, group, Type.COMMIT, p.invokeNs(), completeNs, outcome, generation, member, inst, List.of(),
                offsets, List.of(), p.onRevocation(), detail);
    }

    /**
     * The outcome of a commit that was sent. commitSync retries retriable errors, so a refusal
     * (UNKNOWN_MEMBER_ID...) may answer a retry of an attempt that was written: only success is
     * certain, every error leaves the outcome unknown.
     */
    static Outcome commitOutcome(Errors e) {
        return e == Errors.NONE ? Outcome.OK : Outcome.INFO;
    }

    private final class Observer implements ConsumerGroupObserver {
        @Override
        public void onJoinStarted(String reason) {
            ConsumerGroupMetadata m = consumer.groupMetadata();
            history.event(process, group, Type.JOIN_STARTED, ctx.nowNanos(), m.generationId(), m.memberId(), instanceId, List.of(), reason);
        }

        @Override
        public void onJoined(int generationId, String memberId, List<TopicPartition> assigned) {
            List<Integer> ps = assigned.stream().filter(tp -> tp.topic().equals(topic)).map(TopicPartition::partition).sorted().toList();
            history.event(process, group, Type.JOINED, ctx.nowNanos(), generationId, memberId, instanceId, ps, "");
        }

        @Override
        public void onCommitSent(Map<TopicPartition, OffsetAndMetadata> offsets, boolean onRevocation) {
            TreeMap<TopicPartition, OffsetAndMetadata> key = new TreeMap<>(offsets);
            boolean mine = revocationCommits.remove(key);
            pendingCommits.add(new PendingCommit(key, onRevocation || mine, ctx.nowNanos(), consumer.groupMetadata()));
        }

        @Override
        public void onCommitCompleted(Map<TopicPartition, OffsetAndMetadata> offsets, boolean onRevocation, Errors error, int generationId,
                String memberId) {
            TreeMap<TopicPartition, OffsetAndMetadata> key = new TreeMap<>(offsets);
            for (int i = 0; i < pendingCommits.size(); i++) {
                if (pendingCommits.get(i).offsets().equals(key)) {
                    PendingCommit p = pendingCommits.remove(i);
                    long now = ctx.nowNanos();
                    // refused before it was sent: definitely not written; else an earlier attempt may have been
                    Outcome o = error == Errors.NONE ? Outcome.OK : now == p.invokeNs() ? Outcome.FAIL : commitOutcome(error);
                    recordCommit(p, o, now, error == Errors.NONE ? "" : error.name(), generationId, memberId);
                    return;
                }
            }
        }

        @Override
        public void onFatal(Errors error) {
            ctx.trace("member of " + group + " fatal: " + error);
        }
    }

    private final class Listener implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> revoked, Runnable done) {
            List<Integer> ps = revoked.stream().filter(tp -> tp.topic().equals(topic)).map(TopicPartition::partition).sorted().toList();
            if (promise.processing().equals(GroupPromise.AUTO_COMMIT) || ps.isEmpty()) {
                revokedNow(ps, done);
                return;
            }
            TreeMap<TopicPartition, OffsetAndMetadata> positions = new TreeMap<>();
            for (TopicPartition tp : revoked) {
                consumer.position(tp).ifPresent(pos -> positions.put(tp, new OffsetAndMetadata(pos)));
            }
            if (positions.isEmpty()) {
                revokedNow(ps, done);
                return;
            }
            revocationCommits.add(positions);
            consumer.commitSync(positions, (o, e) -> revokedNow(ps, done));
        }

        private void revokedNow(List<Integer> ps, Runnable done) {
            ConsumerGroupMetadata m = consumer.groupMetadata();
            history.event(process, group, Type.REVOKED, ctx.nowNanos(), m.generationId(), m.memberId(), instanceId, ps, "");
            done.run();
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> assigned, Runnable done) {
            done.run();
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> lost, Runnable done) {
            List<Integer> ps = lost.stream().filter(tp -> tp.topic().equals(topic)).map(TopicPartition::partition).sorted().toList();
            ConsumerGroupMetadata m = consumer.groupMetadata();
            history.event(process, group, Type.LOST, ctx.nowNanos(), m.generationId(), m.memberId(), instanceId, ps, "");
            done.run();
        }
    }
}
