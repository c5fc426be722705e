package dev.samsa.impl.protocol;

import dev.samsa.impl.log.EpochEndOffset;
import dev.samsa.impl.log.RecordBatch;
import dev.samsa.impl.node.Message;
import java.util.List;

/**
 * The data-plane requests a broker serves (Kafka's API keys of the same names) and their
 * responses, between clients and brokers and between brokers (follower fetches). Every request
 * carries a {@code correlationId} its response repeats. Per-partition parts are lists in
 * request order. Conventions as in Kafka: -1 for an unknown leader, epoch or offset.
 */
public sealed interface ApiMessage extends Message {

    enum Kind {
        METADATA_REQUEST,
        METADATA_RESPONSE,
        PRODUCE_REQUEST,
        PRODUCE_RESPONSE,
        FETCH_REQUEST,
        FETCH_RESPONSE,
        LIST_OFFSETS_REQUEST,
        LIST_OFFSETS_RESPONSE,
        OFFSETS_FOR_LEADER_EPOCH_REQUEST,
        OFFSETS_FOR_LEADER_EPOCH_RESPONSE,
        INIT_PRODUCER_ID_REQUEST,
        INIT_PRODUCER_ID_RESPONSE
    }

    Kind kind();

    long correlationId();

    // ------------------------------------------------------------------ Metadata

    /** The brokers and the partitions of {@code topics} as the receiving broker's metadata image has them. */
    record MetadataRequest(long correlationId, List<String> topics) implements ApiMessage {
        @Override
        public Kind kind() {
            return Kind.METADATA_REQUEST;
        }
    }

    record PartitionMetadata(TopicPartition tp, Errors error, int leaderId, int leaderEpoch, List<Integer> replicas, List<Integer> isr) {}

    /** {@code aliveBrokers}: registered, unfenced brokers; {@code partitions}: UNKNOWN_TOPIC_OR_PARTITION for a topic not (yet) known. */
    record MetadataResponse(long correlationId, List<Integer> aliveBrokers, List<PartitionMetadata> partitions) implements ApiMessage {
        @Override
        public Kind kind() {
            return Kind.METADATA_RESPONSE;
        }

        @Override
        public int sizeBytes() {
            return 64 + 32 * partitions.size();
        }
    }

    // ------------------------------------------------------------------ Produce

    record PartitionBatch(TopicPartition tp, RecordBatch batch) {}

    /** {@code acks}: 0, 1 or -1 (all). With acks=0 the broker sends no response. */
    /**
     * {@code transactionalId}: the producer's, for a transactional producer (the partition leader
     * verifies its first transactional write with that id's coordinator, KIP-890 part 1); empty otherwise.
     */
    record ProduceRequest(long correlationId, short acks, long timeoutMs, List<PartitionBatch> batches, String transactionalId)
            implements ApiMessage {
        public ProduceRequest {
            transactionalId = transactionalId == null ? "" : transactionalId;
        }

        /** A produce of a non-transactional producer. */
        public ProduceRequest(long correlationId, short acks, long timeoutMs, List<PartitionBatch> batches) {
            this(correlationId, acks, timeoutMs, batches, "");
        }

        @Override
        public Kind kind() {
            return Kind.PRODUCE_REQUEST;
        }

        @Override
        public int sizeBytes() {
            int s = 64;
            for (PartitionBatch b : batches) {
                s += b.batch().sizeBytes();
            }
            return s;
        }
    }

    /** {@code baseOffset}: where the batch went (-1 on error); leader hints on NOT_LEADER_OR_FOLLOWER (KIP-951). */
    record PartitionProduceResponse(TopicPartition tp, Errors error, long baseOffset, long logStartOffset, int currentLeaderId, int currentLeaderEpoch) {}

    record ProduceResponse(long correlationId, List<PartitionProduceResponse> responses) implements ApiMessage {
        @Override
        public Kind kind() {
            return Kind.PRODUCE_RESPONSE;
        }
    }

    // ------------------------------------------------------------------ Fetch

    /**
     * @param currentLeaderEpoch the fetcher's view of the leader epoch (KIP-320), -1 to skip the check
     * @param lastFetchedEpoch epoch of the batch before {@code fetchOffset} in the fetcher's log (KAFKA-10554), -1 if none
     */
    record FetchPartition(TopicPartition tp, int currentLeaderEpoch, long fetchOffset, int lastFetchedEpoch, long logStartOffset, int partitionMaxBytes) {}

    /**
     * A Fetch from a follower ({@code replicaId} ≥ 0, with its broker epoch: KIP-903) or a
     * consumer ({@code replicaId} = -1). The broker holds it up to {@code maxWaitMs} until
     * {@code minBytes} are available.
     */
    record FetchRequest(long correlationId, int replicaId, long replicaEpoch, long maxWaitMs, int minBytes, int maxBytes,
            IsolationLevel isolationLevel, List<FetchPartition> partitions) implements ApiMessage {
        @Override
        public Kind kind() {
            return Kind.FETCH_REQUEST;
        }

        public boolean fromFollower() {
            return replicaId >= 0;
        }
    }

