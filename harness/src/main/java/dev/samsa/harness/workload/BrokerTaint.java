package dev.samsa.harness.workload;

import dev.samsa.harness.fault.FaultBudget;
import dev.samsa.harness.fault.FaultFamily;
import dev.samsa.harness.sim.Role;
import dev.samsa.harness.sim.Simulation;
import dev.samsa.impl.broker.BrokerNode;
import dev.samsa.impl.metadata.ClusterImage;
import dev.samsa.impl.metadata.PartitionRegistration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The durability budget of brokers, shared by the queue, groups, txn and eos workloads: a broker
 * that lost unsynced data (power loss, wipe) stays tainted until a later incarnation registered
 * and was taken back into every ISR it belongs to alongside another replica. While one is
 * tainted, no other broker may lose data beyond {@code min.insync.replicas}-1; and if a tainted
 * broker is elected as the only in-sync replica, the run has left what Kafka promises (KIP-966's
 * "last replica standing", which samsa does not model).
 *
 * <p>Its state moves only when {@link #update()} or {@link #allowsLossyCrash(int)} is called, so
 * a workload calls {@code update()} after every event; the schedule depends on that order.
 */
public final class BrokerTaint {

    private final Simulation sim;
    private final List<Integer> brokers;
    private final int minIsr;
    private final Supplier<Optional<ClusterImage>> freshImage;
    private final int[] seenLossy;
    private final int[] incarnationAtCrash;
    private final boolean[] tainted;
    private boolean budgetExceeded;
    private boolean lastReplicaStanding;

    /** {@code freshImage}: the most advanced committed metadata image, empty while no live controller has caught up. */
    public BrokerTaint(Simulation sim, List<Integer> brokers, Supplier<Optional<ClusterImage>> freshImage) {
        this.sim = sim;
        this.brokers = brokers;
        this.minIsr = sim.settings().getInt("min.insync.replicas");
        this.freshImage = freshImage;
        this.seenLossy = new int[brokers.size()];
        this.incarnationAtCrash = new int[brokers.size()];
        this.tainted = new boolean[brokers.size()];
    }

    public void update() {
        Optional<ClusterImage> img = freshImage.get();
        for (int i = 0; i < brokers.size(); i++) {
            int b = brokers.get(i);
            if (sim.lossyCrashes(b) > seenLossy[i]) {
                seenLossy[i] = sim.lossyCrashes(b);
                tainted[i] = true;
                incarnationAtCrash[i] = sim.incarnation(b);
                if (taintedOtherThan(b) + 1 > minIsr - 1) {
                    budgetExceeded = true;
                }
            } else if (tainted[i] && img.isPresent() && soleLeader(img.get(), b)) {
                if (!lastReplicaStanding) {
                    lastReplicaStanding = true;
                    budgetExceeded = true;
                    sim.trace("DURABILITY last replica standing: broker-" + b + " lost unsynced data and leads as the only in-sync replica");
                }
            } else if (tainted[i] && img.isPresent() && caughtUp(img.get(), b, incarnationAtCrash[i])) {
                tainted[i] = false;
            }
        }
    }

    /**
     * The fault budget of a KRaft cluster with replicated partitions: no controller wipe (a voter
     * that forgets its vote breaks Raft), and a broker may lose unsynced data (power loss, wipe)
     * only while {@link #allowsLossyCrash} says so. Shared by every workload over such a cluster.
     */
    public FaultBudget faultBudget() {
        return (family, nodeId, s) -> {
            if (s.role(nodeId) == Role.CONTROLLER) {
                return family != FaultFamily.WIPE;
            }
            if (s.role(nodeId) == Role.BROKER
                    && (family == FaultFamily.POWER_LOSS || family == FaultFamily.WIPE)) {
                return allowsLossyCrash(nodeId);
            }
            return true;
        };
    }

    /** May broker {@code b} lose unsynced data now? */
    public boolean allowsLossyCrash(int b) {
        update();
        return taintedOtherThan(b) < minIsr - 1;
    }

    private int taintedOtherThan(int b) {
        int n = 0;
        for (int j = 0; j < brokers.size(); j++) {
            n += tainted[j] && brokers.get(j) != b ? 1 : 0;
        }
        return n;
    }

    /** Has broker {@code b} lost unsynced data that a later incarnation has not yet caught up on? */
    public boolean isTainted(int b) {
        int i = brokers.indexOf(b);
        return i >= 0 && tainted[i];
    }

    public boolean budgetExceeded() {
        return budgetExceeded;
    }

    public boolean lastReplicaStanding() {
        return lastReplicaStanding;
    }

    /** Why this budget no longer promises acknowledged writes survive, empty while it does. */
    public String whyNotDurable() {
        if (lastReplicaStanding) {
            return "last replica standing: a broker that lost unflushed data was elected as the only in-sync replica (KIP-966 ELR not modelled)";
        }
        if (budgetExceeded) {
            return "in-sync replicas lost unflushed data to power loss beyond min.insync.replicas-1=" + (minIsr - 1);
        }
        return "";
    }

    private static boolean soleLeader(ClusterImage img, int b) {
        for (PartitionRegistration p : img.partitions().values()) {
            if (p.leader() == b && p.isr().size() == 1) {
                return true;
            }
        }
        return false;
    }

    private boolean caughtUp(ClusterImage img, int b, int crashIncarnation) {
        if (sim.incarnation(b) <= crashIncarnation || sim.node(b).isEmpty()) {
            return false;
        }
        BrokerNode bn = (BrokerNode) sim.node(b).get();
        var reg = img.broker(b);
        if (bn.lifecycle() == BrokerNode.LifecycleState.REGISTERING || reg.isEmpty() || reg.get().epoch() != bn.brokerEpoch() || reg.get().fenced()) {
            return false;
        }
        for (PartitionRegistration p : img.partitions().values()) {
            if (p.replicas().contains(b) && (!p.isr().contains(b) || p.isr().size() < 2)) {
                return false;
            }
        }
        return true;
    }
}
