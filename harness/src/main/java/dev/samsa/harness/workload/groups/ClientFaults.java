package dev.samsa.harness.workload.groups;

import dev.samsa.harness.fault.FaultChain;
import dev.samsa.harness.fault.FaultTrigger;
import dev.samsa.harness.sim.CrashKind;
import dev.samsa.harness.sim.Simulation;
import dev.samsa.impl.node.RandomStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The groups workload's client faults, during the fault phase only, at exponential intervals of
 * mean {@code sim.group.client.faults.ms} from their own random stream: a member is killed and
 * restarts 0.5-5 s later as a new consumer (the same {@code group.instance.id} when static),
 * leaves its group and rejoins 1-5 s later, or stops polling — past {@code max.poll.interval.ms}
 * when that is short enough to fit the run, briefly otherwise; with static members, a member is
 * also paused while a new process takes over its {@code group.instance.id}, then resumed as a
 * zombie (KAFKA-10284's schedule); or every member of a group leaves for 5-12 s, leaving it
 * Empty (KAFKA-8069's schedule) — when the expiry sweep is frequent, half of these leaves last
 * past a coordinator fail-over that they ask the nemesis for ({@code fault.trigger.group-empty}:
 * the group's {@code __consumer_offsets} leader, 2 s after the leave) and two sweeps after it,
 * counted also as {@code fault.client-group-leave.failover}. In dynamic cooperative groups, on
 * their own chain, a member leaves and the followers' JoinGroup answers of the round that starts
 * are lost with their connection, once the member came back and started the next round: they
 * rejoin at their old generation with their partitions while the leader moved on
 * ({@code fault.client-join-lost}, KAFKA-14639's schedule; {@code fault.client-join-lost.held}
 * per answer held). Others are counted as {@code fault.client-crash},
 * {@code fault.client-leave}, {@code fault.client-group-leave}, {@code fault.client-stall} or
 * {@code fault.client-zombie}.
 */
final class ClientFaults {

    private final Simulation sim;
    private final GroupsRun run;
    private final RandomStream random;
    /** Draws of the targeted variants: their own stream, so they never shift the ordinary faults' draws. */
    private final RandomStream targeted;
    private long endNs;
    private long lastFaultEndNs = -1;
    private long joinLostUntilNs = -1;

    /** Whole-group leaves that also ask the nemesis to fail the group's coordinator over, when the expiry sweep is frequent. */
    static final double FAILOVER_PROBABILITY = 0.5;
    /** The sweep interval up to which such a leave fits in a run (swarm: 5000 or 600000). */
    static final long MAX_FAILOVER_CHECK_MS = 10_000;
    /** From the leave to the trigger: the members' revocation commits and LeaveGroups go through first. */
    static final long LEAVE_SETTLE_NANOS = 2_000_000_000L;
    /** A fail-over: the outage (up to 15 s) and the broker's fencing and the election, then the load. */
    static final long FAILOVER_NANOS = 20_000_000_000L;
    static final long FAILOVER_SPREAD_NANOS = 10_000_000_000L;

    static final String COOPERATIVE_STICKY = "cooperative-sticky";
    /** After the other member's rejoin: time for its JoinGroup to reach the coordinator and restart the rebalance. */
    static final long JOIN_LOST_MARGIN_NANOS = 500_000_000L;
    static final long JOIN_LOST_SPREAD_NANOS = 2_000_000_000L;
    /** When the delayed member's answer never comes (it became the leader...), the other comes back after this and a heartbeat. */
    static final long JOIN_LOST_FALLBACK_NANOS = 8_000_000_000L;
    /** Mean interval of the join-lost fault in dynamic cooperative groups, during the fault phase. */
    static final long JOIN_LOST_MEAN_MS = 10_000;

    ClientFaults(Simulation sim, GroupsRun run) {
        this.sim = sim;
        this.run = run;
        this.random = sim.stream("group-client-faults");
        this.targeted = sim.stream("group-client-faults:targeted");
    }

    void start(long phaseNanos) {
        long meanMs = sim.settings().getLong("sim.group.client.faults.ms");
        if (meanMs <= 0) {
            return;
        }
        endNs = sim.nowNanos() + phaseNanos;
        next(meanMs);
        if (cooperative() && !run.base.staticMembership()) {
            nextSyncDelay();
        }
    }

    /** The join-lost fault has its own chain, at exponential intervals of mean {@code JOIN_LOST_MEAN_MS}. */
    private void nextSyncDelay() {
        long delay = (long) (targeted.nextExponential(JOIN_LOST_MEAN_MS) * 1_000_000L);
        if (sim.nowNanos() + delay > endNs) {
            return;
        }
        sim.schedule(delay, () -> {
            List<Integer> owners = new ArrayList<>();
            for (var e : run.members.entrySet()) {
                if (sim.state(e.getKey()) == Simulation.NodeState.UP && sim.node(e.getKey()).orElse(null) == e.getValue() && e.getValue().ownsPartitions()) {
                    owners.add(e.getKey());
                }
            }
            if (!owners.isEmpty()) {
                int id = owners.get(targeted.nextInt(owners.size()));
                if (joinLost(id, run.members.get(id), sim.nowNanos())) {
                    sim.count("fault.client-join-lost");
                }
            }
            nextSyncDelay();
        });
    }

    private void next(long meanMs) {
        FaultChain.start(sim, random, meanMs, endNs, () -> true, this::inject);
    }

    private void inject() {
        List<Integer> up = new ArrayList<>();
        for (int id : run.members.keySet()) {
            if (sim.state(id) == Simulation.NodeState.UP) {
                up.add(id);
            }
        }
        if (up.isEmpty()) {
            return;
        }
        int id = up.get(random.nextInt(up.size()));
        GroupMember m = run.members.get(id);
        if (sim.node(id).orElse(null) != m || m.fatal()) {
            return;
        }
        int kind = random.nextInt(10);
        long now = sim.nowNanos();
        if (kind < 2 && run.base.staticMembership() && run.replacements.containsKey(id)) {
            // KAFKA-10284's schedule: pause the member, start a new process with its group.instance.id, resume the old one later
            long pauseNs = random.nextLong(3_000_000_000L, 10_000_000_000L);
            m.paused(pauseNs);
            sim.pause(id);
            sim.count("fault.client-zombie");
            run.startReplacement(id);
            lastFaultEndNs = Math.max(lastFaultEndNs, now + pauseNs);
            sim.schedule(pauseNs, () -> {
                if (sim.state(id) == Simulation.NodeState.PAUSED) {
                    sim.resume(id);
                }
            });
        } else if (kind < 5) {
            long downNs = random.nextLong(500_000_000L, 5_000_000_000L);
            m.abandon();
            sim.crash(id, CrashKind.KILL);
            sim.count("fault.client-crash");
            lastFaultEndNs = Math.max(lastFaultEndNs, now + downNs);
            sim.schedule(downNs, () -> {
                if (sim.state(id) == Simulation.NodeState.DOWN) {
                    sim.restart(id);
                }
            });
        } else if (kind < 7) {
            long awayNs = random.nextLong(1_000_000_000L, 5_000_000_000L);
            m.leaveAndRejoin(awayNs);
            sim.count("fault.client-leave");
            lastFaultEndNs = Math.max(lastFaultEndNs, now + awayNs);
        } else if (kind < 8) {
            // the whole application restarts: every member of the group leaves, so the group is Empty a while (KAFKA-8069's schedule)
            String group = m.group();
            long awayNs = random.nextLong(5_000_000_000L, 12_000_000_000L);
            boolean failover = failoverFits() && targeted.chance(FAILOVER_PROBABILITY);
            if (failover) {
                // long enough for the coordinator to fail over, load the group's offsets and sweep them once or twice
                awayNs = failoverAwayNanos(targeted.nextLong(0, FAILOVER_SPREAD_NANOS), sim.settings().getMsAsNanos("offsets.retention.check.interval.ms"));
            }
            for (var e : run.members.entrySet()) {
                if (e.getValue().group().equals(group) && sim.state(e.getKey()) == Simulation.NodeState.UP && sim.node(e.getKey()).orElse(null) == e.getValue()) {
                    e.getValue().leaveAndRejoin(awayNs);
                }
            }
            sim.count("fault.client-group-leave");
            if (failover) {
                sim.count("fault.client-group-leave.failover");
                // once the members' last commits and LeaveGroups are through, the group is Empty: its coordinator is worth hitting
                sim.schedule(LEAVE_SETTLE_NANOS, () -> run.coordinatorOf(group).ifPresent(c -> run.triggers.accept(FaultTrigger.node(
                        "group-empty", c, "every member of " + group + " left: fail its coordinator over while it is Empty (KAFKA-8069)"))));
            }
            lastFaultEndNs = Math.max(lastFaultEndNs, now + awayNs);
        } else {
            long maxPollNs = sim.settings().getMsAsNanos("max.poll.interval.ms");
            long stallNs = maxPollNs <= 20_000_000_000L ? maxPollNs + random.nextLong(1_000_000_000L, 3_000_000_000L)
                    : random.nextLong(1_000_000_000L, 4_000_000_000L);
            m.stall(stallNs);
            sim.count("fault.client-stall");
            lastFaultEndNs = Math.max(lastFaultEndNs, now + stallNs);
        }
    }

    private boolean cooperative() {
        return COOPERATIVE_STICKY.equals(sim.settings().get("partition.assignment.strategy"));
    }

    /**
     * KAFKA-14639's schedule: another member of {@code m}'s group leaves, which starts a round;
     * the followers' answers to their JoinGroups are held on the link from the coordinator until
     * that member rejoined and started the next round, then lost with the connection, so they
     * rejoin with their old generation and partitions, claiming them at an older generation than
     * the leader, which synced the round they missed. False when that cannot happen now.
     */
    private boolean joinLost(int id, GroupMember m, long now) {
        if (now < joinLostUntilNs) {
            return false; // one at a time
        }
        List<GroupMember> others = new ArrayList<>();
        for (var e : run.members.entrySet()) {
            GroupMember o = e.getValue();
            if (e.getKey() != id && o.group().equals(m.group()) && sim.state(e.getKey()) == Simulation.NodeState.UP
                    && sim.node(e.getKey()).orElse(null) == o && !o.fatal()) {
                others.add(o);
            }
        }
        java.util.OptionalInt coordinator = run.coordinatorOf(m.group());
        if (others.isEmpty() || !m.ownsPartitions() || coordinator.isEmpty() || sim.state(coordinator.getAsInt()) != Simulation.NodeState.UP) {
            sim.trace("CLIENT-FAULT join-lost skipped: others=" + others.size() + " owns=" + m.ownsPartitions() + " coordinator=" + coordinator);
            return false; // no rebalance to delay an answer of
        }
        GroupMember leaver = others.get(targeted.nextInt(others.size()));
        // the leave starts a round; the member comes back just after that round ended (when the
        // delayed member's answer is held), starting the next while the delayed member has not synced
        long awayNs = sim.settings().getMsAsNanos("heartbeat.interval.ms") + JOIN_LOST_FALLBACK_NANOS;
        long rejoinNs = targeted.nextLong(100_000_000L, 1_000_000_000L);
        long holdNs = joinLostHoldNanos(rejoinNs, targeted.nextLong(0, JOIN_LOST_SPREAD_NANOS));
        sim.trace("CLIENT-FAULT join-lost: the next JoinGroup answers of " + m.group() + "'s followers held " + holdNs / 1_000_000
                + " ms; one member leaves until then");
        leaver.leaveAndRejoin(awayNs);
        // every follower's answer is held (the leader's is not: the round would wait for it), so the
        // leader alone syncs the new generation and the followers keep the old one
        m.delayNextJoinAnswer(awayNs, holdNs, () -> held(leaver, rejoinNs));
        for (GroupMember o : others) {
            if (o != leaver) {
                o.delayNextJoinAnswer(awayNs, holdNs, () -> held(leaver, rejoinNs));
            }
        }
        joinLostUntilNs = now + awayNs + holdNs;
        lastFaultEndNs = Math.max(lastFaultEndNs, now + awayNs + holdNs);
        return true;
    }

    private void held(GroupMember leaver, long rejoinNs) {
        sim.count("fault.client-join-lost.held");
        leaver.rejoinIn(rejoinNs);
    }

    /** How late the delayed member hears of its generation: past the other's rejoin and the start of the round after. */
    static long joinLostHoldNanos(long rejoinNanos, long spreadNanos) {
        return rejoinNanos + JOIN_LOST_MARGIN_NANOS + spreadNanos;
    }

    /** Whether a whole-group leave can outlast a coordinator fail-over and the next expiry sweep after it. */
    private boolean failoverFits() {
        return sim.settings().getLong("offsets.retention.check.interval.ms") <= MAX_FAILOVER_CHECK_MS;
    }

    /** How long the members of a group stay away around a coordinator fail-over: past it and two expiry sweeps after. */
    static long failoverAwayNanos(long spreadNanos, long checkIntervalNanos) {
        return LEAVE_SETTLE_NANOS + FAILOVER_NANOS + spreadNanos + 2 * checkIntervalNanos;
    }

    long lastFaultEndNs() {
        return lastFaultEndNs;
    }
}
