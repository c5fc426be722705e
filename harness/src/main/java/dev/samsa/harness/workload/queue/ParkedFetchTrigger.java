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
 * Watches for KAFKA-14139's opening: a follower's Fetch parked in its leader's purgatory at an
 * offset beyond what the follower has flushed. Reported as {@code fetch-parked}, a
 * {@link FaultTrigger#quickPowerLoss} of the follower: it loses its unflushed tail and is back,
 * re-registered under a new broker epoch and unfenced, while the fetch of its previous
 * incarnation is still parked (Kafka's purgatory does not watch connections). When that fetch
 * completes, a leader that ignores the broker epoch credits the new incarnation with the old
 * log end and may bring it back into the ISR without the records it lost; with KIP-903 the
 * fetch is not credited and the same fault is harmless. Each parked fetch is looked at once.
 */
final class ParkedFetchTrigger {

    static final String NAME = "fetch-parked";
    /** Parked fetches are everywhere: one report per this much simulated time keeps the other faults in the mix. */
    private static final long QUIET_NANOS = 3_000_000_000L;

    private final Simulation sim;
    private final List<Integer> brokers;
    /** Per broker (by index): the replica manager last looked at, and the last parked fetch id seen in it. */
    private final ReplicaManager[] seenIn;
    private final long[] lastSeenId;
    private Consumer<FaultTrigger> nemesis;
    private long quietUntilNanos;

    ParkedFetchTrigger(Simulation sim, List<Integer> brokers) {
        this.sim = sim;
        this.brokers = brokers;
        this.seenIn = new ReplicaManager[brokers.size()];
        this.lastSeenId = new long[brokers.size()];
    }

    void reportTo(Consumer<FaultTrigger> nemesis) {
        this.nemesis = nemesis;
    }

    void afterEvent() {
        if (nemesis == null || sim.nowNanos() < quietUntilNanos) {
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
                lastSeenId[i] = 0;
            }
            for (ParkedFollowerFetch f : rm.parkedFollowerFetches()) {
                if (f.id() <= lastSeenId[i]) {
                    continue;
                }
                lastSeenId[i] = f.id();
                check(leader, rm, f);
            }
        }
    }

    private void check(int leader, ReplicaManager rm, ParkedFollowerFetch f) {
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
        nemesis.accept(FaultTrigger.quickPowerLoss(NAME, follower, f.tp() + " fetch at " + f.fetchOffset() + " under broker epoch "
                + f.brokerEpoch() + " parked by leader " + leader + "; the follower flushed up to " + flushed));
    }
}
