package dev.samsa.harness.workload.queue;

import dev.samsa.harness.fault.FaultTrigger;
import dev.samsa.harness.sim.Simulation;
import dev.samsa.harness.sim.Simulation.NodeState;
import dev.samsa.impl.broker.BrokerNode;
import dev.samsa.impl.replication.Partition;
import dev.samsa.impl.replication.ReplicaManager;
import dev.samsa.impl.replication.ReplicaManager.ParkedFollowerFetch;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Watches for KAFKA-14139's opening and reports two moments of it as {@link FaultTrigger}s:
 * <ul>
 *   <li>{@code fetch-parked}: a follower's Fetch is parked in its leader's purgatory at an offset
 *       beyond what the follower flushed. A quick power loss of the follower (back within the
 *       fetch wait) leaves that fetch parked for a previous incarnation (Kafka's purgatory does
 *       not watch connections) while the follower re-registers under a new broker epoch with a
 *       shorter log.
 *   <li>{@code stale-fetch-parked}, aimed at the link from the leader to the follower: such a
 *       fetch is parked while its follower is up again (it restarted) and its log ends below it.
 *       Cutting that link keeps the follower from fetching back what it lost while it still
 *       heartbeats and is unfenced: when the parked fetch completes, a leader that ignores the
 *       broker epoch credits it with the old log end and may propose it back into the ISR
 *       without those records; with KIP-903 the fetch is not credited and the cut is harmless.
 * </ul>
 * The ISR expansion itself is {@link IsrExpansionTrigger}'s {@code isr-expanded} (a joiner below
 * the HW). Each parked fetch is looked at once per moment; {@code fetch-parked} at most once per
 * {@link #QUIET_NANOS}, parked fetches being everywhere.
 */
final class ParkedFetchTrigger {

    static final String PARKED = "fetch-parked";
    static final String STALE = "stale-fetch-parked";
    /** Longest outage of the quick power loss: under replica.fetch.wait.max.ms (500 ms by default). */
    static final long QUICK_OUTAGE_MS = 200;
    private static final long QUIET_NANOS = 3_000_000_000L;

    private final Simulation sim;
    private final List<Integer> brokers;
    /** Per broker (by index): the replica manager last looked at, and the last parked fetch id seen in it per moment. */
    private final ReplicaManager[] seenIn;
    private final long[] lastParkedId;
    private final long[] lastStaleId;
    private Consumer<FaultTrigger> nemesis;
    private long quietUntilNanos;

    ParkedFetchTrigger(Simulation sim, List<Integer> brokers) {
        this.sim = sim;
        this.brokers = brokers;
        this.seenIn = new ReplicaManager[brokers.size()];
        this.lastParkedId = new long[brokers.size()];
        this.lastStaleId = new long[brokers.size()];
    }

    void reportTo(Consumer<FaultTrigger> nemesis) {
        this.nemesis = nemesis;
    }

    void afterEvent() {
        if (nemesis == null) {
            return;
        }
        for (int i = 0; i < brokers.size(); i++) {
            int leader = brokers.get(i);
            if (sim.state(leader) != NodeState.UP) {
                continue;
            }
            ReplicaManager rm = ((BrokerNode) sim.node(leader).orElseThrow()).replicaManager();
            if (seenIn[i] != rm) {
                seenIn[i] = rm; // restarted: a new purgatory, ids from 1 again
                lastParkedId[i] = 0;
                lastStaleId[i] = 0;
            }
            for (ParkedFollowerFetch f : rm.parkedFollowerFetches()) {
                if (f.id() > lastStaleId[i] && stale(f)) {
                    lastStaleId[i] = f.id();
                    report(FaultTrigger.link(STALE, leader, f.follower(), f.tp() + " fetch at " + f.fetchOffset() + " under broker epoch "
                            + f.brokerEpoch() + " still parked by leader " + leader + "; the follower restarted (epoch now "
                            + ((BrokerNode) sim.node(f.follower()).orElseThrow()).brokerEpoch() + ") and its log ends at " + followerLogEnd(f)));
                } else if (f.id() > lastParkedId[i] && sim.nowNanos() >= quietUntilNanos) {
                    lastParkedId[i] = f.id();
                    checkParked(leader, rm, f);
                }
            }
        }
    }

    /** Parked for a previous incarnation of a follower that is up again (registering or registered anew), with a shorter log. */
    private boolean stale(ParkedFollowerFetch f) {
        if (!brokers.contains(f.follower()) || sim.state(f.follower()) != NodeState.UP) {
            return false;
        }
        long epoch = ((BrokerNode) sim.node(f.follower()).orElseThrow()).brokerEpoch(); // -1 while it registers
        return f.brokerEpoch() >= 0 && epoch != f.brokerEpoch() && followerLogEnd(f) < f.fetchOffset();
    }

    private long followerLogEnd(ParkedFollowerFetch f) {
        if (sim.state(f.follower()) == NodeState.DOWN) {
            return -1;
        }
        Partition p = ((BrokerNode) sim.node(f.follower()).orElseThrow()).replicaManager().partitions().get(f.tp());
        return p == null ? -1 : p.log().logEndOffset();
    }

    private void checkParked(int leader, ReplicaManager rm, ParkedFollowerFetch f) {
        int follower = f.follower();
        if (!brokers.contains(follower) || sim.state(follower) != NodeState.UP) {
            return;
        }
        Partition lp = rm.partitions().get(f.tp());
        if (lp == null || lp.role() != Partition.Role.LEADER || !lp.isr().contains(follower)) {
            return;
        }
        Optional<Partition> fp = Optional.ofNullable(((BrokerNode) sim.node(follower).orElseThrow()).replicaManager().partitions().get(f.tp()));
        long flushed = fp.map(p -> p.log().flushedOffset()).orElse(-1L);
        if (fp.isEmpty() || flushed >= f.fetchOffset()) {
            return; // a power loss would leave it at the offset it fetched from: nothing stale to credit
        }
        quietUntilNanos = sim.nowNanos() + QUIET_NANOS;
        report(FaultTrigger.quickPowerLoss(PARKED, follower, QUICK_OUTAGE_MS, f.tp() + " fetch at " + f.fetchOffset()
                + " under broker epoch " + f.brokerEpoch() + " parked by leader " + leader + "; the follower flushed up to " + flushed));
    }

    private void report(FaultTrigger t) {
        nemesis.accept(t);
    }
}