    /** An aborted transaction overlapping the returned range: the consumer drops that producer's batches from {@code firstOffset}. */
    record AbortedTransaction(long producerId, long firstOffset) {}

    /**
     * @param divergingEpoch set (not UNDEFINED) when the fetcher's log diverges: no data, truncate first
     * @param currentLeaderId leader hint on NOT_LEADER_OR_FOLLOWER / FENCED_LEADER_EPOCH (KIP-951), -1 if unknown
     */
    record FetchPartitionResponse(TopicPartition tp, Errors error, long highWatermark, long lastStableOffset, long logStartOffset,
            EpochEndOffset divergingEpoch, int currentLeaderId, int currentLeaderEpoch, List<RecordBatch> batches,
            List<AbortedTransaction> abortedTransactions) {

        public static FetchPartitionResponse error(TopicPartition tp, Errors error, int leaderId, int leaderEpoch) {
            return new FetchPartitionResponse(tp, error, -1, -1, -1, EpochEndOffset.UNDEFINED, leaderId, leaderEpoch, List.of(), List.of());
        }
    }

    record FetchResponse(long correlationId, Errors error, List<FetchPartitionResponse> responses) implements ApiMessage {
        @Override
        public Kind kind() {
            return Kind.FETCH_RESPONSE;
        }

        @Override
        public int sizeBytes() {
            int s = 64;
            for (FetchPartitionResponse r : responses) {
                s += 48;
                for (RecordBatch b : r.batches()) {
                    s += b.sizeBytes();
                }
            }
            return s;
        }
    }

    // ------------------------------------------------------------------ ListOffsets

    /** Kafka's special timestamps: the log start (earliest) and the log end / LSO (latest). */
    long EARLIEST_TIMESTAMP = -2L;
    long LATEST_TIMESTAMP = -1L;

    record ListOffsetsPartition(TopicPartition tp, int currentLeaderEpoch, long timestamp) {}

    record ListOffsetsRequest(long correlationId, int replicaId, IsolationLevel isolationLevel, List<ListOffsetsPartition> partitions) implements ApiMessage {
        @Override
        public Kind kind() {
            return Kind.LIST_OFFSETS_REQUEST;
        }
    }

    record ListOffsetsPartitionResponse(TopicPartition tp, Errors error, long offset, int leaderEpoch) {}

    record ListOffsetsResponse(long correlationId, List<ListOffsetsPartitionResponse> responses) implements ApiMessage {
        @Override
        public Kind kind() {
            return Kind.LIST_OFFSETS_RESPONSE;
        }
    }

    // ------------------------------------------------------------------ OffsetsForLeaderEpoch (KIP-101/279/320)

    record EpochRequestPartition(TopicPartition tp, int currentLeaderEpoch, int leaderEpoch) {}

    record OffsetsForLeaderEpochRequest(long correlationId, int replicaId, List<EpochRequestPartition> partitions) implements ApiMessage {
        @Override
        public Kind kind() {
            return Kind.OFFSETS_FOR_LEADER_EPOCH_REQUEST;
        }
    }

    record EpochResponsePartition(TopicPartition tp, Errors error, EpochEndOffset endOffset) {}

    record OffsetsForLeaderEpochResponse(long correlationId, List<EpochResponsePartition> responses) implements ApiMessage {
        @Override
        public Kind kind() {
            return Kind.OFFSETS_FOR_LEADER_EPOCH_RESPONSE;
        }
    }

    // ------------------------------------------------------------------ InitProducerId (idempotent producer; transactions later)

    /**
     * {@code transactionalId} empty for an idempotent producer; {@code producerId}/{@code producerEpoch} -1 unless recovering
     * (KIP-360); {@code transactionTimeoutMs} the producer's transaction.timeout.ms, -1 without a transactional id.
     */
    record InitProducerIdRequest(long correlationId, String transactionalId, long producerId, short producerEpoch, int transactionTimeoutMs)
            implements ApiMessage {
        public InitProducerIdRequest(long correlationId, String transactionalId, long producerId, short producerEpoch) {
            this(correlationId, transactionalId, producerId, producerEpoch, -1);
        }

        @Override
        public Kind kind() {
            return Kind.INIT_PRODUCER_ID_REQUEST;
        }
    }

    record InitProducerIdResponse(long correlationId, Errors error, long producerId, short producerEpoch) implements ApiMessage {
        @Override
        public Kind kind() {
            return Kind.INIT_PRODUCER_ID_RESPONSE;
        }
    }
}
