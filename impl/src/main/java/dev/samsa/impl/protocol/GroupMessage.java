package dev.samsa.impl.protocol;

import dev.samsa.impl.node.Message;
import java.util.List;

/**
 * The requests a consumer sends to find and talk to its group coordinator (Kafka's
 * FindCoordinator, JoinGroup, SyncGroup, Heartbeat, LeaveGroup, OffsetCommit and OffsetFetch of
 * the classic protocol) and their responses. Every request carries a {@code correlationId} its
 * response repeats. As in Kafka, the coordinator treats the subscription and assignment as the
 * consumer protocol's payload: it stores and forwards them, only the group leader's assignor
 * reads them. {@code groupInstanceId} is null for a dynamic member (KIP-345).
 */
public sealed interface GroupMessage extends Message {

    /** Kafka's UNKNOWN_MEMBER_ID: the empty member id of a member joining for the first time. */
    String UNKNOWN_MEMBER_ID = "";
    /** The generation of a member outside any generation (and of simple, group-less commits). */
    int NO_GENERATION = -1;

    enum Kind {
        FIND_COORDINATOR_REQUEST,
        FIND_COORDINATOR_RESPONSE,
        JOIN_GROUP_REQUEST,
        JOIN_GROUP_RESPONSE,
        SYNC_GROUP_REQUEST,
        SYNC_GROUP_RESPONSE,
        HEARTBEAT_REQUEST,
        HEARTBEAT_RESPONSE,
        LEAVE_GROUP_REQUEST,
        LEAVE_GROUP_RESPONSE,
        OFFSET_COMMIT_REQUEST,
        OFFSET_COMMIT_RESPONSE,
        OFFSET_FETCH_REQUEST,
        OFFSET_FETCH_RESPONSE
    }

    Kind kind();

    long correlationId();

    // ------------------------------------------------------------------ consumer protocol payloads

    /**
     * A member's subscription (Kafka's ConsumerProtocolSubscription): the topics, the partitions
     * it owns now (cooperative protocol, KIP-429) and the generation in which it owned them
     * (KIP-792; -1 if unknown).
     */
    record Subscription(List<String> topics, List<TopicPartition> ownedPartitions, int generationId) {
        public Subscription {
            topics = List.copyOf(topics);
            ownedPartitions = List.copyOf(ownedPartitions);
        }
    }

    /** A member's assignment (Kafka's ConsumerProtocolAssignment). */
    record Assignment(List<TopicPartition> partitions) {
        public static final Assignment EMPTY = new Assignment(List.of());

        public Assignment {
            partitions = List.copyOf(partitions);
        }
    }

    // ------------------------------------------------------------------ FindCoordinator

    enum CoordinatorType {
        GROUP,
        TRANSACTION
    }

    /** Which broker coordinates {@code key} (a group id or a transactional id); any broker answers. */
    record FindCoordinatorRequest(long correlationId, CoordinatorType keyType, String key) implements GroupMessage {
        @Override
        public Kind kind() {
            return Kind.FIND_COORDINATOR_REQUEST;
        }
    }

    /** {@code nodeId}: the leader of the key's internal-topic partition; COORDINATOR_NOT_AVAILABLE while it has none. */
    record FindCoordinatorResponse(long correlationId, Errors error, int nodeId) implements GroupMessage {
        @Override
        public Kind kind() {
            return Kind.FIND_COORDINATOR_RESPONSE;
        }
    }

    // ------------------------------------------------------------------ JoinGroup

    /** One protocol (assignor) a member supports, in its order of preference, with its subscription. */
    record JoinGroupProtocol(String name, Subscription subscription) {}

    record JoinGroupRequest(long correlationId, String groupId, long sessionTimeoutMs, long rebalanceTimeoutMs, String memberId,
            String groupInstanceId, String protocolType, List<JoinGroupProtocol> protocols, String reason) implements GroupMessage {
        public JoinGroupRequest {
            protocols = List.copyOf(protocols);
        }

        @Override
        public Kind kind() {
            return Kind.JOIN_GROUP_REQUEST;
        }
    }

    /** A member of the new generation, as the leader sees it: its subscription under the chosen protocol. */
    record JoinGroupMember(String memberId, String groupInstanceId, Subscription subscription) {}

    /**
     * {@code members} is filled for the leader only. MEMBER_ID_REQUIRED carries the id to join
     * with. {@code skipAssignment}: a static leader rejoining a stable group gets the members but
     * must not compute a new assignment (KIP-814).
     */
    record JoinGroupResponse(long correlationId, Errors error, int generationId, String protocolName, String leader,
            boolean skipAssignment, String memberId, List<JoinGroupMember> members) implements GroupMessage {
        public JoinGroupResponse {
            members = List.copyOf(members);
        }

        @Override
        public Kind kind() {
            return Kind.JOIN_GROUP_RESPONSE;
        }

        @Override
        public int sizeBytes() {
            return 64 + 48 * members.size();
        }
    }

