package dev.samsa.impl.raft;

import dev.samsa.impl.node.Message;
import dev.samsa.impl.protocol.Errors;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/** The KRaft quorum protocol (KIP-595): Vote, BeginQuorumEpoch and pull-based Fetch. */
public sealed interface RaftMessage extends Message {

    enum Kind {
        VOTE_REQUEST,
        VOTE_RESPONSE,
        BEGIN_EPOCH_REQUEST,
        BEGIN_EPOCH_RESPONSE,
        FETCH_REQUEST,
        FETCH_RESPONSE
    }

    Kind kind();

    /** The sender's epoch: every handler checks it first. */
    int epoch();

    /** A candidate asks for a vote, showing how up to date its log is. */
    record VoteRequest(int epoch, int candidateId, int lastEpoch, long endOffset) implements RaftMessage {
        @Override
        public Kind kind() {
            return Kind.VOTE_REQUEST;
        }
    }

    record VoteResponse(Errors error, int epoch, OptionalInt leaderId, boolean granted) implements RaftMessage {
        @Override
        public Kind kind() {
            return Kind.VOTE_RESPONSE;
        }
    }

    /** A new leader announces itself to the voters. */
    record BeginQuorumEpochRequest(int epoch, int leaderId) implements RaftMessage {
        @Override
        public Kind kind() {
            return Kind.BEGIN_EPOCH_REQUEST;
        }
    }

    record BeginQuorumEpochResponse(Errors error, int epoch) implements RaftMessage {
        @Override
        public Kind kind() {
            return Kind.BEGIN_EPOCH_RESPONSE;
        }
    }

    /**
     * A follower or observer asks for entries from {@code fetchOffset}; {@code lastFetchedEpoch}
     * is the epoch of its entry just before that offset, so the leader can detect divergence.
     */
    record FetchRequest(int epoch, int replicaId, long fetchOffset, int lastFetchedEpoch) implements RaftMessage {
        @Override
        public Kind kind() {
            return Kind.FETCH_REQUEST;
        }
    }

    /**
     * Entries and the high watermark, or an error naming the leader the sender knows, or a
     * diverging epoch: the follower must truncate before fetching again.
     */
    record FetchResponse(Errors error, int epoch, OptionalInt leaderId, long highWatermark, List<LogEntry> entries,
            Optional<OffsetAndEpoch> divergingEpoch) implements RaftMessage {
        @Override
        public Kind kind() {
            return Kind.FETCH_RESPONSE;
        }

        @Override
        public int sizeBytes() {
            int s = 64;
            for (LogEntry e : entries) {
                s += e.sizeBytes();
            }
            return s;
        }
    }
}
