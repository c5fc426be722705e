package dev.samsa.impl.replication;

import dev.samsa.impl.log.RecordBatch;
import dev.samsa.impl.metadata.ClusterImage;
import dev.samsa.impl.metadata.PartitionRegistration;
import dev.samsa.impl.node.Context;
import dev.samsa.impl.protocol.ApiMessage.PartitionBatch;
import dev.samsa.impl.protocol.ApiMessage.ProduceRequest;
import dev.samsa.impl.protocol.Errors;
import dev.samsa.impl.protocol.TopicPartition;
import dev.samsa.impl.protocol.TxnMessage.AddPartitionsToTxnRequest;
import dev.samsa.impl.protocol.TxnMessage.AddPartitionsToTxnResponse;
import dev.samsa.impl.protocol.TxnMessage.PartitionResult;
import dev.samsa.impl.protocol.TxnMessage.WritableTxnMarker;
import dev.samsa.impl.protocol.TxnMessage.WriteTxnMarkersRequest;
import dev.samsa.spec.bugs.Bug;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * KIP-890 part 1 on the partition leader (Kafka's AddPartitionsToTxnManager and
 * VerificationGuard): before a producer's first transactional write to a partition where it has
 * no transaction open, the leader asks the transaction coordinator (AddPartitionsToTxn with
 * verifyOnly) whether the partition is in the producer's ongoing transaction, and holds the
 * produce until it answers. A guard per (partition, producer) taken when asking, and dropped
 * when a marker for that producer arrives, makes sure nothing ended the transaction between
 * the answer and the append.
 */
final class AddPartitionsToTxnManager {

    static final String TRANSACTION_STATE_TOPIC = "__transaction_state";

    private record Pending(int coordinator, List<TopicPartition> partitions, Consumer<TreeMap<TopicPartition, Errors>> callback) {}

    private final Context ctx;
    private final Supplier<ClusterImage> image;
    private final Function<TopicPartition, Partition> partitions;
    private final TreeMap<Long, Pending> inFlight = new TreeMap<>();
    /** Verification guards: partition → producer id → the guard taken when its verification was sent. */
    private final TreeMap<TopicPartition, TreeMap<Long, Long>> guards = new TreeMap<>();
    private long nextCorrelationId = 1;
    private long nextGuard = 1;

    AddPartitionsToTxnManager(Context ctx, Supplier<ClusterImage> image, Function<TopicPartition, Partition> partitions) {
        this.ctx = ctx;
        this.image = image;
        this.partitions = partitions;
    }

    /**
     * Verifies the first transactional writes of {@code r}, if any need it, and then calls
     * {@code append} with the verdict per partition (NONE for verified ones; a partition absent
     * from the map needed no verification). Returns false, calling nothing, when none needs it.
     */
    boolean maybeVerify(ProduceRequest r, Consumer<TreeMap<TopicPartition, Errors>> append) {
        if (r.transactionalId().isEmpty()) {
            return false;
        }
        List<TopicPartition> unverified = new ArrayList<>();
        long producerId = -1;
        short producerEpoch = -1;
        for (PartitionBatch pb : r.batches()) {
            Partition p = partitions.apply(pb.tp());
            RecordBatch b = pb.batch();
            if (p == null || p.role() != Partition.Role.LEADER || !b.transactional() || p.log().hasOngoingTransaction(b.producerId())) {
                continue;
            }
            if (ctx.bug(Bug.KAFKA_12671)) {
                // KAFKA-12671's faulty rule: the leader opens a transaction for any transactional batch of a current
                // epoch without asking the coordinator, so a produce delayed past its transaction's end opens a new one
                ctx.reached("txn.unverified-first-write");
                continue;
            }
            unverified.add(pb.tp());
            producerId = b.producerId();
            producerEpoch = b.producerEpoch();
        }
        if (unverified.isEmpty()) {
            return false;
        }
        TreeMap<TopicPartition, Long> taken = new TreeMap<>();
        for (TopicPartition tp : unverified) {
            // concurrent verifications of one producer on one partition share its guard (Kafka keeps one per producer)
            TreeMap<Long, Long> byPid = guards.computeIfAbsent(tp, k -> new TreeMap<>());
            Long g = byPid.get(producerId);
            if (g == null) {
                g = nextGuard++;
                byPid.put(producerId, g);
            }
            taken.put(tp, g);
        }
        long pid = producerId;
        Consumer<TreeMap<TopicPartition, Errors>> then = verdict -> {
            for (var e : verdict.entrySet()) {
                Partition p = partitions.apply(e.getKey());
                boolean open = p != null && p.log().hasOngoingTransaction(pid); // an earlier verified batch already opened it
                if (e.getValue() == Errors.NONE && !open && !guardHeld(e.getKey(), pid, taken.get(e.getKey()))) {
                    ctx.reached("txn.verification-guard-lost");
                    e.setValue(Errors.INVALID_TXN_STATE); // a marker ended the transaction since the verification was sent
                }
            }
            append.accept(verdict);
        };
        Optional<Integer> coordinator = coordinatorOf(r.transactionalId());
        if (coordinator.isEmpty()) {
            then.accept(all(unverified, Errors.NOT_ENOUGH_REPLICAS));
            return true;
        }
        long correlationId = nextCorrelationId++;
        inFlight.put(correlationId, new Pending(coordinator.get(), unverified, then));
        ctx.reached("txn.verification-sent");
        ctx.send(coordinator.get(), new AddPartitionsToTxnRequest(correlationId, r.transactionalId(), producerId, producerEpoch, unverified, true));
        return true;
    }

