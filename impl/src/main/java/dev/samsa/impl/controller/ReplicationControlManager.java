package dev.samsa.impl.controller;

import dev.samsa.impl.controller.ControllerMessage.AlterPartitionRequest;
import dev.samsa.impl.controller.ControllerMessage.AlterPartitionResponse;
import dev.samsa.impl.controller.ControllerMessage.BrokerState;
import dev.samsa.impl.controller.ControllerMessage.CreateTopicsRequest;
import dev.samsa.impl.controller.ControllerMessage.CreateTopicsResponse;
import dev.samsa.impl.metadata.BrokerRegistration;
import dev.samsa.impl.metadata.ClusterImage;
import dev.samsa.impl.metadata.MetadataRecord;
import dev.samsa.impl.metadata.PartitionChangeRecord;
import dev.samsa.impl.metadata.PartitionRecord;
import dev.samsa.impl.metadata.PartitionRegistration;
import dev.samsa.impl.metadata.TopicRecord;
import dev.samsa.impl.node.Context;
import dev.samsa.impl.protocol.Errors;
import dev.samsa.impl.protocol.TopicPartition;
import dev.samsa.spec.bugs.Bug;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeSet;
import java.util.function.IntPredicate;

/**
 * The active controller's topics and partitions (after Kafka's {@code ReplicationControlManager}):
 * CreateTopics, AlterPartition (KIP-497), and the partition changes that follow a broker leaving
 * (fenced, or re-registered as a new incarnation). Every decision reads the speculative image of
 * {@link ActiveLog}, so two changes appended back to back never start from the same partition
 * epoch. Called only while this controller is the Raft leader.
 *
 * <p>Simplifications: replica placement is rack-unaware round-robin from a random start (Kafka's
 * {@code StripedReplicaPlacer} also stripes over racks and balances leaders); errors are answered
 * at once with the speculative state rather than after the preceding records commit; any accepted
 * AlterPartition ends a KIP-704 recovery (samsa's request carries no LeaderRecoveryState).
 */
final class ReplicationControlManager {

    /** The active controller's metadata log: append (applying to the speculative image) and commit callbacks. */
    interface ActiveLog {
        ClusterImage speculative();

        /** Appends and applies to the speculative image; returns the record's offset. */
        long append(MetadataRecord record);

        /** Runs {@code action} once {@code offset} commits; dropped if leadership is lost first. */
        void whenCommitted(long offset, Runnable action);

        /** The offset of the last entry in the log: waiting for it waits for everything appended so far. */
        long lastOffset();
    }

    private final Context ctx;
    private final ActiveLog log;

    ReplicationControlManager(Context ctx, ActiveLog log) {
        this.ctx = ctx;
        this.log = log;
    }

    private OptionalInt self() {
        return OptionalInt.of(ctx.nodeId());
    }

    // ------------------------------------------------------------------ CreateTopics

    void createTopics(int from, CreateTopicsRequest r) {
        ClusterImage image = log.speculative();
        if (image.topic(r.topic()).isPresent()) {
            boolean retry = image.topicCreatedBy(r.topic()).getAsLong() == r.requestId() && r.requestId() >= 0;
            if (retry) {
                log.whenCommitted(log.lastOffset(), () -> ctx.send(from, new CreateTopicsResponse(r.requestId(), Errors.NONE, self())));
            } else {
                ctx.send(from, new CreateTopicsResponse(r.requestId(), Errors.TOPIC_ALREADY_EXISTS, self()));
            }
            return;
        }
        List<Integer> brokers = new ArrayList<>();
        for (BrokerRegistration b : image.brokers().values()) {
            if (!b.fenced()) {
                brokers.add(b.brokerId());
            }
        }
        Errors invalid = r.numPartitions() < 1 ? Errors.INVALID_PARTITIONS
                : r.replicationFactor() < 1 || r.replicationFactor() > brokers.size() ? Errors.INVALID_REPLICATION_FACTOR : Errors.NONE;
        if (invalid != Errors.NONE) {
            ctx.send(from, new CreateTopicsResponse(r.requestId(), invalid, self()));
            return;
        }
        log.append(new TopicRecord(r.topic(), r.numPartitions(), r.requestId()));
        int start = ctx.random().nextInt(brokers.size());
        long last = -1;
        for (int p = 0; p < r.numPartitions(); p++) {
            List<Integer> replicas = new ArrayList<>();
            for (int i = 0; i < r.replicationFactor(); i++) {
                replicas.add(brokers.get((start + p + i) % brokers.size()));
            }
            last = log.append(new PartitionRecord(new TopicPartition(r.topic(), p), replicas, replicas, replicas.get(0), 0, 0));
        }
        ctx.reached("controller.topic-created");
        trace("create topic " + r.topic() + " with " + r.numPartitions() + " partitions, replication factor " + r.replicationFactor());
        log.whenCommitted(last, () -> ctx.send(from, new CreateTopicsResponse(r.requestId(), Errors.NONE, self())));
    }

    // ------------------------------------------------------------------ AlterPartition (KIP-497)

