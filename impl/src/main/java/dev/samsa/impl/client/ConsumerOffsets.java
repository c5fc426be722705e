package dev.samsa.impl.client;

import dev.samsa.impl.client.ConsumerCoordinator.MemberState;
import dev.samsa.impl.protocol.Errors;
import dev.samsa.impl.protocol.GroupMessage;
import dev.samsa.impl.protocol.GroupMessage.OffsetCommitPartition;
import dev.samsa.impl.protocol.GroupMessage.OffsetCommitPartitionResponse;
import dev.samsa.impl.protocol.GroupMessage.OffsetCommitRequest;
import dev.samsa.impl.protocol.GroupMessage.OffsetCommitResponse;
import dev.samsa.impl.protocol.GroupMessage.OffsetFetchPartition;
import dev.samsa.impl.protocol.GroupMessage.OffsetFetchRequest;
import dev.samsa.impl.protocol.GroupMessage.OffsetFetchResponse;
import dev.samsa.impl.protocol.TopicPartition;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/**
 * The consumer's committed offsets (the offset half of Kafka's {@code ConsumerCoordinator}):
 * OffsetCommit for auto-commit, the commit before a rebalance, commitSync and commitAsync, and
 * OffsetFetch for the positions of newly assigned partitions and for committed(). A group member
 * commits with its generation, and only while it is stable (Kafka's generationIfStable); a
 * consumer with manual assignment commits with generation -1. commitSync retries retriable
 * errors until {@code request.timeout.ms} has passed since it was called; every other commit is
 * tried once.
 *
 * <p>Simplified: commitSync's bound is {@code request.timeout.ms}, not {@code default.api.timeout.ms}.
 */
final class ConsumerOffsets {

    enum Kind {
        AUTO,
        REVOCATION,
        SYNC,
        ASYNC
    }

    /** One commit, from the call until its callback. */
    static final class Commit {
        final TreeMap<TopicPartition, OffsetAndMetadata> offsets;
        final Kind kind;
        final boolean onRevocation;
        final OffsetCommitCallback callback;
        final long deadlineNanos;
        long requestId = -1;
        long requestDeadlineNanos;
        long notBeforeNanos;
        /** The generation and member id the last attempt carried: what a success was accepted under. */
        int generation = GroupMessage.NO_GENERATION;
        String member = GroupMessage.UNKNOWN_MEMBER_ID;
        boolean sent;
        private boolean done;

        Commit(Map<TopicPartition, OffsetAndMetadata> offsets, Kind kind, boolean onRevocation, OffsetCommitCallback callback, long deadlineNanos) {
            this.offsets = new TreeMap<>(offsets);
            this.kind = kind;
            this.onRevocation = onRevocation;
            this.callback = callback;
            this.deadlineNanos = deadlineNanos;
        }

        boolean isDone() {
            return done;
        }
    }

    /** One OffsetFetch: for positions (callback null) or for committed(). */
    private static final class Fetch {
        final List<TopicPartition> partitions;
        final BiConsumer<Map<TopicPartition, OffsetAndMetadata>, Errors> callback;
        final long deadlineNanos;
        long requestId = -1;
        long requestDeadlineNanos;
        long notBeforeNanos;

        Fetch(List<TopicPartition> partitions, BiConsumer<Map<TopicPartition, OffsetAndMetadata>, Errors> callback, long deadlineNanos) {
            this.partitions = List.copyOf(partitions);
            this.callback = callback;
            this.deadlineNanos = deadlineNanos;
        }
    }

    private final ConsumerCoordinator c;
    private final boolean requireStable;
    private final List<Commit> commits = new ArrayList<>();
    private final List<Fetch> fetches = new ArrayList<>();

    ConsumerOffsets(ConsumerCoordinator c, boolean requireStable) {
        this.c = c;
        this.requireStable = requireStable;
    }

    boolean hasWork() {
        return !commits.isEmpty() || !fetches.isEmpty();
    }

    // ------------------------------------------------------------------ OffsetCommit

    Commit commit(Map<TopicPartition, OffsetAndMetadata> offsets, Kind kind, boolean onRevocation, OffsetCommitCallback cb, long now) {
        Commit commit = new Commit(offsets, kind, onRevocation, cb, now + c.consumer.requestTimeoutNanos);
        if (offsets.isEmpty()) {
            commit.done = true; // nothing to commit: Kafka completes at once without a request
            if (cb != null) {
                cb.onComplete(new TreeMap<>(), Errors.NONE);
            }
            return commit;
        }
        commits.add(commit);
        c.observer.onCommitSent(commit.offsets, onRevocation);
        sendPending(now);
        return commit;
    }

