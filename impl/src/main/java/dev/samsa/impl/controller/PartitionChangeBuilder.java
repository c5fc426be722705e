package dev.samsa.impl.controller;

import dev.samsa.impl.metadata.BrokerRegistration;
import dev.samsa.impl.metadata.ClusterImage;
import dev.samsa.impl.metadata.PartitionChangeRecord;
import dev.samsa.impl.metadata.PartitionRegistration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.IntPredicate;

/**
 * Computes the next state of one partition when brokers leave it or its leader must be chosen
 * again (after Kafka's {@code PartitionChangeBuilder}, reduced to what samsa models: no ELR
 * (KIP-966), no reassignment, no preferred-leader election).
 *
 * <ul>
 *   <li>ISR removal: the given brokers leave the ISR in ISR order, but the last member stays
 *       (an empty ISR would forget who holds the committed data); the partition then goes
 *       offline unless someone else can lead.
 *   <li>Clean election: the first replica, in replica order, that is in the ISR and acceptable
 *       (registered and unfenced).
 *   <li>Unclean election (only with {@code unclean.leader.election.enable}): the first acceptable
 *       replica outside the ISR; the ISR becomes just that replica and the partition is
 *       recovering (KIP-704).
 *   <li>The leader epoch moves on every leader change, including to and from -1, and not for an
 *       ISR-only change (KAFKA-15021); the partition epoch moves on every change.
 * </ul>
 * A clean election keeps the recovering flag as it is: only the leader ends a recovery.
 */
final class PartitionChangeBuilder {

    /** The change and what it did, for coverage paths. */
    record Change(PartitionChangeRecord record, boolean isrShrunk, boolean leaderElected, boolean unclean, boolean offline) {}

    private final PartitionRegistration current;
    private final ClusterImage image;
    private final boolean uncleanAllowed;

    PartitionChangeBuilder(PartitionRegistration current, ClusterImage image, boolean uncleanAllowed) {
        this.current = current;
        this.image = image;
        this.uncleanAllowed = uncleanAllowed;
    }

    /** A broker may lead or join an ISR only if it is registered and unfenced (KIP-841). */
    static boolean acceptable(ClusterImage image, int brokerId) {
        return image.broker(brokerId).map(b -> !b.fenced()).orElse(false);
    }

    /** Registered under exactly {@code brokerEpoch} (KIP-903) and unfenced. */
    static boolean acceptableAt(ClusterImage image, int brokerId, long brokerEpoch) {
        Optional<BrokerRegistration> b = image.broker(brokerId);
        return b.isPresent() && !b.get().fenced() && b.get().epoch() == brokerEpoch;
    }

    /**
     * Removes the brokers matching {@code leaving} from the ISR and leadership, electing a new
     * leader where the old one left or none leads; empty when nothing changes.
     */
    Optional<Change> removeAndElect(IntPredicate leaving) {
        List<Integer> isr = new ArrayList<>(current.isr());
        boolean shrunk = false;
        for (int id : current.isr()) {
            if (leaving.test(id) && isr.size() > 1) {
                isr.remove(Integer.valueOf(id));
                shrunk = true;
            }
        }
        int leader = current.leader();
        boolean recovering = current.recovering();
        boolean unclean = false;
        if (leader < 0 || leaving.test(leader)) {
            leader = cleanLeader(isr);
            if (leader < 0 && uncleanAllowed) {
                leader = uncleanLeader(isr);
                if (leader >= 0) {
                    isr = List.of(leader);
                    recovering = true;
                    unclean = true;
                }
            }
        }
        if (leader == current.leader() && isr.equals(current.isr()) && recovering == current.recovering()) {
            return Optional.empty();
        }
        boolean leaderChanged = leader != current.leader();
        int leaderEpoch = leaderChanged ? current.leaderEpoch() + 1 : current.leaderEpoch();
        PartitionChangeRecord r = new PartitionChangeRecord(current.tp(), leader, isr, leaderEpoch, current.partitionEpoch() + 1, recovering);
        return Optional.of(new Change(r, shrunk, leaderChanged && leader >= 0, unclean, leaderChanged && leader < 0));
    }

    private int cleanLeader(List<Integer> isr) {
        for (int r : current.replicas()) {
            if (isr.contains(r) && acceptable(image, r)) {
                return r;
            }
        }
        return -1;
    }

    private int uncleanLeader(List<Integer> isr) {
        for (int r : current.replicas()) {
            if (!isr.contains(r) && acceptable(image, r)) {
                return r;
            }
        }
        return -1;
    }
}