    void alterPartition(int from, AlterPartitionRequest r) {
        Optional<PartitionRegistration> found = log.speculative().partition(r.tp());
        if (found.isEmpty()) {
            ctx.send(from, new AlterPartitionResponse(r.tp(), Errors.UNKNOWN_TOPIC_OR_PARTITION, -1, -1, List.of(), -1, self()));
            return;
        }
        PartitionRegistration p = found.get();
        if (alreadyApplied(p, r)) {
            // a retry whose change this controller (or an earlier one) already made
            log.whenCommitted(log.lastOffset(), () -> answer(from, r.tp(), Errors.NONE));
            return;
        }
        Errors error = validate(p, r);
        if (error != Errors.NONE) {
            ctx.reached("controller.alter-partition-rejected");
            trace("reject AlterPartition " + r + ": " + error + ", current " + p);
            answer(from, r.tp(), error);
            return;
        }
        List<Integer> isr = isrOf(r);
        long offset = log.append(new PartitionChangeRecord(r.tp(), p.leader(), isr, p.leaderEpoch(), p.partitionEpoch() + 1, false));
        ctx.reached("controller.alter-partition-accepted");
        trace("accept AlterPartition " + r.tp() + ": ISR " + p.isr() + " -> " + isr);
        log.whenCommitted(offset, () -> answer(from, r.tp(), Errors.NONE));
    }

    private static List<Integer> isrOf(AlterPartitionRequest r) {
        List<Integer> isr = new ArrayList<>();
        for (BrokerState b : r.newIsr()) {
            isr.add(b.brokerId());
        }
        return isr;
    }

    private static boolean alreadyApplied(PartitionRegistration p, AlterPartitionRequest r) {
        return p.leader() == r.brokerId() && p.leaderEpoch() == r.leaderEpoch() && p.partitionEpoch() == r.partitionEpoch() + 1
                && new TreeSet<>(p.isr()).equals(new TreeSet<>(isrOf(r))) && p.isr().size() == r.newIsr().size();
    }

    private Errors validate(PartitionRegistration p, AlterPartitionRequest r) {
        ClusterImage image = log.speculative();
        if (p.leader() != r.brokerId() || p.leaderEpoch() != r.leaderEpoch()) {
            return Errors.FENCED_LEADER_EPOCH;
        }
        if (image.broker(r.brokerId()).map(b -> b.epoch() != r.brokerEpoch()).orElse(true)) {
            return Errors.STALE_BROKER_EPOCH;
        }
        if (p.partitionEpoch() != r.partitionEpoch()) {
            return Errors.INVALID_UPDATE_VERSION;
        }
        List<Integer> isr = isrOf(r);
        if (!isr.contains(p.leader()) || !p.replicas().containsAll(isr) || new TreeSet<>(isr).size() != isr.size()) {
            return Errors.INVALID_REQUEST;
        }
        for (BrokerState b : r.newIsr()) {
            if (p.isr().contains(b.brokerId())) {
                continue; // only members being added must prove they are eligible
            }
            boolean eligible = ctx.bug(Bug.KAFKA_14139)
                    ? PartitionChangeBuilder.acceptable(image, b.brokerId()) // the historical bug: any incarnation will do
                    : PartitionChangeBuilder.acceptableAt(image, b.brokerId(), b.brokerEpoch());
            if (!eligible) {
                return Errors.INELIGIBLE_REPLICA;
            }
        }
        return Errors.NONE;
    }

    /** Answers with the partition's state in the speculative image at the time of answering. */
    private void answer(int to, TopicPartition tp, Errors error) {
        PartitionRegistration p = log.speculative().partition(tp).orElseThrow(() -> new IllegalStateException("partition " + tp + " vanished"));
        ctx.send(to, new AlterPartitionResponse(tp, error, p.leader(), p.leaderEpoch(), p.isr(), p.partitionEpoch(), self()));
    }

    // ------------------------------------------------------------------ brokers leaving, reconciliation

    /**
     * Broker {@code brokerId} was fenced or re-registered as a new incarnation: it leaves every
     * ISR (unless it is the last member) and every partition it led gets a new leader.
     */
    void brokerRemoved(int brokerId) {
        IntPredicate leaving = id -> id == brokerId;
        for (PartitionRegistration p : new ArrayList<>(log.speculative().partitions().values())) {
            if (p.leader() == brokerId || p.isr().contains(brokerId)) {
                change(p, leaving);
            }
        }
    }

    /**
     * Brings every partition in line with the brokers' states: fenced or unregistered brokers
     * leave leadership and ISRs, and offline partitions get a leader when one is available.
     * Idempotent: appends nothing when every partition already fits.
     */
    void reconcile() {
        ClusterImage image = log.speculative();
        IntPredicate leaving = id -> !PartitionChangeBuilder.acceptable(image, id);
        for (PartitionRegistration p : new ArrayList<>(image.partitions().values())) {
            change(p, leaving);
        }
    }

    private void change(PartitionRegistration p, IntPredicate leaving) {
        boolean unclean = ctx.settings().getBoolean("unclean.leader.election.enable");
        Optional<PartitionChangeBuilder.Change> c = new PartitionChangeBuilder(p, log.speculative(), unclean).removeAndElect(leaving);
        if (c.isEmpty()) {
            return;
        }
        PartitionChangeBuilder.Change change = c.get();
        log.append(change.record());
        if (change.isrShrunk()) {
            ctx.reached("controller.isr-shrink-fenced");
        }
        if (change.leaderElected()) {
            ctx.reached("controller.leader-elected");
        }
        if (change.unclean()) {
            ctx.reached("controller.unclean-election");
        }
        if (change.offline()) {
            ctx.reached("controller.partition-offline");
        }
        trace("partition change " + p + " -> " + change.record());
    }

    private void trace(String line) {
        if (ctx.tracing()) {
            ctx.trace(line);
        }
    }
}
