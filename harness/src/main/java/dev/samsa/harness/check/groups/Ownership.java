package dev.samsa.harness.check.groups;

import dev.samsa.harness.check.groups.GroupOp.Type;
import dev.samsa.harness.sim.Simulation;
import dev.samsa.spec.invariant.Invariant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * {@code group.single-owner}, judged by generation rather than by wall-clock overlap: a member
 * that was removed from its group (a zombie: paused, cut off) goes on believing it owns its
 * partitions until it hears so, which Kafka allows; what Kafka rules out is
 * <ul>
 *   <li>two different members given the same partition in the same generation;
 *   <li>(cooperative) a partition taken from its rightful owner and given to another member in
 *       the same generation, instead of one generation later (KAFKA-14639);
 *   <li>a commit accepted from a member after the group moved on without it: a later generation
 *       was handed out, or its static instance id was taken over by a new member id (KAFKA-10284).
 * </ul>
 */
final class Ownership {

    private Ownership() {}

    /** One member's view of its ownership, per group and process. */
    private static final class Member {
        long generation = -1; // incarnation-qualified
        String memberId = "";
        TreeSet<Integer> owned = new TreeSet<>();
        TreeSet<Integer> ownedAtJoinStart;
    }

    private record Claim(int process, String memberId, String instanceId, long generation, int partition, GroupOp op) {}

    private record Drop(int process, String memberId, long fromGeneration, long generation, int partition, GroupOp op) {}

    static void check(List<GroupOp> ops, GroupPromise promise, GroupFindings findings) {
        for (String group : promise.groups()) {
            checkGroup(group, ops, promise, findings);
        }
    }

    /**
     * A group that died (Empty, its offsets gone) starts again at generation 1: a generation
     * number below the highest seen (or equal to it, for a dynamic member), after every member had
     * left or died, starts a new incarnation of the group, whose generations are not compared with
     * the old ones'. Returns, per JOINED index, its
     * incarnation-qualified generation ({@code incarnation * 1_000_000 + generation}).
     */
    static TreeMap<Integer, Long> qualifiedGenerations(String group, List<GroupOp> ops) {
        TreeMap<Integer, Long> out = new TreeMap<>();
        TreeSet<Integer> present = new TreeSet<>();
        boolean emptied = false; // every member left or died since the last join: the group may have died
        int incarnation = 0;
        int highest = -1;
        for (GroupOp op : ops) {
            if (!op.group().equals(group)) {
                continue;
            }
            switch (op.type()) {
                case JOIN_STARTED -> present.add(op.process());
                case LEAVE, CRASH -> {
                    present.remove(op.process());
                    emptied |= present.isEmpty();
                }
                case JOINED -> {
                    present.add(op.process());
                    // a static member that rejoins keeps the group's generation (KIP-345: no rebalance), and a
                    // static member's leave or crash does not take it out of the group (its session must expire
                    // first), so an equal generation after it is the same group; a dynamic member always joins a
                    // new generation of a live group
                    boolean sameGenerationOfLiveGroup = op.generation() == highest && !op.instanceId().isEmpty();
                    if (emptied && op.generation() <= highest && !sameGenerationOfLiveGroup) {
                        incarnation++;
                        highest = op.generation();
                    } else {
                        highest = Math.max(highest, op.generation());
                    }
                    emptied = false;
                    out.put(op.index(), incarnation * 1_000_000L + op.generation());
                }
                default -> {}
            }
        }
        return out;
    }

