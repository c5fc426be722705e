package dev.samsa.impl.protocol;

import dev.samsa.impl.node.Message;
import java.util.List;

/**
 * The transaction protocol (KIP-98): the requests a transactional producer sends its transaction
 * coordinator (AddPartitionsToTxn, AddOffsetsToTxn, EndTxn), the one it sends the group
 * coordinator (TxnOffsetCommit), and the one a transaction coordinator sends partition leaders to
 * end a transaction (WriteTxnMarkers), with their responses. Every request carries a
 * {@code correlationId} its response repeats. Finding the coordinator is GroupMessage's
 * FindCoordinator with the TRANSACTION key type.
 */
public sealed interface TxnMessage extends Message {

    enum Kind {
        ADD_PARTITIONS_TO_TXN_REQUEST,
        ADD_PARTITIONS_TO_TXN_RESPONSE,
        ADD_OFFSETS_TO_TXN_REQUEST,
        ADD_OFFSETS_TO_TXN_RESPONSE,
        END_TXN_REQUEST,
        END_TXN_RESPONSE,
        TXN_OFFSET_COMMIT_REQUEST,
        TXN_OFFSET_COMMIT_RESPONSE,
        WRITE_TXN_MARKERS_REQUEST,
        WRITE_TXN_MARKERS_RESPONSE
    }

    Kind kind();

    long correlationId();

    /** A per-partition outcome, used by several responses. */
    record PartitionResult(TopicPartition tp, Errors error) {}

    // ------------------------------------------------------------------ AddPartitionsToTxn

    /**
     * The producer adds partitions to its ongoing transaction before producing to them; with
     * {@code verifyOnly} a partition leader asks whether they were added (KIP-890 part 1: the
     * first transactional write to a partition is verified with the coordinator), without adding.
     */
    record AddPartitionsToTxnRequest(long correlationId, String transactionalId, long producerId, short producerEpoch,
            List<TopicPartition> partitions, boolean verifyOnly) implements TxnMessage {
        public AddPartitionsToTxnRequest {
            partitions = List.copyOf(partitions);
        }

        @Override
        public Kind kind() {
            return Kind.ADD_PARTITIONS_TO_TXN_REQUEST;
        }
    }

    record AddPartitionsToTxnResponse(long correlationId, List<PartitionResult> results) implements TxnMessage {
        public AddPartitionsToTxnResponse {
            results = List.copyOf(results);
        }

        @Override
        public Kind kind() {
            return Kind.ADD_PARTITIONS_TO_TXN_RESPONSE;
        }
    }

    // ------------------------------------------------------------------ AddOffsetsToTxn

    /** The producer adds the group's __consumer_offsets partition to its transaction (sendOffsetsToTransaction). */
    record AddOffsetsToTxnRequest(long correlationId, String transactionalId, long producerId, short producerEpoch, String groupId)
            implements TxnMessage {
        @Override
        public Kind kind() {
            return Kind.ADD_OFFSETS_TO_TXN_REQUEST;
        }
    }

    record AddOffsetsToTxnResponse(long correlationId, Errors error) implements TxnMessage {
        @Override
        public Kind kind() {
            return Kind.ADD_OFFSETS_TO_TXN_RESPONSE;
        }
    }

    // ------------------------------------------------------------------ EndTxn

    /** Commit ({@code committed}) or abort the producer's ongoing transaction. */
    record EndTxnRequest(long correlationId, String transactionalId, long producerId, short producerEpoch, boolean committed)
            implements TxnMessage {
        @Override
        public Kind kind() {
            return Kind.END_TXN_REQUEST;
        }
    }

    /** {@code producerId}/{@code producerEpoch}: the (bumped) ones under transaction.version 2 (KIP-890), else -1. */
    record EndTxnResponse(long correlationId, Errors error, long producerId, short producerEpoch) implements TxnMessage {
        @Override
        public Kind kind() {
            return Kind.END_TXN_RESPONSE;
        }
    }

    // ------------------------------------------------------------------ TxnOffsetCommit (KIP-447)

    record TxnOffsetCommitPartition(TopicPartition tp, long offset, int leaderEpoch, String metadata) {}

    /** Offsets that materialise with the transaction's COMMIT marker; fenced by generation like OffsetCommit (KIP-447). */
    record TxnOffsetCommitRequest(long correlationId, String transactionalId, String groupId, long producerId, short producerEpoch,
            int generationId, String memberId, String groupInstanceId, List<TxnOffsetCommitPartition> partitions) implements TxnMessage {
        public TxnOffsetCommitRequest {
            partitions = List.copyOf(partitions);
        }

        @Override
        public Kind kind() {
            return Kind.TXN_OFFSET_COMMIT_REQUEST;
        }
    }

    record TxnOffsetCommitResponse(long correlationId, List<PartitionResult> results) implements TxnMessage {
        public TxnOffsetCommitResponse {
            results = List.copyOf(results);
        }

        @Override
        public Kind kind() {
            return Kind.TXN_OFFSET_COMMIT_RESPONSE;
        }
    }

    // ------------------------------------------------------------------ WriteTxnMarkers

    /**
     * One transaction to end: the producer, its epoch, COMMIT ({@code committed}) or ABORT, the
     * partitions to write the marker to, and the coordinator's epoch (its __transaction_state
     * partition's leader epoch), which lets a leader fence a deposed coordinator.
     */
    record WritableTxnMarker(long producerId, short producerEpoch, boolean committed, List<TopicPartition> partitions, int coordinatorEpoch) {
        public WritableTxnMarker {
            partitions = List.copyOf(partitions);
        }
    }

    record WriteTxnMarkersRequest(long correlationId, List<WritableTxnMarker> markers) implements TxnMessage {
        public WriteTxnMarkersRequest {
            markers = List.copyOf(markers);
        }

        @Override
        public Kind kind() {
            return Kind.WRITE_TXN_MARKERS_REQUEST;
        }
    }

    /** The outcome of one marker, per partition. */
    record WritableTxnMarkerResult(long producerId, List<PartitionResult> partitions) {
        public WritableTxnMarkerResult {
            partitions = List.copyOf(partitions);
        }
    }

    /** One result per marker of the request, in request order. */
    record WriteTxnMarkersResponse(long correlationId, List<WritableTxnMarkerResult> markers) implements TxnMessage {
        public WriteTxnMarkersResponse {
            markers = List.copyOf(markers);
        }

        @Override
        public Kind kind() {
            return Kind.WRITE_TXN_MARKERS_RESPONSE;
        }
    }
}
