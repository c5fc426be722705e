package dev.samsa.impl.raft;

import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One class per role of a voter or observer, like Kafka's raft module: the state a node is in
 * is a type, and a transition builds a new object. Each carries the epoch it belongs to.
 */
final class States {

    private States() {}

    sealed interface EpochState permits Unattached, Candidate, Leader, Follower, Resigned {
        int epoch();

        RaftRole role();

        OptionalInt leaderId();
    }

    /** A voter (or observer) that knows no leader for its epoch; it may have voted. */
    record Unattached(int epoch, OptionalInt votedId) implements EpochState {
        @Override
        public RaftRole role() {
            return RaftRole.UNATTACHED;
        }

        @Override
        public OptionalInt leaderId() {
            return OptionalInt.empty();
        }
    }

    /** Asking for votes in its own epoch. */
    static final class Candidate implements EpochState {
        final int epoch;
        final TreeSet<Integer> granted = new TreeSet<>();
        final TreeSet<Integer> rejected = new TreeSet<>();

        Candidate(int epoch, int self) {
            this.epoch = epoch;
            granted.add(self);
        }

        @Override
        public int epoch() {
            return epoch;
        }

        @Override
        public RaftRole role() {
            return RaftRole.CANDIDATE;
        }

        @Override
        public OptionalInt leaderId() {
            return OptionalInt.empty();
        }
    }

    /** Following a known leader: fetching from it. */
    record Follower(int epoch, int leader) implements EpochState {
        @Override
        public RaftRole role() {
            return RaftRole.FOLLOWER;
        }

        @Override
        public OptionalInt leaderId() {
            return OptionalInt.of(leader);
        }
    }

    /** A leader that gave up its epoch (check-quorum): it serves nothing and waits to elect. */
    record Resigned(int epoch, int self) implements EpochState {
        @Override
        public RaftRole role() {
            return RaftRole.RESIGNED;
        }

        @Override
        public OptionalInt leaderId() {
            return OptionalInt.of(self);
        }
    }

    /** The leader of its epoch, tracking each replica's progress. */
    static final class Leader implements EpochState {
        final int epoch;
        final int self;
        final long epochStartOffset;
        final long electedAtNanos;
        /** replicaId → {end offset, last fetch nanos}; voters and observers. */
        final TreeMap<Integer, long[]> replicas = new TreeMap<>();
        /** Voters that have not fetched in this epoch yet: BeginQuorumEpoch is resent to them. */
        final TreeSet<Integer> unacknowledged = new TreeSet<>();

        Leader(int epoch, int self, long epochStartOffset, long nowNanos) {
            this.epoch = epoch;
            this.self = self;
            this.epochStartOffset = epochStartOffset;
            this.electedAtNanos = nowNanos;
        }

        @Override
        public int epoch() {
            return epoch;
        }

        @Override
        public RaftRole role() {
            return RaftRole.LEADER;
        }

        @Override
        public OptionalInt leaderId() {
            return OptionalInt.of(self);
        }
    }
}