    private static void checkGroup(String group, List<GroupOp> ops, GroupPromise promise, GroupFindings findings) {
        TreeMap<Integer, Long> qgen = qualifiedGenerations(group, ops);
        TreeMap<Integer, Member> members = new TreeMap<>();
        // generation -> partition -> claims
        TreeMap<Long, TreeMap<Integer, List<Claim>>> claims = new TreeMap<>();
        List<Drop> drops = new ArrayList<>();
        List<GroupOp> joins = new ArrayList<>();
        TreeMap<Integer, Long> joinStartNs = new TreeMap<>(); // JOINED index -> when that member began the join
        TreeMap<Integer, Long> startedAt = new TreeMap<>(); // process -> its latest JOIN_STARTED
        for (GroupOp op : ops) {
            if (!op.group().equals(group)) {
                continue;
            }
            Member m = members.computeIfAbsent(op.process(), p -> new Member());
            switch (op.type()) {
                case JOIN_STARTED -> {
                    m.ownedAtJoinStart = new TreeSet<>(m.owned);
                    startedAt.put(op.process(), op.invokeNs());
                }
                case JOINED -> {
                    joins.add(op);
                    joinStartNs.put(op.index(), startedAt.getOrDefault(op.process(), op.completeNs()));
                    long gen = qgen.get(op.index());
                    TreeSet<Integer> before = m.ownedAtJoinStart != null ? m.ownedAtJoinStart : m.owned;
                    // a member back under a new member id was out of the group: it kept no claim
                    if (promise.cooperative() && m.generation >= 0 && m.memberId.equals(op.memberId())) {
                        for (int tp : before) {
                            if (!op.partitions().contains(tp) && !staleClaim(members, op.process(), tp, m.generation, gen)) {
                                drops.add(new Drop(op.process(), m.memberId, m.generation, gen, tp, op));
                            }
                        }
                    }
                    for (int tp : op.partitions()) {
                        claims.computeIfAbsent(gen, g -> new TreeMap<>()).computeIfAbsent(tp, k -> new ArrayList<>())
                                .add(new Claim(op.process(), op.memberId(), op.instanceId(), gen, tp, op));
                    }
                    m.owned = new TreeSet<>(op.partitions());
                    m.ownedAtJoinStart = null;
                    m.generation = gen;
                    m.memberId = op.memberId();
                }
                case REVOKED -> m.owned.removeAll(op.partitions());
                case LOST -> {
                    // lost partitions were never the member's to give in a later round, even if it had started to rejoin
                    List<Integer> lost = op.partitions().isEmpty() ? new ArrayList<>(m.owned) : op.partitions();
                    m.owned.removeAll(lost);
                    if (m.ownedAtJoinStart != null) {
                        m.ownedAtJoinStart.removeAll(lost);
                    }
                }
                case CRASH, LEAVE -> {
                    m.owned.clear();
                    m.ownedAtJoinStart = null;
                    m.generation = -1;
                    m.memberId = "";
                }
                default -> {}
            }
        }
        sameGeneration(group, claims, findings);
        sameRound(group, claims, drops, findings);
        zombieCommits(group, ops, joins, joinStartNs, qgen, findings);
    }

    /** Another member owns {@code tp} under a generation newer than {@code ownGeneration} (but older than the new one): this claim was stale. */
    private static boolean staleClaim(TreeMap<Integer, Member> members, int process, int tp, long ownGeneration, long newGeneration) {
        for (var e : members.entrySet()) {
            Member other = e.getValue();
            if (e.getKey() != process && other.owned.contains(tp) && other.generation > ownGeneration && other.generation < newGeneration) {
                return true;
            }
        }
        return false;
    }

    private static void sameGeneration(String group, TreeMap<Long, TreeMap<Integer, List<Claim>>> claims, GroupFindings findings) {
        claims.forEach((gen, byTp) -> byTp.forEach((tp, cs) -> {
            for (int i = 1; i < cs.size(); i++) {
                Claim a = cs.get(0);
                Claim b = cs.get(i);
                boolean sameInstance = !a.instanceId().isEmpty() && a.instanceId().equals(b.instanceId());
                if (a.process() != b.process() && !sameInstance) {
                    findings.violation(Invariant.GROUP_SINGLE_OWNER, () -> "group " + group + " generation " + a.op().generation() + " gives partition " + tp
                            + " to two members: process " + a.process() + " (" + a.memberId() + ") at " + at(a.op()) + " and process " + b.process()
                            + " (" + b.memberId() + ") at " + at(b.op()));
                    return;
                }
            }
        }));
    }

