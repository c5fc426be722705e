package dev.samsa.impl.controller;

import dev.samsa.impl.node.Message;
import dev.samsa.impl.protocol.Errors;
import dev.samsa.impl.protocol.TopicPartition;
import dev.samsa.impl.raft.LogEntry;
import java.util.List;
import java.util.OptionalInt;

/**
 * Requests to the active controller and their responses: broker lifecycle (KIP-631) and the
 * kraft workload's metadata writes and reads. NOT_CONTROLLER always names the leader the
 * receiver knows, if any, and always means "not done by me".
 */
public sealed interface ControllerMessage extends Message {

    enum Kind {
        WRITE_REQUEST,
        WRITE_RESPONSE,
        READ_REQUEST,
        READ_RESPONSE,
        REGISTRATION_REQUEST,
        REGISTRATION_RESPONSE,
        HEARTBEAT_REQUEST,
        HEARTBEAT_RESPONSE,
        CREATE_TOPICS_REQUEST,
        CREATE_TOPICS_RESPONSE,
        ALTER_PARTITION_REQUEST,
        ALTER_PARTITION_RESPONSE
    }

    Kind kind();

    /** Append a client record; answered only once it is committed (or NOT_CONTROLLER at once). */
    record WriteMetadataRequest(long writeId, int clientId, String payload) implements ControllerMessage {
        @Override
        public Kind kind() {
            return Kind.WRITE_REQUEST;
        }
    }

    record WriteMetadataResponse(long writeId, Errors error, long offset, OptionalInt leaderHint) implements ControllerMessage {
        @Override
        public Kind kind() {
            return Kind.WRITE_RESPONSE;
        }
    }

    /** Committed entries from {@code fromOffset}. */
    record ReadMetadataRequest(long requestId, long fromOffset, int maxRecords) implements ControllerMessage {
        @Override
        public Kind kind() {
            return Kind.READ_REQUEST;
        }
    }

    record ReadMetadataResponse(long requestId, Errors error, List<LogEntry> entries, long highWatermark, OptionalInt leaderHint)
            implements ControllerMessage {
        @Override
        public Kind kind() {
            return Kind.READ_RESPONSE;
        }

        @Override
        public int sizeBytes() {
            return 64 + 48 * entries.size();
        }
    }

    record BrokerRegistrationRequest(int brokerId, long incarnationId) implements ControllerMessage {
        @Override
        public Kind kind() {
            return Kind.REGISTRATION_REQUEST;
        }
    }

    /**
     * {@code incarnationId} repeats the request's: in Kafka the answer travels on the connection of
     * the process that asked, so a restarted broker never sees its predecessor's; here channels
     * outlive processes, so the broker matches the id instead.
     */
    record BrokerRegistrationResponse(Errors error, long brokerEpoch, OptionalInt leaderHint, long incarnationId) implements ControllerMessage {
        @Override
        public Kind kind() {
            return Kind.REGISTRATION_RESPONSE;
        }
    }

    /** {@code metadataOffset}: the last metadata offset the broker has applied. */
    record BrokerHeartbeatRequest(int brokerId, long brokerEpoch, long metadataOffset) implements ControllerMessage {
        @Override
        public Kind kind() {
            return Kind.HEARTBEAT_REQUEST;
        }
    }

    record BrokerHeartbeatResponse(Errors error, boolean fenced, OptionalInt leaderHint) implements ControllerMessage {
        @Override
        public Kind kind() {
            return Kind.HEARTBEAT_RESPONSE;
        }
    }

    /**
     * CreateTopics: the active controller places {@code replicationFactor} replicas of each
     * partition across the unfenced brokers and answers once the records are committed.
     * TOPIC_ALREADY_EXISTS for a second creation (a retried request is answered NONE if it
     * created the same topic).
     */
    record CreateTopicsRequest(long requestId, String topic, int numPartitions, int replicationFactor) implements ControllerMessage {
        @Override
        public Kind kind() {
            return Kind.CREATE_TOPICS_REQUEST;
        }
    }

    record CreateTopicsResponse(long requestId, Errors error, OptionalInt leaderHint) implements ControllerMessage {
        @Override
        public Kind kind() {
            return Kind.CREATE_TOPICS_RESPONSE;
        }
    }

    /** A replica in a proposed ISR, with the broker epoch the leader saw in its fetches (KIP-903). */
    record BrokerState(int brokerId, long brokerEpoch) {}

    /**
     * AlterPartition (KIP-497): the leader {@code brokerId} of {@code tp} proposes a new ISR. Accepted
     * only if {@code leaderEpoch} and {@code partitionEpoch} are current, and every new member is
     * registered, unfenced (KIP-841) and at the given broker epoch (KIP-903).
     */
    record AlterPartitionRequest(int brokerId, long brokerEpoch, TopicPartition tp, int leaderEpoch, int partitionEpoch, List<BrokerState> newIsr)
            implements ControllerMessage {
        @Override
        public Kind kind() {
            return Kind.ALTER_PARTITION_REQUEST;
        }
    }

    /**
     * The partition's state after the change (or its current state with the error:
     * FENCED_LEADER_EPOCH, INVALID_UPDATE_VERSION, INELIGIBLE_REPLICA, NOT_CONTROLLER,
     * UNKNOWN_TOPIC_OR_PARTITION).
     */
    record AlterPartitionResponse(TopicPartition tp, Errors error, int leader, int leaderEpoch, List<Integer> isr, int partitionEpoch, OptionalInt leaderHint)
            implements ControllerMessage {
        @Override
        public Kind kind() {
            return Kind.ALTER_PARTITION_RESPONSE;
        }
    }
}
