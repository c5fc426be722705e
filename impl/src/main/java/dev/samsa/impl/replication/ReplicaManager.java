package dev.samsa.impl.replication;

import dev.samsa.impl.controller.ControllerMessage;
import dev.samsa.impl.controller.ControllerMessage.AlterPartitionRequest;
import dev.samsa.impl.controller.ControllerMessage.AlterPartitionResponse;
import dev.samsa.impl.controller.ControllerMessage.BrokerState;
import dev.samsa.impl.log.AppendResult;
import dev.samsa.impl.log.LogConfig;
import dev.samsa.impl.log.Record;
import dev.samsa.impl.log.RecordBatch;
import dev.samsa.impl.log.UnifiedLog;
import dev.samsa.impl.metadata.BrokerRegistration;
import dev.samsa.impl.metadata.ClusterImage;
import dev.samsa.impl.metadata.PartitionRegistration;
import dev.samsa.impl.node.Context;
import dev.samsa.impl.protocol.ApiMessage;
import dev.samsa.impl.protocol.ApiMessage.EpochRequestPartition;
import dev.samsa.impl.protocol.ApiMessage.EpochResponsePartition;
import dev.samsa.impl.protocol.ApiMessage.FetchPartition;
import dev.samsa.impl.protocol.ApiMessage.FetchPartitionResponse;
import dev.samsa.impl.protocol.ApiMessage.FetchRequest;
import dev.samsa.impl.protocol.ApiMessage.FetchResponse;
import dev.samsa.impl.protocol.ApiMessage.InitProducerIdRequest;
import dev.samsa.impl.protocol.ApiMessage.InitProducerIdResponse;
import dev.samsa.impl.protocol.ApiMessage.ListOffsetsPartition;
import dev.samsa.impl.protocol.ApiMessage.ListOffsetsPartitionResponse;
import dev.samsa.impl.protocol.ApiMessage.ListOffsetsRequest;
import dev.samsa.impl.protocol.ApiMessage.ListOffsetsResponse;
import dev.samsa.impl.protocol.ApiMessage.MetadataRequest;
import dev.samsa.impl.protocol.ApiMessage.MetadataResponse;
import dev.samsa.impl.protocol.ApiMessage.OffsetsForLeaderEpochRequest;
import dev.samsa.impl.protocol.ApiMessage.OffsetsForLeaderEpochResponse;
import dev.samsa.impl.protocol.ApiMessage.PartitionBatch;
import dev.samsa.impl.protocol.ApiMessage.PartitionMetadata;
import dev.samsa.impl.protocol.ApiMessage.PartitionProduceResponse;
import dev.samsa.impl.protocol.ApiMessage.ProduceRequest;
import dev.samsa.impl.protocol.ApiMessage.ProduceResponse;
import dev.samsa.impl.protocol.Errors;
import dev.samsa.impl.protocol.IsolationLevel;
import dev.samsa.impl.protocol.TopicPartition;
import dev.samsa.impl.protocol.TxnMessage;
import dev.samsa.impl.protocol.TxnMessage.WriteTxnMarkersRequest;
import dev.samsa.spec.bugs.Bug;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The data plane of one broker (Kafka's {@code ReplicaManager}): the partitions it hosts, as the
 * metadata log assigns them; Produce, Fetch, ListOffsets, OffsetsForLeaderEpoch, Metadata and
 * InitProducerId; WriteTxnMarkers from transaction coordinators; the purgatories of acks=all
 * produces and transaction markers waiting for the high watermark and of fetches waiting for
 * data; and the periodic work (ISR shrink, HW checkpoints, retention,
 * flush.ms).
 */
public final class ReplicaManager implements BrokerServices {

    /** What the replica manager needs from its broker. */
    public interface Host {
        ClusterImage image();

        long brokerEpoch();

        /** Sends to the active controller as the broker currently knows it. */
        void sendToController(ControllerMessage m);
    }

    /**
     * Told when this broker starts or stops leading a partition, so the coordinators of the
     * internal topics can load and unload their state (Kafka's onLeadershipChange callbacks).
     */
    public interface LeadershipListener {
        void onBecameLeader(TopicPartition tp, int leaderEpoch);

        /** Leadership of {@code tp} is gone (now follower, or not a replica); {@code leaderEpoch} is the partition's new epoch. */
        void onResigned(TopicPartition tp, int leaderEpoch);
    }

    /**
     * Told when a transaction marker this broker appended as leader is replicated (the high
     * watermark passed it): a coordinator whose partition it is replays it (Kafka's
     * completeTransaction for {@code __consumer_offsets}).
     */
    public interface TxnMarkerListener {
        void onMarkerReplicated(TopicPartition tp, long producerId, short producerEpoch, boolean committed);
    }

    /** The outcome of an internal acks=all append: NONE once the HW passed it, else the produce error. */
    public interface AppendCallback {
        void onComplete(Errors error, long firstOffset);
    }

    private final Context ctx;
    private final Host host;
    private final LogConfig logConfig;
    private final TreeMap<TopicPartition, Partition> partitions = new TreeMap<>();
    /** Metadata offset of the last change applied per partition (leadership older than our registration is not taken). */
    private final TreeMap<TopicPartition, Long> changeOffsets = new TreeMap<>();
    private final ReplicaFetcherManager fetchers;
    private final TreeMap<Long, DelayedProduce> delayedProduces = new TreeMap<>();
    private final TreeMap<Long, DelayedFetch> delayedFetches = new TreeMap<>();
    private final TxnMarkerWriter markers;
    private final AddPartitionsToTxnManager verifier;
    /** Per client: how many times its connection closed (a produce held for verification is dropped if it did meanwhile). */
    private final TreeMap<Integer, Long> disconnects = new TreeMap<>();
    private final TreeMap<TopicPartition, Long> alterSentAtNanos = new TreeMap<>();
    private long nextDelayedId = 1;
    private long nextProducerIdSeq;
    private LeadershipListener leadershipListener;

    public ReplicaManager(Context ctx, Host host) {
        this.ctx = ctx;
        this.host = host;
        this.logConfig = LogConfig.from(ctx.settings());
        this.fetchers = new ReplicaFetcherManager(ctx, this, partitions::get);
        this.markers = new TxnMarkerWriter(ctx, partitions::get, this::afterLeaderChange);
        this.verifier = new AddPartitionsToTxnManager(ctx, host::image, partitions::get);
    }

    /** Arms the periodic work. */
    public void start() {
        var s = ctx.settings();
        periodic(ReplicationTimer.Kind.ISR_SHRINK, Math.max(1, s.getMsAsNanos("replica.lag.time.max.ms") / 2));
        periodic(ReplicationTimer.Kind.HW_CHECKPOINT, s.getMsAsNanos("replica.high.watermark.checkpoint.interval.ms"));
        periodic(ReplicationTimer.Kind.LOG_CLEANUP, s.getMsAsNanos("log.retention.check.interval.ms"));
        periodic(ReplicationTimer.Kind.LOG_FLUSH, s.getMsAsNanos("log.flush.scheduler.interval.ms"));
        periodic(ReplicationTimer.Kind.ALTER_PARTITION_RETRY, 500_000_000L);
    }

    private void periodic(ReplicationTimer.Kind kind, long periodNanos) {
        ctx.setTimer(periodNanos, new ReplicationTimer(kind, periodNanos));
    }

    // ================================================================== metadata

    /** A partition record at metadata offset {@code offset} was applied to the broker's image. */
    public void onPartitionChange(PartitionRegistration reg, long offset) {
        changeOffsets.put(reg.tp(), offset);
        apply(reg, offset);
    }

    /** The broker (re)registered: leaderships assigned to it since may now be taken. */
    public void onBrokerEpochChanged() {
        for (PartitionRegistration reg : host.image().partitions().values()) {
            Long offset = changeOffsets.get(reg.tp());
            if (offset != null) {
                apply(reg, offset);
            }
        }
    }

    private void apply(PartitionRegistration reg, long offset) {
        Partition p = partitions.get(reg.tp());
        if (p == null) {
            if (!reg.replicas().contains(ctx.nodeId())) {
                return;
            }
            // internal topics (__consumer_offsets, __transaction_state) are compacted, never deleted by retention, as in Kafka
            LogConfig config = reg.tp().topic().startsWith("__") ? logConfig.compactedOnly() : logConfig;
            p = new Partition(ctx, reg.tp(), new UnifiedLog(ctx, reg.tp(), config), this);
            partitions.put(reg.tp(), p);
        }
        Partition.Transition t = p.applyMetadata(reg, offset);
        switch (t) {
            case BECAME_LEADER, STOPPED -> {
                fetchers.stopFollowing(reg.tp());
                alterSentAtNanos.remove(reg.tp());
            }
            case BECAME_FOLLOWER -> {
                alterSentAtNanos.remove(reg.tp());
                fetchers.follow(reg.tp(), p.leaderId());
            }
            case NONE -> {
                if (p.role() == Partition.Role.FOLLOWER) {
                    fetchers.follow(reg.tp(), p.leaderId()); // clears a wait for metadata
                }
            }
        }
        if (t != Partition.Transition.NONE) {
            completeDelayed(reg.tp());
            if (leadershipListener != null) {
                if (t == Partition.Transition.BECAME_LEADER) {
                    leadershipListener.onBecameLeader(reg.tp(), p.leaderEpoch());
                } else {
                    leadershipListener.onResigned(reg.tp(), p.leaderEpoch());
                }
            }
        } else {
            afterLeaderChange(p);
        }
    }

    public void setTxnMarkerListener(TxnMarkerListener listener) {
        markers.setListener(listener);
    }

    public void setLeadershipListener(LeadershipListener listener) {
        this.leadershipListener = listener;
    }

    // ================================================================== BrokerServices

    @Override
    public long brokerEpoch() {
        return host.brokerEpoch();
    }

    @Override
    public long registeredEpoch(int brokerId) {
        return host.image().broker(brokerId).map(BrokerRegistration::epoch).orElse(-1L);
    }

    @Override
    public boolean isActive(int brokerId) {
        return host.image().broker(brokerId).map(b -> !b.fenced()).orElse(false);
    }

    @Override
    public void alterPartition(TopicPartition tp, int leaderEpoch, int partitionEpoch, List<BrokerState> newIsr) {
        alterSentAtNanos.put(tp, ctx.nowNanos());
        host.sendToController(new AlterPartitionRequest(ctx.nodeId(), host.brokerEpoch(), tp, leaderEpoch, partitionEpoch, newIsr));
    }

    public void onAlterPartitionResponse(AlterPartitionResponse r) {
        Partition p = partitions.get(r.tp());
        if (p == null) {
            return;
        }
        p.onAlterPartitionResponse(r);
        if (!p.alterPending()) {
            alterSentAtNanos.remove(r.tp());
        } else if (r.error() == Errors.NOT_CONTROLLER) {
            alterSentAtNanos.put(r.tp(), 0L); // resend at the next retry tick, to the hinted controller
        }
        afterLeaderChange(p);
    }

    // ================================================================== requests

    public void handle(int from, ApiMessage m) {
        switch (m.kind()) {
            case PRODUCE_REQUEST -> onProduce(from, (ProduceRequest) m);
            case FETCH_REQUEST -> onFetch(from, (FetchRequest) m);
            case LIST_OFFSETS_REQUEST -> onListOffsets(from, (ListOffsetsRequest) m);
            case OFFSETS_FOR_LEADER_EPOCH_REQUEST -> onOffsetsForLeaderEpoch(from, (OffsetsForLeaderEpochRequest) m);
            case METADATA_REQUEST -> onMetadata(from, (MetadataRequest) m);
            case INIT_PRODUCER_ID_REQUEST -> onInitProducerId(from, (InitProducerIdRequest) m);
            case FETCH_RESPONSE -> fetchers.onFetchResponse(from, (FetchResponse) m);
            case OFFSETS_FOR_LEADER_EPOCH_RESPONSE -> fetchers.onEpochResponse(from, (OffsetsForLeaderEpochResponse) m);
            case LIST_OFFSETS_RESPONSE -> fetchers.onListOffsetsResponse(from, (ListOffsetsResponse) m);
            default -> {} // responses to requests brokers do not send
        }
    }

    private void onProduce(int from, ProduceRequest r) {
        long connection = disconnects.getOrDefault(from, 0L);
        boolean held = verifier.maybeVerify(r, verdict -> {
            if (disconnects.getOrDefault(from, 0L) == connection) {
                appendProduce(from, r, verdict);
            }
        });
        if (!held) {
            appendProduce(from, r, new TreeMap<>());
        }
    }

    /** The appends of a produce; {@code verdict} holds the KIP-890 verification errors of its first transactional writes. */
    private void appendProduce(int from, ProduceRequest r, TreeMap<TopicPartition, Errors> verdict) {
        List<PartitionProduceResponse> done = new ArrayList<>();
        List<DelayedProduce.Waiting> waiting = new ArrayList<>();
        for (PartitionBatch pb : r.batches()) {
            Partition p = partitions.get(pb.tp());
            if (p == null) {
                done.add(new PartitionProduceResponse(pb.tp(), Errors.NOT_LEADER_OR_FOLLOWER, -1, -1, -1, -1));
                continue;
            }
            Errors unverified = verdict.getOrDefault(pb.tp(), Errors.NONE);
            if (unverified != Errors.NONE) {
                done.add(new PartitionProduceResponse(pb.tp(), unverified, -1, p.log().logStartOffset(), p.leaderId(), p.leaderEpoch()));
                continue;
            }
            AppendResult a = p.appendRecordsToLeader(pb.batch(), r.acks());
            if (a.error() != Errors.NONE) {
                done.add(new PartitionProduceResponse(pb.tp(), a.error(), -1, a.logStartOffset(), p.leaderId(), p.leaderEpoch()));
                continue;
            }
            afterLeaderChange(p);
            if (r.acks() == -1) {
                waiting.add(new DelayedProduce.Waiting(pb.tp(), a.lastOffset() + 1, p.leaderEpoch(), a));
            } else {
                done.add(new PartitionProduceResponse(pb.tp(), Errors.NONE, a.firstOffset(), a.logStartOffset(), p.leaderId(), p.leaderEpoch()));
            }
        }
        if (r.acks() == 0) {
            return; // no response at all
        }
        DelayedProduce d = new DelayedProduce(nextDelayedId++, from, r.correlationId(), done, waiting);
        if (!tryComplete(d)) {
            delayedProduces.put(d.id, d);
            ctx.setTimer(r.timeoutMs() * 1_000_000L, new ReplicationTimer(ReplicationTimer.Kind.PRODUCE_TIMEOUT, d.id));
        }
    }

    /**
     * An append by a coordinator of this broker to a partition it leads (Kafka's internal
     * appendRecords with acks=all): {@code callback} gets NONE once the high watermark passed the
     * records, or the error a produce would get (NOT_LEADER_OR_FOLLOWER, NOT_ENOUGH_REPLICAS,
     * NOT_ENOUGH_REPLICAS_AFTER_APPEND, REQUEST_TIMED_OUT after {@code timeoutMs}). It may be
     * called before this method returns.
     */
    public void appendToLeader(TopicPartition tp, List<Record> records, long timeoutMs, AppendCallback callback) {
        appendToLeader(tp, RecordBatch.of(records), timeoutMs, callback);
    }

    /** As {@link #appendToLeader(TopicPartition, List, long, AppendCallback)} for a prepared batch (a coordinator's transactional one). */
    public void appendToLeader(TopicPartition tp, RecordBatch batch, long timeoutMs, AppendCallback callback) {
        Partition p = partitions.get(tp);
        if (p == null) {
            callback.onComplete(Errors.NOT_LEADER_OR_FOLLOWER, -1);
            return;
        }
        AppendResult a = p.appendRecordsToLeader(batch, (short) -1);
        if (a.error() != Errors.NONE) {
            callback.onComplete(a.error(), -1);
            return;
        }
        DelayedProduce d = new DelayedProduce(nextDelayedId++, -1, -1, new ArrayList<>(),
                List.of(new DelayedProduce.Waiting(tp, a.lastOffset() + 1, p.leaderEpoch(), a)));
        d.callback = callback;
        delayedProduces.put(d.id, d);
        if (!tryComplete(d)) {
            ctx.setTimer(timeoutMs * 1_000_000L, new ReplicationTimer(ReplicationTimer.Kind.PRODUCE_TIMEOUT, d.id));
        }
        afterLeaderChange(p); // wakes fetches waiting for data
    }

    /**
     * Answers the produce if every partition is done; true when answered. Every waiting partition
     * is evaluated each time, as Kafka's DelayedProduce does: a partition's outcome is fixed the
     * first time its HW passes, not when the slowest partition of the request completes (a later
     * ISR shrink must not turn a committed write into NOT_ENOUGH_REPLICAS_AFTER_APPEND).
     */
    private boolean tryComplete(DelayedProduce d) {
        if (d.completed) {
            return true; // answered by a nested completion (an internal callback that appended again)
        }
        boolean allDone = true;
        for (DelayedProduce.Waiting w : d.waiting) {
            if (w.result == null) {
                Partition p = partitions.get(w.tp);
                Errors e = p == null ? Errors.NOT_LEADER_OR_FOLLOWER : p.checkEnoughReplicasReachOffset(w.requiredOffset, w.leaderEpoch);
                if (e == Errors.NOT_ENOUGH_REPLICAS_AFTER_APPEND) {
                    ctx.reached("partition.not-enough-replicas-after-append");
                }
                w.result = e;
                allDone &= e != null;
            }
        }
        if (!allDone) {
            return false;
        }
        delayedProduces.remove(d.id);
        d.complete(ctx);
        return true;
    }

    private void onFetch(int from, FetchRequest r) {
        DelayedFetch d = new DelayedFetch(nextDelayedId++, from, r, disconnects.getOrDefault(from, 0L));
        if (!tryComplete(d, false, true)) {
            delayedFetches.put(d.id, d);
            ctx.setTimer(r.maxWaitMs() * 1_000_000L, new ReplicationTimer(ReplicationTimer.Kind.FETCH_EXPIRY, d.id));
        }
    }

    /** Serves the fetch now if it has enough bytes, an error, or {@code expired}; true when answered. */
    private boolean tryComplete(DelayedFetch d, boolean expired, boolean firstEvaluation) {
        FetchRequest r = d.request;
        List<FetchPartitionResponse> out = new ArrayList<>(r.partitions().size());
        int bytes = 0;
        boolean error = false;
        for (FetchPartition fp : r.partitions()) {
            Partition p = partitions.get(fp.tp());
            FetchPartitionResponse pr = p == null
                    ? FetchPartitionResponse.error(fp.tp(), Errors.NOT_LEADER_OR_FOLLOWER, -1, -1)
                    : p.fetch(fp, r.replicaId(), r.replicaEpoch(), Math.max(0, r.maxBytes() - bytes), r.isolationLevel());
            if (!firstEvaluation && ctx.bug(Bug.KAFKA_5376) && !pr.abortedTransactions().isEmpty()) {
                // KAFKA-5376's fix (DelayedFetch's completion passes the read's aborted transactions
                // on): the faulty rule built the response of a fetch completed from the purgatory
                // without them, so the consumer cannot tell aborted records from committed ones
                ctx.reached("fetch.delayed-dropped-aborted-transactions");
                pr = new FetchPartitionResponse(pr.tp(), pr.error(), pr.highWatermark(), pr.lastStableOffset(), pr.logStartOffset(),
                        pr.divergingEpoch(), pr.currentLeaderId(), pr.currentLeaderEpoch(), pr.batches(), List.of());
            }
            if (p != null && r.fromFollower() && firstEvaluation) {
                afterLeaderChange(p); // a follower's fetch may move the HW and the ISR
            }
            error |= pr.error() != Errors.NONE || !pr.divergingEpoch().isUndefined();
            for (var b : pr.batches()) {
                bytes += b.sizeBytes();
            }
            out.add(pr);
        }
        if (!expired && !error && bytes < r.minBytes() && r.maxWaitMs() > 0) {
            return false;
        }
        if (disconnects.getOrDefault(d.client, 0L) == d.connection) {
            ctx.send(d.client, new FetchResponse(r.correlationId(), Errors.NONE, out));
        } else {
            // read and credited like a live request (above), answered to no one: the connection it came on is gone
            ctx.reached("fetch.follower-completed-after-disconnect");
            if (r.replicaEpoch() >= 0 && r.replicaEpoch() < registeredEpoch(r.replicaId())) {
                ctx.reached("fetch.follower-completed-after-re-registration"); // KAFKA-14139's moment
            }
        }
        return true;
    }

    private void onListOffsets(int from, ListOffsetsRequest r) {
        List<ListOffsetsPartitionResponse> out = new ArrayList<>();
        for (ListOffsetsPartition lp : r.partitions()) {
            Partition p = partitions.get(lp.tp());
            if (p == null || p.role() != Partition.Role.LEADER) {
                out.add(new ListOffsetsPartitionResponse(lp.tp(), Errors.NOT_LEADER_OR_FOLLOWER, -1, -1));
            } else if (lp.currentLeaderEpoch() >= 0 && lp.currentLeaderEpoch() != p.leaderEpoch()) {
                out.add(new ListOffsetsPartitionResponse(lp.tp(),
                        lp.currentLeaderEpoch() < p.leaderEpoch() ? Errors.FENCED_LEADER_EPOCH : Errors.UNKNOWN_LEADER_EPOCH, -1, -1));
            } else {
                UnifiedLog log = p.log();
                long offset = lp.timestamp() == ApiMessage.EARLIEST_TIMESTAMP ? log.logStartOffset()
                        : r.replicaId() >= 0 ? log.logEndOffset()
                        : r.isolationLevel() == IsolationLevel.READ_COMMITTED ? log.lastStableOffset() : log.highWatermark();
                out.add(new ListOffsetsPartitionResponse(lp.tp(), Errors.NONE, offset, p.leaderEpoch()));
            }
        }
        ctx.send(from, new ListOffsetsResponse(r.correlationId(), out));
    }

    private void onOffsetsForLeaderEpoch(int from, OffsetsForLeaderEpochRequest r) {
        List<EpochResponsePartition> out = new ArrayList<>();
        boolean fence = !ctx.bug(Bug.KAFKA_7395);
        for (EpochRequestPartition ep : r.partitions()) {
            Partition p = partitions.get(ep.tp());
            if (p == null) {
                out.add(new EpochResponsePartition(ep.tp(), Errors.NOT_LEADER_OR_FOLLOWER, dev.samsa.impl.log.EpochEndOffset.UNDEFINED));
            } else if (fence && ep.currentLeaderEpoch() >= 0 && ep.currentLeaderEpoch() < p.leaderEpoch()) {
                out.add(new EpochResponsePartition(ep.tp(), Errors.FENCED_LEADER_EPOCH, dev.samsa.impl.log.EpochEndOffset.UNDEFINED));
            } else if (fence && ep.currentLeaderEpoch() > p.leaderEpoch()) {
                out.add(new EpochResponsePartition(ep.tp(), Errors.UNKNOWN_LEADER_EPOCH, dev.samsa.impl.log.EpochEndOffset.UNDEFINED));
            } else if (p.role() != Partition.Role.LEADER && !(ctx.bug(Bug.KAFKA_7395) && p.log().logEndOffset() >= 0 && p.role() != Partition.Role.NONE)) {
                out.add(new EpochResponsePartition(ep.tp(), Errors.NOT_LEADER_OR_FOLLOWER, dev.samsa.impl.log.EpochEndOffset.UNDEFINED));
            } else {
                out.add(new EpochResponsePartition(ep.tp(), Errors.NONE, p.endOffsetForEpoch(ep.leaderEpoch())));
            }
        }
        ctx.send(from, new OffsetsForLeaderEpochResponse(r.correlationId(), out));
    }

    private void onMetadata(int from, MetadataRequest r) {
        ClusterImage image = host.image();
        List<Integer> alive = new ArrayList<>();
        for (BrokerRegistration b : image.brokers().values()) {
            if (!b.fenced()) {
                alive.add(b.brokerId());
            }
        }
        List<PartitionMetadata> parts = new ArrayList<>();
        for (String topic : r.topics()) {
            List<PartitionRegistration> regs = image.partitionsOf(topic);
            // Kafka's controller writes a topic and its partitions as one atomic batch, so no broker
            // ever serves part of a new topic; samsa's metadata log may commit them in several
            // fetches, so a topic is unknown until all its partitions are in the image (a group
            // leader assigning half a topic would otherwise keep that assignment).
            if (regs.isEmpty() || regs.size() < image.topic(topic).orElse(0)) {
                parts.add(new PartitionMetadata(new TopicPartition(topic, 0), Errors.UNKNOWN_TOPIC_OR_PARTITION, -1, -1, List.of(), List.of()));
            }
            for (PartitionRegistration reg : regs) {
                parts.add(new PartitionMetadata(reg.tp(), reg.hasLeader() ? Errors.NONE : Errors.LEADER_NOT_AVAILABLE, reg.leader(),
                        reg.leaderEpoch(), reg.replicas(), reg.isr()));
            }
        }
        ctx.send(from, new MetadataResponse(r.correlationId(), alive, parts));
    }

    /** Idempotent producers get an id unique in the cluster: this broker's epoch (a metadata offset) and a counter. */
    private void onInitProducerId(int from, InitProducerIdRequest r) {
        if (host.brokerEpoch() < 0) {
            ctx.send(from, new InitProducerIdResponse(r.correlationId(), Errors.COORDINATOR_NOT_AVAILABLE, -1, (short) -1));
            return;
        }
        long pid = (host.brokerEpoch() << 20) | (nextProducerIdSeq++ & 0xFFFFF);
        ctx.send(from, new InitProducerIdResponse(r.correlationId(), Errors.NONE, pid, (short) 0));
    }

    // ================================================================== WriteTxnMarkers

    /**
     * Transaction protocol messages a partition leader serves: WriteTxnMarkers, and the
     * coordinator's answers to its KIP-890 verifications (the coordinator's own requests are the
     * transaction coordinator's).
     */
    public void handleTxn(int from, TxnMessage m) {
        if (m.kind() == TxnMessage.Kind.WRITE_TXN_MARKERS_REQUEST) {
            verifier.onMarkers((WriteTxnMarkersRequest) m);
            markers.onWriteTxnMarkers(from, (WriteTxnMarkersRequest) m, nextDelayedId++);
        } else if (m.kind() == TxnMessage.Kind.ADD_PARTITIONS_TO_TXN_RESPONSE) {
            verifier.onResponse((TxnMessage.AddPartitionsToTxnResponse) m);
        }
    }

    // ================================================================== purgatory wake-ups

    /** After a leader-side change to {@code p} (append, follower fetch, ISR change): complete what it unblocks. */
    private void afterLeaderChange(Partition p) {
        if (p.role() == Partition.Role.LEADER) {
            completeDelayed(p.topicPartition());
        }
    }

    private void completeDelayed(TopicPartition tp) {
        if (!delayedProduces.isEmpty()) {
            List<Long> ids = new ArrayList<>();
            for (DelayedProduce d : delayedProduces.values()) {
                if (d.involves(tp)) {
                    ids.add(d.id);
                }
            }
            for (long id : ids) {
                DelayedProduce d = delayedProduces.get(id);
                if (d != null && tryComplete(d)) {
                    delayedProduces.remove(id);
                }
            }
        }
        markers.complete(tp);
        if (!delayedFetches.isEmpty()) {
            List<Long> ids = new ArrayList<>();
            for (DelayedFetch d : delayedFetches.values()) {
                if (d.involves(tp)) {
                    ids.add(d.id);
                }
            }
            for (long id : ids) {
                DelayedFetch d = delayedFetches.remove(id);
                if (d != null && !tryComplete(d, false, false)) {
                    delayedFetches.put(id, d);
                }
            }
        }
    }

    // ================================================================== timers and connections

    public boolean onTimer(ReplicationTimer t) {
        switch (t.kind()) {
            case ISR_SHRINK -> {
                for (Partition p : partitions.values()) {
                    p.maybeShrinkIsr();
                    afterLeaderChange(p);
                }
                periodic(t.kind(), t.id());
            }
            case HW_CHECKPOINT -> {
                for (Partition p : partitions.values()) {
                    p.log().checkpointHighWatermark();
                }
                periodic(t.kind(), t.id());
            }
            case LOG_CLEANUP -> {
                long now = ctx.wallClockMs();
                for (Partition p : partitions.values()) {
                    if (logConfig.delete()) {
                        p.log().deleteOldSegments(now);
                    }
                    if (logConfig.compact()) {
                        p.log().compact(now);
                    }
                }
                periodic(t.kind(), t.id());
            }
            case LOG_FLUSH -> {
                long now = ctx.wallClockMs();
                for (Partition p : partitions.values()) {
                    p.log().maybeFlush(now);
                }
                periodic(t.kind(), t.id());
            }
            case ALTER_PARTITION_RETRY -> {
                long timeout = 2_000_000_000L;
                for (Partition p : partitions.values()) {
                    Long sent = alterSentAtNanos.get(p.topicPartition());
                    if (p.alterPending() && (sent == null || ctx.nowNanos() - sent >= timeout || sent == 0L)) {
                        p.sendAlterPartition();
                    }
                }
                periodic(t.kind(), t.id());
            }
            case PRODUCE_TIMEOUT -> {
                DelayedProduce d = delayedProduces.remove(t.id());
                if (d != null) {
                    for (DelayedProduce.Waiting w : d.waiting) {
                        if (w.result == null) {
                            w.result = Errors.REQUEST_TIMED_OUT;
                        }
                    }
                    d.complete(ctx);
                }
            }
            case TXN_MARKERS_TIMEOUT -> markers.onTimeout(t.id());
            case FETCH_EXPIRY -> {
                DelayedFetch d = delayedFetches.remove(t.id());
                if (d != null) {
                    tryComplete(d, true, false);
                }
            }
            case FETCHER_REQUEST_TIMEOUT -> fetchers.onRequestTimeout(t.id());
            case FETCHER_BACKOFF -> fetchers.onBackoffOver((int) t.id());
        }
        return true;
    }

    public void onDisconnect(int peer) {
        disconnects.merge(peer, 1L, Long::sum);
        verifier.onDisconnect(peer);
        fetchers.onDisconnect(peer);
        // Requests parked for that peer can no longer be answered on this connection. A follower's
        // Fetch stays parked all the same: Kafka's fetch purgatory is keyed by partition and does
        // not watch connections, so a DelayedFetch of a dead connection still completes (on data
        // or after replica.fetch.wait.max.ms), and its onComplete reads the log through
        // Partition.fetchRecords, which updates the follower's fetch state (its log end, under the
        // broker epoch the request carried) exactly as for a live request; only the response is
        // dropped, the request channel finding no open connection to send it on. Hence a fetch of
        // a crashed incarnation can be credited after that broker re-registered (KAFKA-14139,
        // fenced by KIP-903). Consumers' fetches touch no state: dropping them changes nothing.
        delayedFetches.values().removeIf(d -> d.client == peer && !d.request.fromFollower());
        delayedProduces.values().removeIf(d -> d.client == peer);
        markers.onDisconnect(peer);
    }

    // ================================================================== views

    /** A follower's Fetch parked in this broker's purgatory: one partition of it, at the offset it asked for. */
    public record ParkedFollowerFetch(long id, int follower, long brokerEpoch, TopicPartition tp, long fetchOffset) {}

    /** The followers' fetches parked now, oldest first (for the harness's fault triggers). */
    public List<ParkedFollowerFetch> parkedFollowerFetches() {
        List<ParkedFollowerFetch> out = new ArrayList<>();
        for (DelayedFetch d : delayedFetches.values()) {
            if (d.request.fromFollower()) {
                for (FetchPartition fp : d.request.partitions()) {
                    out.add(new ParkedFollowerFetch(d.id, d.request.replicaId(), d.request.replicaEpoch(), fp.tp(), fp.fetchOffset()));
                }
            }
        }
        return out;
    }

    public NavigableMap<TopicPartition, Partition> partitions() {
        return Collections.unmodifiableNavigableMap(partitions);
    }
}