    void sendPending(long now) {
        for (Commit commit : new ArrayList<>(commits)) {
            if (commit.requestId < 0 && !commit.done && now >= commit.notBeforeNanos && c.coordinatorId >= 0) {
                send(commit, now);
            }
        }
        for (Fetch f : fetches) {
            if (f.requestId < 0 && now >= f.notBeforeNanos && c.coordinatorId >= 0) {
                f.requestId = c.consumer.nextCorrelationId();
                f.requestDeadlineNanos = now + c.consumer.requestTimeoutNanos;
                c.consumer.ctx.send(c.coordinatorId, new OffsetFetchRequest(f.requestId, c.groupId, f.partitions, requireStable));
            }
        }
    }

    private void send(Commit commit, long now) {
        int generation = GroupMessage.NO_GENERATION;
        String member = GroupMessage.UNKNOWN_MEMBER_ID;
        if (c.subscribed) { // Kafka's generationIfStable: a member commits only as a stable member
            if (c.state != MemberState.STABLE) {
                boolean rebalancing = c.state != MemberState.UNJOINED;
                complete(commit, rebalancing ? Errors.REBALANCE_IN_PROGRESS : Errors.UNKNOWN_MEMBER_ID);
                return;
            }
            generation = c.generationId;
            member = c.memberId;
        }
        List<OffsetCommitPartition> parts = new ArrayList<>();
        commit.offsets.forEach((tp, o) -> parts.add(new OffsetCommitPartition(tp, o.offset(), o.leaderEpoch(), o.metadata())));
        commit.requestId = c.consumer.nextCorrelationId();
        commit.requestDeadlineNanos = now + c.consumer.requestTimeoutNanos;
        commit.generation = generation;
        commit.member = member;
        commit.sent = true;
        c.consumer.ctx.send(c.coordinatorId, new OffsetCommitRequest(commit.requestId, c.groupId, generation, member,
                c.groupInstanceId, parts));
    }

    void handleCommit(OffsetCommitResponse r, long now) {
        Commit commit = null;
        for (Commit x : commits) {
            if (x.requestId == r.correlationId()) {
                commit = x;
            }
        }
        if (commit == null) {
            return;
        }
        commit.requestId = -1;
        Errors error = Errors.NONE;
        for (OffsetCommitPartitionResponse p : r.responses()) {
            if (p.error() != Errors.NONE) {
                error = p.error();
                break;
            }
        }
        switch (error) {
            case NONE -> complete(commit, Errors.NONE);
            case COORDINATOR_NOT_AVAILABLE, NOT_COORDINATOR -> {
                c.markCoordinatorUnknown("OffsetCommit " + error, now);
                retryOrFail(commit, error, now);
            }
            case COORDINATOR_LOAD_IN_PROGRESS, REQUEST_TIMED_OUT, UNKNOWN_TOPIC_OR_PARTITION -> retryOrFail(commit, error, now);
            case REBALANCE_IN_PROGRESS -> {
                c.requestRejoin("offset commit failed since group is rebalancing");
                complete(commit, error);
            }
            case ILLEGAL_GENERATION, UNKNOWN_MEMBER_ID -> {
                if (c.subscribed && commit.generation == c.generationId) {
                    c.resetGeneration();
                    c.requestRejoin("OffsetCommit " + error);
                }
                complete(commit, error);
            }
            case FENCED_INSTANCE_ID -> {
                complete(commit, error);
                c.fatal(error);
            }
            default -> complete(commit, error);
        }
    }

    /** Only commitSync retries, until its deadline; the others report the error. */
    private void retryOrFail(Commit commit, Errors error, long now) {
        if (commit.kind == Kind.SYNC && now + c.consumer.retryBackoffNanos < commit.deadlineNanos) {
            c.consumer.ctx.reached("consumer.commit-sync-retry");
            commit.notBeforeNanos = now + c.consumer.retryBackoffNanos;
        } else {
            complete(commit, error);
        }
    }

    private void complete(Commit commit, Errors error) {
        commit.done = true;
        commit.requestId = -1;
        commits.remove(commit);
        c.observer.onCommitCompleted(commit.offsets, commit.onRevocation, error, commit.generation, commit.member);
        if (commit.callback != null) {
            commit.callback.onComplete(commit.offsets, error);
        }
    }

    // ------------------------------------------------------------------ OffsetFetch

    /** Positions of newly assigned partitions from the group's committed offsets. */
    void fetchPositions(List<TopicPartition> partitions, long now) {
        if (!partitions.isEmpty()) {
            fetches.add(new Fetch(partitions, null, Long.MAX_VALUE));
            sendPending(now);
        }
    }

