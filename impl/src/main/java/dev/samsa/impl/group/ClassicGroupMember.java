package dev.samsa.impl.group;

import dev.samsa.impl.protocol.GroupMessage.Assignment;
import dev.samsa.impl.protocol.GroupMessage.JoinGroupProtocol;
import dev.samsa.impl.protocol.GroupMessage.Subscription;
import java.util.ArrayList;
import java.util.List;

/** A member of a classic group (Kafka's ClassicGroupMember / MemberMetadata). */
public final class ClassicGroupMember {

    private String memberId;
    private final String groupInstanceId;
    long rebalanceTimeoutMs;
    long sessionTimeoutMs;
    final String protocolType;
    List<JoinGroupProtocol> protocols;
    Assignment assignment = Assignment.EMPTY;
    /** The JoinGroup waiting for the join phase to end; null when none. */
    Responder awaitingJoin;
    /** The SyncGroup waiting for the leader's assignment; null when none. */
    Responder awaitingSync;
    /** Joined in the current join phase and not yet part of a generation (KIP-394's new-member timeout). */
    boolean isNew;

    ClassicGroupMember(String memberId, String groupInstanceId, long rebalanceTimeoutMs, long sessionTimeoutMs, String protocolType,
            List<JoinGroupProtocol> protocols) {
        this.memberId = memberId;
        this.groupInstanceId = groupInstanceId;
        this.rebalanceTimeoutMs = rebalanceTimeoutMs;
        this.sessionTimeoutMs = sessionTimeoutMs;
        this.protocolType = protocolType;
        this.protocols = List.copyOf(protocols);
    }

    public String memberId() {
        return memberId;
    }

    void setMemberId(String memberId) {
        this.memberId = memberId;
    }

    /** Null for a dynamic member. */
    public String groupInstanceId() {
        return groupInstanceId;
    }

    public boolean isStatic() {
        return groupInstanceId != null;
    }

    public long sessionTimeoutMs() {
        return sessionTimeoutMs;
    }

    public long rebalanceTimeoutMs() {
        return rebalanceTimeoutMs;
    }

    public Assignment assignment() {
        return assignment;
    }

    public List<JoinGroupProtocol> protocols() {
        return protocols;
    }

    public boolean isAwaitingJoin() {
        return awaitingJoin != null;
    }

    public boolean isAwaitingSync() {
        return awaitingSync != null;
    }

    /** The member's subscription under {@code protocol}, or null if it does not support it. */
    public Subscription subscription(String protocol) {
        for (JoinGroupProtocol p : protocols) {
            if (p.name().equals(protocol)) {
                return p.subscription();
            }
        }
        return null;
    }

    List<String> protocolNames() {
        List<String> out = new ArrayList<>();
        for (JoinGroupProtocol p : protocols) {
            out.add(p.name());
        }
        return out;
    }

    /** Same protocols with the same subscriptions, in the same order (Kafka's member.matches). */
    boolean matches(List<JoinGroupProtocol> other) {
        return protocols.equals(other);
    }

    @Override
    public String toString() {
        return memberId + (groupInstanceId == null ? "" : "(" + groupInstanceId + ")");
    }
}
