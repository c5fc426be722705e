package dev.samsa.impl.raft;

import dev.samsa.impl.node.Context;
import dev.samsa.impl.node.Disk;
import dev.samsa.impl.protocol.Errors;
import dev.samsa.impl.raft.RaftMessage.BeginQuorumEpochRequest;
import dev.samsa.impl.raft.RaftMessage.BeginQuorumEpochResponse;
import dev.samsa.impl.raft.RaftMessage.FetchRequest;
import dev.samsa.impl.raft.RaftMessage.FetchResponse;
import dev.samsa.impl.raft.RaftMessage.VoteRequest;
import dev.samsa.impl.raft.RaftMessage.VoteResponse;
import dev.samsa.impl.raft.States.Candidate;
import dev.samsa.impl.raft.States.EpochState;
import dev.samsa.impl.raft.States.Follower;
import dev.samsa.impl.raft.States.Leader;
import dev.samsa.impl.raft.States.Resigned;
import dev.samsa.impl.raft.States.Unattached;
import dev.samsa.spec.bugs.Bug;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * One node's participant in the KRaft quorum (KIP-595): a voter (a controller) or an observer
 * (a broker). Single-threaded; driven by {@link #handle}, {@link #onTimer} and
 * {@link #onDisconnect} from its node. Rules kept here:
 * <ul>
 *   <li>the quorum state (epoch, vote, leader) is persisted and fsynced before acting on it;
 *   <li>a vote goes only to a candidate whose log is at least as up to date, once per epoch;
 *   <li>replication is pull-based; a divergent suffix is truncated by epoch, never below the HW;
 *   <li>entries are fsynced before the next Fetch, so a fetch offset implies durability;
 *   <li>the HW advances by majority, and only past the leader's own epoch start;
 *   <li>check-quorum: a leader not fetched from by a majority within the fetch timeout resigns.
 * </ul>
 */
public final class RaftClient implements RaftView {

    /** What the state machine above the quorum hears. */
    public interface Listener {
        /** The entry is committed; called in offset order, once per incarnation, on every node. */
        void onCommit(LogEntry entry);

        /** This node became leader of {@code epoch} (its committed prefix may still be catching up). */
        default void onBecomeLeader(int epoch) {}

        /** This node stopped being leader. Pending work must be dropped, not answered. */
        default void onLoseLeadership(int epoch) {}

        /** The entries committed by one advance of the high watermark have all been passed to {@link #onCommit}. */
        default void onCommitBatchEnd() {}
    }

    static final String STATE_FILE = "quorum-state";
    /** Kafka's raft fetch max wait: how long a leader holds a Fetch that has nothing new. */
    static final long FETCH_MAX_WAIT_NANOS = 500_000_000L;

    private final Context ctx;
    private final int self;
    private final int[] voters;
    private final boolean observer;
    private final Listener listener;
    private final RaftLog log;

    private final long fetchTimeoutNanos;
    private final long electionTimeoutNanos;
    private final long electionBackoffMaxNanos;
    private final long requestTimeoutNanos;
    private final long retryBackoffNanos;
    private final int fetchMaxRecords;

    private EpochState state;
    private long generation;
    private long highWatermark;
    private long appliedUpTo;
    private boolean fetchInFlight;
    private int observerTarget = -1;
    /** Follower: when the fetch timeout expires unless a fetch from the leader succeeds first. */
    private long fetchDeadlineNanos;

    /** Leader only: callbacks for when an offset commits. */
    private final TreeMap<Long, List<Runnable>> onCommit = new TreeMap<>();
    /** Leader only: parked fetches by replica, and the HW last sent to each replica. */
    private final TreeMap<Integer, FetchRequest> parked = new TreeMap<>();
    private final TreeMap<Integer, Long> hwSent = new TreeMap<>();

    public RaftClient(Context ctx, List<Integer> voterIds, Listener listener) {
        this.ctx = ctx;
        this.self = ctx.nodeId();
        this.voters = voterIds.stream().mapToInt(Integer::intValue).sorted().toArray();
        this.observer = Arrays.binarySearch(voters, self) < 0;
        this.listener = listener;
        this.log = new RaftLog(ctx.disk());
        var s = ctx.settings();
        this.fetchTimeoutNanos = s.getMsAsNanos("controller.quorum.fetch.timeout.ms");
        this.electionTimeoutNanos = s.getMsAsNanos("controller.quorum.election.timeout.ms");
        this.electionBackoffMaxNanos = s.getMsAsNanos("controller.quorum.election.backoff.max.ms");
        this.requestTimeoutNanos = s.getMsAsNanos("controller.quorum.request.timeout.ms");
        this.retryBackoffNanos = s.getMsAsNanos("controller.quorum.retry.backoff.ms");
        this.fetchMaxRecords = s.getInt("controller.quorum.fetch.max.records");
        this.state = recoveredState();
    }

    // ================================================================== start and recovery

    /** The role recovered from the quorum-state file, before anything is sent. */
    private EpochState recoveredState() {
        QuorumStateData d = readQuorumState();
        if (observer) {
            return d.leaderId() >= 0 && d.leaderId() != self ? new Follower(d.epoch(), d.leaderId()) : new Unattached(d.epoch(), OptionalInt.empty());
        } else if (d.leaderId() == self) {
            // a leader that restarts does not resume its epoch: it resigns and lets an election happen
            return new Resigned(d.epoch(), self);
        } else if (d.leaderId() >= 0) {
            return new Follower(d.epoch(), d.leaderId());
        }
        return new Unattached(d.epoch(), d.votedId() >= 0 ? OptionalInt.of(d.votedId()) : OptionalInt.empty());
    }

    /** Starts in the recovered role: arms its timers and sends what it sends. */
    public void start() {
        trace("start as " + describe(state) + " log end " + log.endOffset());
        enter(state);
    }

    private QuorumStateData readQuorumState() {
        Disk disk = ctx.disk();
        if (disk.size(STATE_FILE) == 0) {
            return QuorumStateData.EMPTY;
        }
        Object o = disk.read(STATE_FILE, 0);
        return o instanceof QuorumStateData d ? d : QuorumStateData.EMPTY;
    }

    private void persist(EpochState s) {
        int voted = s instanceof Unattached u ? u.votedId().orElse(-1)
                : s instanceof Candidate || s instanceof Leader || s instanceof Resigned ? self : -1;
        QuorumStateData d = new QuorumStateData(s.epoch(), voted, s.leaderId().orElse(-1));
        QuorumStateData old = readQuorumState();
        if (!d.equals(old)) {
            if (d.epoch() < old.epoch()) {
                throw new IllegalStateException("epoch would go backwards: " + old + " -> " + d);
            }
            ctx.disk().replace(STATE_FILE, d, 16);
            ctx.disk().fsync(STATE_FILE);
        }
    }

    // ================================================================== transitions

    private void transition(EpochState next) {
        EpochState prev = state;
        if (next.epoch() < prev.epoch()) {
            throw new IllegalStateException("transition to an older epoch: " + describe(prev) + " -> " + describe(next));
        }
        if (prev instanceof Leader l) {
            onCommit.clear();
            // tell parked fetchers at once where leadership went, rather than letting them time out
            for (Map.Entry<Integer, FetchRequest> p : parked.entrySet()) {
                ctx.send(p.getKey(), new FetchResponse(Errors.NOT_LEADER_OR_FOLLOWER, next.epoch(), next.leaderId(), highWatermark, List.of(), Optional.empty()));
            }
            parked.clear();
            hwSent.clear();
            listener.onLoseLeadership(l.epoch);
        }
        if (ctx.tracing() && (prev.role() != next.role() || prev.epoch() != next.epoch())) {
            trace("role " + describe(prev) + " -> " + describe(next));
        }
        state = next;
        enter(next);
    }

    /** Persists the new state, then arms its timers and sends what it sends. */
    private void enter(EpochState s) {
        persist(s);
        generation++;
        fetchInFlight = false;
        if (s instanceof Unattached) {
            if (observer) {
                scheduleFetch(0);
            } else {
                armElection();
            }
        } else if (s instanceof Candidate c) {
            startElection(c);
        } else if (s instanceof Follower) {
            fetchDeadlineNanos = ctx.nowNanos() + fetchTimeoutNanos;
            arm(RaftTimer.Kind.FETCH_TIMEOUT, fetchTimeoutNanos, -1);
            scheduleFetch(0);
        } else if (s instanceof Resigned) {
            armElection();
        } else if (s instanceof Leader l) {
            becomeLeader(l);
        }
    }

    private void armElection() {
        long backoff = electionBackoffMaxNanos > 0 ? ctx.random().nextLong(0, electionBackoffMaxNanos) : 0;
        arm(RaftTimer.Kind.ELECTION, electionTimeoutNanos + backoff, -1);
    }

    private void arm(RaftTimer.Kind kind, long delayNanos, int peer) {
        ctx.setTimer(delayNanos, new RaftTimer(kind, generation, peer));
    }

    private int majority() {
        return voters.length / 2 + 1;
    }

    private void startElection(Candidate c) {
        armElection();
        if (c.granted.size() >= majority()) {
            transition(new Leader(c.epoch, self, log.endOffset(), ctx.nowNanos()));
            return;
        }
        for (int v : voters) {
            if (v != self) {
                ctx.send(v, new VoteRequest(c.epoch, self, log.lastEpoch(), log.endOffset()));
            }
        }
    }

    private void becomeLeader(Leader l) {
        long now = ctx.nowNanos();
        for (int v : voters) {
            if (v != self) {
                l.replicas.put(v, new long[] {0, now});
                l.unacknowledged.add(v);
            }
        }
        log.appendAsLeader(l.epoch, new LeaderChangeRecord(self, l.epoch));
        log.flush();
        ctx.reached("raft.leader-elected");
        listener.onBecomeLeader(l.epoch);
        sendBeginEpoch(l);
        arm(RaftTimer.Kind.CHECK_QUORUM, Math.max(1, fetchTimeoutNanos / 4), -1);
        maybeAdvanceHighWatermark(l);
    }

    private void sendBeginEpoch(Leader l) {
        for (int v : l.unacknowledged) {
            ctx.send(v, new BeginQuorumEpochRequest(l.epoch, self));
        }
        if (!l.unacknowledged.isEmpty()) {
            arm(RaftTimer.Kind.BEGIN_EPOCH_RESEND, requestTimeoutNanos, -1);
        }
    }

    /** A message with a newer epoch moves this node to that epoch, following its leader if named. */
    private void observeEpoch(int epoch, OptionalInt leader) {
        if (epoch < state.epoch()) {
            return;
        }
        if (epoch == state.epoch() && (state.leaderId().isPresent() || leader.isEmpty())) {
            return;
        }
        if (leader.isPresent() && leader.getAsInt() != self) {
            transition(new Follower(epoch, leader.getAsInt()));
        } else if (epoch > state.epoch()) {
            transition(new Unattached(epoch, OptionalInt.empty()));
        }
    }

    // ================================================================== dispatch

    public void handle(int from, RaftMessage m) {
        switch (m.kind()) {
            case VOTE_REQUEST -> onVoteRequest(from, (VoteRequest) m);
            case VOTE_RESPONSE -> onVoteResponse(from, (VoteResponse) m);
            case BEGIN_EPOCH_REQUEST -> onBeginEpoch(from, (BeginQuorumEpochRequest) m);
            case BEGIN_EPOCH_RESPONSE -> observeEpoch(m.epoch(), OptionalInt.empty());
            case FETCH_REQUEST -> onFetchRequest(from, (FetchRequest) m);
            case FETCH_RESPONSE -> onFetchResponse(from, (FetchResponse) m);
        }
    }

    public void onTimer(RaftTimer t) {
        if (t.generation() != generation) {
            return; // set in a state this node has left
        }
        switch (t.kind()) {
            case ELECTION -> {
                if (!observer) {
                    transition(new Candidate(state.epoch() + 1, self));
                }
            }
            case FETCH_TIMEOUT -> {
                if (state instanceof Follower f && ctx.nowNanos() < fetchDeadlineNanos) {
                    arm(RaftTimer.Kind.FETCH_TIMEOUT, fetchDeadlineNanos - ctx.nowNanos(), -1);
                } else if (state instanceof Follower f) {
                    ctx.reached("raft.fetch-timeout");
                    if (observer) {
                        transition(new Unattached(f.epoch(), OptionalInt.empty()));
                    } else {
                        transition(new Candidate(f.epoch() + 1, self));
                    }
                }
            }
            case FETCH_REQUEST_TIMEOUT -> {
                if (fetchInFlight) {
                    fetchInFlight = false;
                    scheduleFetch(retryBackoffNanos);
                }
            }
            case FETCH_RETRY -> sendFetch();
            case CHECK_QUORUM -> checkQuorum();
            case BEGIN_EPOCH_RESEND -> {
                if (state instanceof Leader l) {
                    sendBeginEpoch(l);
                }
            }
            case PARKED_FETCH_EXPIRY -> {
                FetchRequest p = parked.remove(t.peer());
                if (p != null && state instanceof Leader l) {
                    answerFetch(l, t.peer(), p);
                }
            }
        }
    }

    public void onDisconnect(int peer) {
        parked.remove(peer);
        OptionalInt target = fetchTarget();
        if (fetchInFlight && target.isPresent() && target.getAsInt() == peer) {
            fetchInFlight = false;
            scheduleFetch(retryBackoffNanos);
        }
    }

    // ================================================================== votes

    private void onVoteRequest(int from, VoteRequest r) {
        if (observer || r.epoch() < state.epoch()) {
            ctx.send(from, new VoteResponse(Errors.FENCED_LEADER_EPOCH, state.epoch(), state.leaderId(), false));
            return;
        }
        if (r.epoch() > state.epoch()) {
            transition(new Unattached(r.epoch(), OptionalInt.empty()));
        }
        boolean grant = false;
        if (state instanceof Unattached u && (u.votedId().isEmpty() || u.votedId().getAsInt() == r.candidateId())) {
            OffsetAndEpoch theirs = new OffsetAndEpoch(r.endOffset(), r.lastEpoch());
            grant = theirs.compareTo(log.endOffsetAndEpoch()) >= 0;
            if (grant && u.votedId().isEmpty()) {
                transition(new Unattached(u.epoch(), OptionalInt.of(r.candidateId()))); // persisted before answering
            }
        }
        ctx.send(from, new VoteResponse(Errors.NONE, state.epoch(), state.leaderId(), grant));
    }

    private void onVoteResponse(int from, VoteResponse r) {
        if (r.epoch() > state.epoch()) {
            observeEpoch(r.epoch(), r.leaderId());
            return;
        }
        if (!(state instanceof Candidate c) || r.epoch() != c.epoch || r.error() != Errors.NONE) {
            return;
        }
        (r.granted() ? c.granted : c.rejected).add(from);
        if (c.granted.size() >= majority()) {
            transition(new Leader(c.epoch, self, log.endOffset(), ctx.nowNanos()));
        }
    }

    private void onBeginEpoch(int from, BeginQuorumEpochRequest r) {
        if (r.epoch() < state.epoch()) {
            ctx.send(from, new BeginQuorumEpochResponse(Errors.FENCED_LEADER_EPOCH, state.epoch()));
            return;
        }
        if (state instanceof Leader l && l.epoch == r.epoch()) {
            throw new IllegalStateException("two leaders in epoch " + r.epoch() + ": " + self + " and " + r.leaderId());
        }
        if (!(state instanceof Follower f && f.epoch() == r.epoch() && f.leader() == r.leaderId())) {
            transition(new Follower(r.epoch(), r.leaderId()));
        }
        ctx.send(from, new BeginQuorumEpochResponse(Errors.NONE, state.epoch()));
    }

    // ================================================================== fetch: follower and observer side

    private OptionalInt fetchTarget() {
        if (state instanceof Follower f) {
            return OptionalInt.of(f.leader());
        }
        if (observer && state instanceof Unattached) {
            if (observerTarget < 0) {
                observerTarget = voters[ctx.random().nextInt(voters.length)];
            }
            return OptionalInt.of(observerTarget);
        }
        return OptionalInt.empty();
    }

    private void scheduleFetch(long delayNanos) {
        arm(RaftTimer.Kind.FETCH_RETRY, delayNanos, -1);
    }

    private void sendFetch() {
        OptionalInt target = fetchTarget();
        if (target.isEmpty() || fetchInFlight) {
            return;
        }
        log.flush(); // entries are durable before we ask for more: our fetch offset acknowledges them
        long offset = log.endOffset();
        int lastEpoch = offset == 0 ? 0 : log.entry(offset - 1).epoch();
        fetchInFlight = true;
        ctx.send(target.getAsInt(), new FetchRequest(state.epoch(), self, offset, lastEpoch));
        arm(RaftTimer.Kind.FETCH_REQUEST_TIMEOUT, requestTimeoutNanos, -1);
    }

    private void onFetchResponse(int from, FetchResponse r) {
        if (r.epoch() < state.epoch()) {
            return; // stale: a newer epoch has begun here
        }
        if (r.epoch() > state.epoch() || (state.leaderId().isEmpty() && r.leaderId().isPresent())) {
            observeEpoch(r.epoch(), r.leaderId());
            if (!(state instanceof Follower)) {
                return;
            }
            if (r.error() != Errors.NONE || ((Follower) state).leader() != from) {
                observerTarget = -1;
                scheduleFetch(0);
                return;
            }
        }
        if (!(state instanceof Follower f) || f.leader() != from || r.epoch() != f.epoch()) {
            if (observer && state instanceof Unattached) {
                fetchInFlight = false;
                observerTarget = -1; // try another voter
                scheduleFetch(retryBackoffNanos);
            }
            return;
        }
        fetchInFlight = false;
        if (r.error() != Errors.NONE) {
            scheduleFetch(retryBackoffNanos);
            return;
        }
        fetchDeadlineNanos = ctx.nowNanos() + fetchTimeoutNanos; // the timer re-arms itself up to this deadline
        if (r.divergingEpoch().isPresent()) {
            OffsetAndEpoch d = r.divergingEpoch().get();
            long truncateTo = Math.min(log.endOffsetForEpoch(d.epoch()).offset(), d.offset());
            // KAFKA-14704: the HW in a diverging response is not applied before truncating
            if (truncateTo < highWatermark) {
                throw new IllegalStateException("truncation to " + truncateTo + " below the high watermark " + highWatermark);
            }
            ctx.reached("raft.truncate-diverging-suffix");
            trace("truncate to " + truncateTo + " (diverging epoch " + d.epoch() + " ends at " + d.offset() + ")");
            log.truncateTo(truncateTo);
            scheduleFetch(0);
            return;
        }
        for (LogEntry e : r.entries()) {
            if (e.offset() == log.endOffset()) {
                log.append(e);
            }
        }
        advanceHighWatermark(Math.min(r.highWatermark(), log.endOffset()));
        scheduleFetch(0);
    }


    // ================================================================== fetch: leader side

    private void onFetchRequest(int from, FetchRequest r) {
        if (!(state instanceof Leader l)) {
            Errors e = r.epoch() < state.epoch() ? Errors.FENCED_LEADER_EPOCH : Errors.NOT_LEADER_OR_FOLLOWER;
            ctx.send(from, new FetchResponse(e, state.epoch(), state instanceof Resigned ? OptionalInt.empty() : state.leaderId(),
                    highWatermark, List.of(), Optional.empty()));
            return;
        }
        if (r.epoch() < l.epoch) {
            ctx.send(from, new FetchResponse(Errors.FENCED_LEADER_EPOCH, l.epoch, OptionalInt.of(self), highWatermark, List.of(), Optional.empty()));
            return;
        }
        if (r.epoch() > l.epoch) {
            ctx.send(from, new FetchResponse(Errors.UNKNOWN_LEADER_EPOCH, l.epoch, OptionalInt.of(self), highWatermark, List.of(), Optional.empty()));
            return;
        }
        if (r.fetchOffset() > 0) {
            OffsetAndEpoch mine = log.endOffsetForEpoch(r.lastFetchedEpoch());
            if (mine.epoch() != r.lastFetchedEpoch() || mine.offset() < r.fetchOffset()) {
                // the follower's log diverges from ours: no data, and its fetch state is not updated
                ctx.send(from, new FetchResponse(Errors.NONE, l.epoch, OptionalInt.of(self), highWatermark, List.of(), Optional.of(mine)));
                return;
            }
        }
        l.replicas.put(from, new long[] {r.fetchOffset(), ctx.nowNanos()});
        l.unacknowledged.remove(from);
        maybeAdvanceHighWatermark(l);
        if (r.fetchOffset() >= log.endOffset() && hwSent.getOrDefault(from, -1L) == highWatermark) {
            parked.put(from, r); // nothing new: hold the fetch until there is, or until its max wait
            arm(RaftTimer.Kind.PARKED_FETCH_EXPIRY, FETCH_MAX_WAIT_NANOS, from);
            return;
        }
        answerFetch(l, from, r);
    }

    private void answerFetch(Leader l, int to, FetchRequest r) {
        long from = Math.min(r.fetchOffset(), log.endOffset());
        long upTo = Math.min(log.endOffset(), from + fetchMaxRecords);
        hwSent.put(to, highWatermark);
        ctx.send(to, new FetchResponse(Errors.NONE, l.epoch, OptionalInt.of(self), highWatermark, log.read(from, upTo), Optional.empty()));
    }

    private void wakeParked(Leader l) {
        if (parked.isEmpty()) {
            return;
        }
        List<Map.Entry<Integer, FetchRequest>> all = new ArrayList<>(parked.entrySet());
        parked.clear();
        for (Map.Entry<Integer, FetchRequest> p : all) {
            answerFetch(l, p.getKey(), p.getValue());
        }
    }

    private void maybeAdvanceHighWatermark(Leader l) {
        long[] ends = new long[voters.length];
        int i = 0;
        for (int v : voters) {
            ends[i++] = v == self ? log.flushedEndOffset() : l.replicas.get(v)[0];
        }
        Arrays.sort(ends);
        long majorityEnd = ends[voters.length - majority()];
        if (majorityEnd > l.epochStartOffset) {
            advanceHighWatermark(majorityEnd);
        }
    }

    private void advanceHighWatermark(long hw) {
        if (hw <= highWatermark) {
            return;
        }
        highWatermark = hw;
        while (appliedUpTo < highWatermark) {
            listener.onCommit(log.entry(appliedUpTo));
            appliedUpTo++;
        }
        listener.onCommitBatchEnd();
        if (state instanceof Leader l) {
            while (!onCommit.isEmpty() && onCommit.firstKey() < highWatermark) {
                for (Runnable r : onCommit.pollFirstEntry().getValue()) {
                    r.run();
                }
            }
            wakeParked(l);
        }
    }

    private void checkQuorum() {
        if (!(state instanceof Leader l)) {
            return;
        }
        arm(RaftTimer.Kind.CHECK_QUORUM, Math.max(1, fetchTimeoutNanos / 4), -1);
        long contact = majorityContactNanos();
        if (ctx.nowNanos() - contact > fetchTimeoutNanos) {
            if (ctx.bug(Bug.KAFKA_15489)) {
                return; // the historical bug: no check-quorum, the leader stays on
            }
            ctx.reached("raft.check-quorum-resign");
            trace("resign epoch " + l.epoch + ": no fetch from a majority for " + (ctx.nowNanos() - contact) / 1_000_000 + " ms");
            transition(new Resigned(l.epoch, self));
        }
    }

    // ================================================================== the leader's API

    public boolean isLeader() {
        return state instanceof Leader;
    }

    /** Appends a record as leader, durably; empty when not leader. */
    public OptionalLong appendAsLeader(RaftRecord record) {
        if (!(state instanceof Leader l)) {
            return OptionalLong.empty();
        }
        LogEntry e = log.appendAsLeader(l.epoch, record);
        log.flush();
        maybeAdvanceHighWatermark(l);
        wakeParked(l);
        return OptionalLong.of(e.offset());
    }

    /** Runs {@code action} when {@code offset} commits; dropped if this node loses leadership first. */
    public void whenCommitted(long offset, Runnable action) {
        if (!(state instanceof Leader)) {
            return;
        }
        if (offset < highWatermark) {
            action.run();
        } else {
            onCommit.computeIfAbsent(offset, k -> new ArrayList<>()).add(action);
        }
    }

    // ================================================================== the view

    @Override
    public int nodeId() {
        return self;
    }

    @Override
    public int epoch() {
        return state.epoch();
    }

    @Override
    public RaftRole role() {
        return observer && !(state instanceof Leader) ? RaftRole.OBSERVER : state.role();
    }

    @Override
    public OptionalInt leaderId() {
        return state instanceof Resigned ? OptionalInt.empty() : state.leaderId();
    }

    @Override
    public OptionalInt votedId() {
        if (state instanceof Unattached u) {
            return u.votedId();
        }
        return state instanceof Candidate || state instanceof Leader ? OptionalInt.of(self) : OptionalInt.empty();
    }

    @Override
    public long highWatermark() {
        return highWatermark;
    }

    @Override
    public long logEndOffset() {
        return log.endOffset();
    }

    @Override
    public LogEntry entryAt(long offset) {
        return log.entry(offset);
    }

    /** Entries {@code [from, to)} of the local log. */
    public List<LogEntry> read(long from, long to) {
        return log.read(from, to);
    }

    @Override
    public long majorityContactNanos() {
        if (!(state instanceof Leader l)) {
            return -1;
        }
        long[] times = new long[voters.length - 1];
        int i = 0;
        for (int v : voters) {
            if (v != self) {
                times[i++] = l.replicas.get(v)[1];
            }
        }
        Arrays.sort(times);
        int others = majority() - 1;
        return others == 0 ? ctx.nowNanos() : times[times.length - others];
    }

    public List<Integer> voters() {
        List<Integer> v = new ArrayList<>();
        for (int id : voters) {
            v.add(id);
        }
        return v;
    }

    private void trace(String line) {
        if (ctx.tracing()) {
            ctx.trace(line);
        }
    }

    static String describe(EpochState s) {
        return s.role() + " e" + s.epoch() + (s instanceof Follower f ? " of " + f.leader() : "");
    }
}