    private static void sameRound(String group, TreeMap<Long, TreeMap<Integer, List<Claim>>> claims, List<Drop> drops, GroupFindings findings) {
        for (Drop d : drops) {
            List<Claim> cs = claims.getOrDefault(d.generation(), new TreeMap<>()).getOrDefault(d.partition(), List.of());
            for (Claim c : cs) {
                if (c.process() != d.process()) {
                    findings.violation(Invariant.GROUP_SINGLE_OWNER, () -> "group " + group + " partition " + d.partition() + " revoked from process "
                            + d.process() + " (" + d.memberId() + ", owner since generation " + d.fromGeneration() % 1_000_000 + ") and assigned to process "
                            + c.process() + " (" + c.memberId() + ") in the same generation " + d.op().generation() + " (cooperative: it must wait one round) at "
                            + at(d.op()) + " and " + at(c.op()));
                    break;
                }
            }
        }
    }

    /**
     * An acknowledged commit from a member whose generation, or static instance id, had already passed to others when it was sent.
     * A static instance passes to another member id when the coordinator handles that member's JoinGroup, somewhere between the
     * start of its join and its completion; the takeover is certain to follow the committer's own only if it began after the
     * committer's join completed (two joins of one instance that overlap — a zombie's answer delayed on a clogged link — are
     * ordered by the coordinator alone, and its FENCED_INSTANCE_ID answers tell which one lost).
     */
    private static void zombieCommits(String group, List<GroupOp> ops, List<GroupOp> joins, TreeMap<Integer, Long> joinStartNs,
            TreeMap<Integer, Long> qgen, GroupFindings findings) {
        for (GroupOp c : ops) {
            if (c.type() != Type.COMMIT || !c.group().equals(group) || c.outcome() != GroupOp.Outcome.OK || c.generation() < 0) {
                continue;
            }
            long ownJoinNs = -1; // when the committing member got its member id: only a later takeover fences it
            long ownGen = -1; // and its generation, qualified by the group's incarnation
            for (GroupOp j : joins) {
                if (j.completeNs() >= c.invokeNs()) {
                    break;
                }
                if (j.process() == c.process() && j.memberId().equals(c.memberId())) {
                    ownJoinNs = j.completeNs();
                    ownGen = qgen.get(j.index()) - j.generation() + c.generation();
                }
            }
            if (ownGen < 0) {
                continue; // no join of the committing member seen: nothing to compare with
            }
            for (GroupOp j : joins) {
                if (j.completeNs() >= c.invokeNs()) {
                    break; // joins are in completion order
                }
                long jGen = qgen.get(j.index());
                boolean newerGeneration = jGen > ownGen && j.completeNs() > ownJoinNs;
                boolean instanceTaken = !c.instanceId().isEmpty() && c.instanceId().equals(j.instanceId()) && !c.memberId().equals(j.memberId())
                        && jGen >= ownGen && j.process() != c.process() && joinStartNs.get(j.index()) > ownJoinNs;
                if (newerGeneration || instanceTaken) {
                    String why = newerGeneration ? "process " + j.process() + " had joined generation " + j.generation()
                            : "its instance " + c.instanceId() + " had rejoined as " + j.memberId() + " on process " + j.process();
                    findings.violation(Invariant.GROUP_SINGLE_OWNER, () -> "group " + group + ": the commit of process " + c.process() + " ("
                            + c.memberId() + ", generation " + c.generation() + ") " + offsets(c) + " sent at " + Simulation.formatTime(c.invokeNs())
                            + " [#" + c.index() + "] was accepted, though " + why + " at " + at(j));
                    break;
                }
            }
        }
    }

    static String at(GroupOp op) {
        return Simulation.formatTime(op.completeNs()) + " [#" + op.index() + "]";
    }

    static String offsets(GroupOp op) {
        StringBuilder b = new StringBuilder("{");
        for (GroupOp.Offset o : op.offsets()) {
            b.append(b.length() > 1 ? ", " : "").append(o.partition()).append('=').append(o.offset());
        }
        return b.append('}').toString();
    }
}