    private boolean guardHeld(TopicPartition tp, long producerId, Long guard) {
        TreeMap<Long, Long> byPid = guards.get(tp);
        return byPid != null && guard != null && guard.equals(byPid.get(producerId));
    }

    /** The leader of the transactional id's __transaction_state partition, as this broker's image says. */
    private Optional<Integer> coordinatorOf(String transactionalId) {
        ClusterImage img = image.get();
        var n = img.topic(TRANSACTION_STATE_TOPIC);
        if (n.isEmpty()) {
            return Optional.empty();
        }
        int h = transactionalId.hashCode();
        int partition = (h == Integer.MIN_VALUE ? 0 : Math.abs(h)) % n.getAsInt();
        Optional<PartitionRegistration> reg = img.partition(new TopicPartition(TRANSACTION_STATE_TOPIC, partition));
        return reg.isPresent() && reg.get().hasLeader() ? Optional.of(reg.get().leader()) : Optional.empty();
    }

    void onResponse(AddPartitionsToTxnResponse r) {
        Pending p = inFlight.remove(r.correlationId());
        if (p == null) {
            return;
        }
        TreeMap<TopicPartition, Errors> verdict = all(p.partitions, Errors.INVALID_TXN_STATE);
        for (PartitionResult pr : r.results()) {
            if (verdict.containsKey(pr.tp())) {
                verdict.put(pr.tp(), toProduceError(pr.error()));
            }
        }
        p.callback.accept(verdict);
    }

    /**
     * The coordinator's answer as the producer sees it: retriable coordinator conditions become
     * NOT_ENOUGH_REPLICAS (as Kafka answers produce requests older than version 11), the rest
     * (INVALID_TXN_STATE, PRODUCER_FENCED, INVALID_PRODUCER_ID_MAPPING) pass through.
     */
    private static Errors toProduceError(Errors e) {
        return switch (e) {
            case COORDINATOR_NOT_AVAILABLE, COORDINATOR_LOAD_IN_PROGRESS, NOT_COORDINATOR, CONCURRENT_TRANSACTIONS, REQUEST_TIMED_OUT ->
                    Errors.NOT_ENOUGH_REPLICAS;
            default -> e;
        };
    }

    /** A WriteTxnMarkers arrived: each marker ends its producer's transaction on its partitions, so verifications in flight lose their guard. */
    void onMarkers(WriteTxnMarkersRequest r) {
        for (WritableTxnMarker m : r.markers()) {
            for (TopicPartition tp : m.partitions()) {
                TreeMap<Long, Long> byPid = guards.get(tp);
                if (byPid != null) {
                    byPid.remove(m.producerId());
                }
            }
        }
    }

    /** The coordinator's connection closed: verifications waiting on it fail, retriably. */
    void onDisconnect(int peer) {
        List<Long> lost = new ArrayList<>();
        for (var e : inFlight.entrySet()) {
            if (e.getValue().coordinator == peer) {
                lost.add(e.getKey());
            }
        }
        for (long c : lost) {
            Pending p = inFlight.remove(c);
            p.callback.accept(all(p.partitions, Errors.NOT_ENOUGH_REPLICAS));
        }
    }

    private static TreeMap<TopicPartition, Errors> all(List<TopicPartition> tps, Errors e) {
        TreeMap<TopicPartition, Errors> out = new TreeMap<>();
        for (TopicPartition tp : tps) {
            out.put(tp, e);
        }
        return out;
    }
}
