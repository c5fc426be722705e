package dev.samsa.impl.group;

import dev.samsa.impl.protocol.GroupMessage.JoinGroupProtocol;
import dev.samsa.impl.protocol.GroupMessage.Subscription;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A group of the classic protocol (Kafka's ClassicGroup): its state, generation, chosen
 * protocol, leader and members. Members are kept in join order, so a new leader (the oldest
 * remaining member) is chosen the same way on every JVM.
 */
public final class ClassicGroup {

    /** Kafka's consumer protocol type; only its subscriptions name topics (for offset expiry). */
    public static final String CONSUMER_PROTOCOL_TYPE = "consumer";

    private final String groupId;
    private ClassicGroupState state;
    /** Wall-clock ms of the last state change (Kafka's currentStateTimestamp); -1 when unknown. */
    private long stateTimestampMs;
    int generationId;
    /** Null until a member joined (a simple group that only commits offsets has none). */
    String protocolType;
    String protocolName;
    String leaderId;
    private final LinkedHashMap<String, ClassicGroupMember> members = new LinkedHashMap<>();
    private final TreeMap<String, String> staticMembers = new TreeMap<>();
    /** Members that got MEMBER_ID_REQUIRED and have not joined with their id yet. */
    final TreeSet<String> pendingMembers = new TreeSet<>();
    /** Members of the current generation that have not sent SyncGroup yet. */
    final TreeSet<String> pendingSyncMembers = new TreeSet<>();
    /** The join phase is in group.initial.rebalance.delay.ms (Kafka's InitialDelayedJoin). */
    boolean initialDelayActive;
    boolean newMemberAdded;
    long initialDelayRemainingMs;

    ClassicGroup(String groupId, ClassicGroupState state, long nowMs) {
        this.groupId = groupId;
        this.state = state;
        this.stateTimestampMs = nowMs;
    }

    public String groupId() {
        return groupId;
    }

    public ClassicGroupState state() {
        return state;
    }

    public boolean is(ClassicGroupState s) {
        return state == s;
    }

    public long stateTimestampMs() {
        return stateTimestampMs;
    }

    void setStateTimestampMs(long ms) {
        this.stateTimestampMs = ms;
    }

    public int generationId() {
        return generationId;
    }

    public String protocolType() {
        return protocolType;
    }

    public String protocolName() {
        return protocolName;
    }

    public String leaderId() {
        return leaderId;
    }

    /** The members in join order (read-only). */
    public Map<String, ClassicGroupMember> members() {
        return Collections.unmodifiableMap(members);
    }

    public ClassicGroupMember member(String memberId) {
        return members.get(memberId);
    }

    public boolean has(String memberId) {
        return members.containsKey(memberId);
    }

    /** The member id of static instance {@code groupInstanceId}, or null. */
    public String staticMemberId(String groupInstanceId) {
        return staticMembers.get(groupInstanceId);
    }

    void transitionTo(ClassicGroupState next, long nowMs) {
        state = next;
        stateTimestampMs = nowMs;
    }

    void add(ClassicGroupMember m) {
        if (members.isEmpty()) {
            protocolType = m.protocolType;
        }
        members.put(m.memberId(), m);
        if (m.isStatic()) {
            staticMembers.put(m.groupInstanceId(), m.memberId());
        }
        if (leaderId == null) {
            leaderId = m.memberId();
        }
    }

    void remove(String memberId) {
        ClassicGroupMember m = members.remove(memberId);
        pendingSyncMembers.remove(memberId);
        if (m != null && m.isStatic() && memberId.equals(staticMembers.get(m.groupInstanceId()))) {
            staticMembers.remove(m.groupInstanceId());
        }
        if (memberId.equals(leaderId)) {
            leaderId = members.isEmpty() ? null : members.keySet().iterator().next();
        }
    }

    /** KIP-345: the static member {@code instanceId} continues under {@code newMemberId}; the caller fences the old one's requests. */
    ClassicGroupMember replaceStaticMember(String instanceId, String oldMemberId, String newMemberId) {
        ClassicGroupMember m = members.get(oldMemberId);
        // the new id takes the old one's place in the join order
        LinkedHashMap<String, ClassicGroupMember> rebuilt = new LinkedHashMap<>();
        for (var e : members.entrySet()) {
            rebuilt.put(e.getKey().equals(oldMemberId) ? newMemberId : e.getKey(), e.getValue());
        }
        members.clear();
        members.putAll(rebuilt);
        m.setMemberId(newMemberId);
        if (oldMemberId.equals(leaderId)) {
            leaderId = newMemberId;
        }
        if (pendingSyncMembers.remove(oldMemberId)) {
            pendingSyncMembers.add(newMemberId);
        }
        staticMembers.put(instanceId, newMemberId);
        return m;
    }

    /** A static instance's request carries a member id other than the instance's current one (Kafka's isStaticMemberFenced). */
    boolean isStaticMemberFenced(String groupInstanceId, String memberId) {
        if (groupInstanceId == null) {
            return false;
        }
        String current = staticMembers.get(groupInstanceId);
        return current != null && !current.equals(memberId);
    }

    boolean hasAllMembersJoined() {
        int awaiting = 0;
        for (ClassicGroupMember m : members.values()) {
            if (m.isAwaitingJoin()) {
                awaiting++;
            }
        }
        return awaiting == members.size() && pendingMembers.isEmpty();
    }

    /** The join phase's deadline: the largest rebalance timeout of the members. */
    long rebalanceTimeoutMs() {
        long max = 0;
        for (ClassicGroupMember m : members.values()) {
            max = Math.max(max, m.rebalanceTimeoutMs);
        }
        return max;
    }

    /**
     * Kafka's supportsProtocols: an empty group takes any protocol type; else the same type and a protocol that
     * every current member supports. With no members left (all left during a join phase that has not completed
     * yet, the group is PreparingRebalance but not Empty) every protocol qualifies, as Kafka counts supporters
     * against the member count (0 == 0); refusing here is fatal to the joining consumer.
     */
    boolean supportsProtocols(String memberProtocolType, List<JoinGroupProtocol> protocols) {
        if (state == ClassicGroupState.EMPTY) {
            return memberProtocolType != null && !memberProtocolType.isEmpty() && !protocols.isEmpty();
        }
        if (protocolType == null || !protocolType.equals(memberProtocolType)) {
            return false;
        }
        if (members.isEmpty()) {
            return true;
        }
        TreeSet<String> common = candidateProtocols();
        for (JoinGroupProtocol p : protocols) {
            if (common.contains(p.name())) {
                return true;
            }
        }
        return false;
    }

    private TreeSet<String> candidateProtocols() {
        TreeSet<String> common = null;
        for (ClassicGroupMember m : members.values()) {
            TreeSet<String> names = new TreeSet<>(m.protocolNames());
            if (common == null) {
                common = names;
            } else {
                common.retainAll(names);
            }
        }
        return common == null ? new TreeSet<>() : common;
    }

    /**
     * Kafka's selectProtocol: among the protocols every member supports, each member votes for its
     * most preferred; the most votes win (ties: the smallest name, to stay deterministic).
     */
    String selectProtocol() {
        TreeSet<String> candidates = candidateProtocols();
        TreeMap<String, Integer> votes = new TreeMap<>();
        for (ClassicGroupMember m : members.values()) {
            for (String n : m.protocolNames()) {
                if (candidates.contains(n)) {
                    votes.merge(n, 1, Integer::sum);
                    break;
                }
            }
        }
        String best = null;
        for (var e : votes.entrySet()) {
            if (best == null || e.getValue() > votes.get(best)) {
                best = e.getKey();
            }
        }
        return best;
    }

    /** Kafka's maybeElectNewJoinedLeader: a leader that did not rejoin is replaced by one that did; false if none did. */
    boolean maybeElectNewJoinedLeader() {
        if (leaderId == null) {
            return false;
        }
        ClassicGroupMember leader = members.get(leaderId);
        if (leader != null && leader.isAwaitingJoin()) {
            return true;
        }
        for (ClassicGroupMember m : members.values()) {
            if (m.isAwaitingJoin()) {
                leaderId = m.memberId();
                return true;
            }
        }
        return false;
    }

    /** The next generation: CompletingRebalance with a chosen protocol, or Empty when no member is left. */
    void initNextGeneration(long nowMs) {
        generationId++;
        if (!members.isEmpty()) {
            protocolName = selectProtocol();
            transitionTo(ClassicGroupState.COMPLETING_REBALANCE, nowMs);
        } else {
            protocolName = null;
            transitionTo(ClassicGroupState.EMPTY, nowMs);
        }
        pendingSyncMembers.clear();
    }

    /** The topics the members subscribe to under the chosen consumer protocol; null when unknown (Kafka's subscribedTopics). */
    TreeSet<String> subscribedTopics() {
        if (!CONSUMER_PROTOCOL_TYPE.equals(protocolType) || protocolName == null) {
            return null;
        }
        TreeSet<String> topics = new TreeSet<>();
        for (ClassicGroupMember m : members.values()) {
            Subscription s = m.subscription(protocolName);
            if (s != null) {
                topics.addAll(s.topics());
            }
        }
        return topics;
    }

    @Override
    public String toString() {
        return groupId + "[" + state + " gen " + generationId + " leader " + leaderId + " members " + members.values() + "]";
    }
}