    void committed(List<TopicPartition> partitions, BiConsumer<Map<TopicPartition, OffsetAndMetadata>, Errors> cb, long now) {
        fetches.add(new Fetch(partitions, cb, now + c.consumer.requestTimeoutNanos));
        sendPending(now);
    }

    void handleFetch(OffsetFetchResponse r, long now) {
        Fetch f = null;
        for (Fetch x : fetches) {
            if (x.requestId == r.correlationId()) {
                f = x;
            }
        }
        if (f == null) {
            return;
        }
        f.requestId = -1;
        Errors error = r.error();
        if (error == Errors.NONE) {
            for (OffsetFetchPartition p : r.partitions()) {
                if (p.error() != Errors.NONE) {
                    error = p.error(); // UNSTABLE_OFFSET_COMMIT: a transactional commit pending (KIP-447)
                }
            }
        }
        if (error == Errors.NOT_COORDINATOR || error == Errors.COORDINATOR_NOT_AVAILABLE) {
            c.markCoordinatorUnknown("OffsetFetch " + error, now);
        }
        if (error != Errors.NONE) {
            f.notBeforeNanos = now + c.consumer.retryBackoffNanos;
            if (now >= f.deadlineNanos) {
                fetches.remove(f);
                f.callback.accept(new TreeMap<>(), error);
            }
            return;
        }
        fetches.remove(f);
        TreeMap<TopicPartition, OffsetAndMetadata> out = new TreeMap<>();
        for (OffsetFetchPartition p : r.partitions()) {
            if (p.offset() >= 0) {
                out.put(p.tp(), new OffsetAndMetadata(p.offset(), p.leaderEpoch(), p.metadata()));
            }
        }
        if (f.callback != null) {
            f.callback.accept(out, Errors.NONE);
        } else {
            c.consumer.applyCommittedPositions(f.partitions, out);
        }
    }

    // ------------------------------------------------------------------ failures and timeouts

    /** The coordinator was lost: requests in flight get no answer; retriable for commitSync and for fetches. */
    void failInFlight(Errors error, long now) {
        for (Commit commit : new ArrayList<>(commits)) {
            if (commit.requestId >= 0) {
                commit.requestId = -1;
                retryOrFail(commit, error, now);
            }
        }
        fetches.forEach(f -> {
            f.requestId = -1;
            f.notBeforeNanos = now + c.consumer.retryBackoffNanos;
        });
    }

    void checkTimeouts(long now) {
        for (Commit commit : new ArrayList<>(commits)) {
            if (commit.requestId >= 0 && now >= commit.requestDeadlineNanos) {
                commit.requestId = -1;
                c.markCoordinatorUnknown("OffsetCommit timed out", now);
                if (!commit.done) {
                    retryOrFail(commit, Errors.REQUEST_TIMED_OUT, now);
                }
            } else if (commit.requestId < 0 && now >= commit.deadlineNanos) {
                complete(commit, c.coordinatorId < 0 ? Errors.COORDINATOR_NOT_AVAILABLE : Errors.REQUEST_TIMED_OUT);
            }
        }
        Iterator<Fetch> it = fetches.iterator();
        List<Fetch> expired = new ArrayList<>();
        while (it.hasNext()) {
            Fetch f = it.next();
            if (f.requestId >= 0 && now >= f.requestDeadlineNanos) {
                f.requestId = -1;
                f.notBeforeNanos = now + c.consumer.retryBackoffNanos;
            }
            if (f.requestId < 0 && now >= f.deadlineNanos) {
                it.remove();
                expired.add(f);
            }
        }
        expired.forEach(f -> f.callback.accept(new TreeMap<>(), Errors.REQUEST_TIMED_OUT));
    }

    /** Positions fetches for partitions no longer assigned are dropped with them. */
    void dropPositionFetches() {
        fetches.removeIf(f -> f.callback == null);
    }

    void addDeadlines(List<Long> deadlines) {
        for (Commit commit : commits) {
            deadlines.add(commit.requestId >= 0 ? commit.requestDeadlineNanos : Math.min(commit.deadlineNanos, Math.max(commit.notBeforeNanos, 0)));
            deadlines.add(commit.deadlineNanos);
        }
        for (Fetch f : fetches) {
            deadlines.add(f.requestId >= 0 ? f.requestDeadlineNanos : f.notBeforeNanos);
            if (f.deadlineNanos != Long.MAX_VALUE) {
                deadlines.add(f.deadlineNanos);
            }
        }
    }
}