    // ------------------------------------------------------------------ SyncGroup

    record SyncGroupAssignment(String memberId, Assignment assignment) {}

    /** Followers send no assignments; the leader sends one per member. */
    record SyncGroupRequest(long correlationId, String groupId, int generationId, String memberId, String groupInstanceId,
            String protocolName, List<SyncGroupAssignment> assignments) implements GroupMessage {
        public SyncGroupRequest {
            assignments = List.copyOf(assignments);
        }

        @Override
        public Kind kind() {
            return Kind.SYNC_GROUP_REQUEST;
        }
    }

    record SyncGroupResponse(long correlationId, Errors error, String protocolName, Assignment assignment) implements GroupMessage {
        @Override
        public Kind kind() {
            return Kind.SYNC_GROUP_RESPONSE;
        }
    }

    // ------------------------------------------------------------------ Heartbeat

    record HeartbeatRequest(long correlationId, String groupId, int generationId, String memberId, String groupInstanceId) implements GroupMessage {
        @Override
        public Kind kind() {
            return Kind.HEARTBEAT_REQUEST;
        }
    }

    /** REBALANCE_IN_PROGRESS tells a member of the current generation to rejoin. */
    record HeartbeatResponse(long correlationId, Errors error) implements GroupMessage {
        @Override
        public Kind kind() {
            return Kind.HEARTBEAT_RESPONSE;
        }
    }

    // ------------------------------------------------------------------ LeaveGroup

    record MemberIdentity(String memberId, String groupInstanceId) {}

    record LeaveGroupRequest(long correlationId, String groupId, List<MemberIdentity> members) implements GroupMessage {
        public LeaveGroupRequest {
            members = List.copyOf(members);
        }

        @Override
        public Kind kind() {
            return Kind.LEAVE_GROUP_REQUEST;
        }
    }

    record LeaveGroupResponse(long correlationId, Errors error) implements GroupMessage {
        @Override
        public Kind kind() {
            return Kind.LEAVE_GROUP_RESPONSE;
        }
    }

    // ------------------------------------------------------------------ OffsetCommit / OffsetFetch

    /** {@code leaderEpoch}: the epoch of the last consumed record (KIP-320), -1 if unknown; {@code metadata}: free text. */
    record OffsetCommitPartition(TopicPartition tp, long offset, int leaderEpoch, String metadata) {}

    /**
     * A commit by a member of {@code generationId}; a simple (group-less, assign-only) consumer
     * commits with generation -1 and an empty member id, accepted only while the group is empty.
     */
    record OffsetCommitRequest(long correlationId, String groupId, int generationId, String memberId, String groupInstanceId,
            List<OffsetCommitPartition> partitions) implements GroupMessage {
        public OffsetCommitRequest {
            partitions = List.copyOf(partitions);
        }

        @Override
        public Kind kind() {
            return Kind.OFFSET_COMMIT_REQUEST;
        }
    }

    record OffsetCommitPartitionResponse(TopicPartition tp, Errors error) {}

    record OffsetCommitResponse(long correlationId, List<OffsetCommitPartitionResponse> responses) implements GroupMessage {
        public OffsetCommitResponse {
            responses = List.copyOf(responses);
        }

        @Override
        public Kind kind() {
            return Kind.OFFSET_COMMIT_RESPONSE;
        }
    }

    /**
     * The committed offsets of {@code partitions}, or of every partition the group has an offset
     * for when the list is empty. {@code requireStable}: answer UNSTABLE_OFFSET_COMMIT for a
     * partition with a pending transactional commit (KIP-447).
     */
    record OffsetFetchRequest(long correlationId, String groupId, List<TopicPartition> partitions, boolean requireStable) implements GroupMessage {
        public OffsetFetchRequest {
            partitions = List.copyOf(partitions);
        }

        @Override
        public Kind kind() {
            return Kind.OFFSET_FETCH_REQUEST;
        }
    }

    /** {@code offset} -1 when the group has no committed offset for the partition. */
    record OffsetFetchPartition(TopicPartition tp, long offset, int leaderEpoch, String metadata, Errors error) {}

    /** Group-level errors (NOT_COORDINATOR, COORDINATOR_LOAD_IN_PROGRESS...) in {@code error}. */
    record OffsetFetchResponse(long correlationId, Errors error, List<OffsetFetchPartition> partitions) implements GroupMessage {
        public OffsetFetchResponse {
            partitions = List.copyOf(partitions);
        }

        @Override
        public Kind kind() {
            return Kind.OFFSET_FETCH_RESPONSE;
        }
    }
}
