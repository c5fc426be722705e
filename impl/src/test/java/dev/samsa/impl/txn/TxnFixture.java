package dev.samsa.impl.txn;

import dev.samsa.impl.controller.ControllerMessage;
import dev.samsa.impl.coordinator.CoordinatorLookup;
import dev.samsa.impl.coordinator.CoordinatorTimer;
import dev.samsa.impl.log.Record;
import dev.samsa.impl.log.RecordBatch;
import dev.samsa.impl.metadata.ClusterImage;
import dev.samsa.impl.metadata.MetadataRecord;
import dev.samsa.impl.metadata.PartitionChangeRecord;
import dev.samsa.impl.metadata.PartitionRecord;
import dev.samsa.impl.metadata.PartitionRegistration;
import dev.samsa.impl.metadata.RegisterBrokerRecord;
import dev.samsa.impl.metadata.TopicRecord;
import dev.samsa.impl.metadata.UnfenceBrokerRecord;
import dev.samsa.impl.node.Message;
import dev.samsa.impl.node.Timer;
import dev.samsa.impl.protocol.ApiMessage;
import dev.samsa.impl.protocol.ApiMessage.FetchPartition;
import dev.samsa.impl.protocol.ApiMessage.FetchRequest;
import dev.samsa.impl.protocol.IsolationLevel;
import dev.samsa.impl.protocol.ApiMessage.InitProducerIdRequest;
import dev.samsa.impl.protocol.ApiMessage.InitProducerIdResponse;
import dev.samsa.impl.protocol.ApiMessage.PartitionBatch;
import dev.samsa.impl.protocol.ApiMessage.ProduceRequest;
import dev.samsa.impl.protocol.ApiMessage.ProduceResponse;
import dev.samsa.impl.protocol.Errors;
import dev.samsa.impl.protocol.TopicPartition;
import dev.samsa.impl.protocol.TxnMessage;
import dev.samsa.impl.protocol.TxnMessage.AddPartitionsToTxnRequest;
import dev.samsa.impl.protocol.TxnMessage.AddPartitionsToTxnResponse;
import dev.samsa.impl.protocol.TxnMessage.EndTxnRequest;
import dev.samsa.impl.protocol.TxnMessage.EndTxnResponse;
import dev.samsa.impl.protocol.TxnMessage.PartitionResult;
import dev.samsa.impl.protocol.TxnMessage.WritableTxnMarkerResult;
import dev.samsa.impl.protocol.TxnMessage.WriteTxnMarkersRequest;
import dev.samsa.impl.protocol.TxnMessage.WriteTxnMarkersResponse;
import dev.samsa.impl.replication.ReplicaManager;
import dev.samsa.impl.replication.ReplicationTimer;
import dev.samsa.impl.testing.TestContext;
import dev.samsa.spec.bugs.Bug;
import java.util.ArrayList;
import java.util.List;

/**
 * One broker's {@link TransactionCoordinator} over a real {@link ReplicaManager} on a
 * {@link TestContext}: brokers 0, 1 and 2 registered; {@code __transaction_state} with one
 * partition (every transactional id lives in partition 0), topic {@code t} with two partitions.
 * Clients are node ids 100+; requests are handed in, answers read from the outbox; messages the
 * broker sends itself are delivered by {@link #pumpSelf()}. The clock is in milliseconds.
 */
final class TxnFixture {

    static final TopicPartition STATE_TP = new TopicPartition(CoordinatorLookup.TRANSACTION_STATE_TOPIC, 0);
    static final TopicPartition T0 = new TopicPartition("t", 0);
    static final TopicPartition T1 = new TopicPartition("t", 1);
    static final String TXN = "tx";
    static final int CLIENT = 100;

    final TestContext ctx;
    final ClusterImage image = new ClusterImage();
    ReplicaManager rm;
    TransactionCoordinator tc;
    long nextOffset;
    long nowMs;
    private long nextCorrelation = 1;
    /** How much of the outbox {@link #pumpSelf()} has gone through. */
    private int delivered;

    TxnFixture(int self, Bug... bugs) {
        ctx = new TestContext(self);
        for (Bug b : bugs) {
            ctx.bugs.add(b);
        }
        ctx.settings = ctx.settings.with("transaction.state.log.num.partitions", "1").with("min.insync.replicas", "1");
        for (int b = 0; b < 3; b++) {
            apply(new RegisterBrokerRecord(b, 1000 + b));
        }
        for (int b = 0; b < 3; b++) {
            apply(new UnfenceBrokerRecord(b, b));
        }
        apply(new TopicRecord(CoordinatorLookup.TRANSACTION_STATE_TOPIC, 1));
        apply(new TopicRecord("t", 2));
    }

    TxnFixture set(String key, String value) {
        ctx.settings = ctx.settings.with(key, value);
        return this;
    }

    TxnFixture start() {
        rm = new ReplicaManager(ctx, new ReplicaManager.Host() {
            @Override
            public ClusterImage image() {
                return image;
            }

            @Override
            public long brokerEpoch() {
                return ctx.nodeId;
            }

            @Override
            public void sendToController(ControllerMessage m) {}
        });
        tc = new TransactionCoordinator(ctx, rm, () -> image);
        rm.setLeadershipListener(new ReplicaManager.LeadershipListener() {
            @Override
            public void onBecameLeader(TopicPartition tp, int leaderEpoch) {
                tc.onBecameLeader(tp, leaderEpoch);
            }

            @Override
            public void onResigned(TopicPartition tp, int leaderEpoch) {
                tc.onResigned(tp, leaderEpoch);
            }
        });
        rm.start();
        return this;
    }

    long apply(MetadataRecord r) {
        long offset = nextOffset++;
        image.apply(offset, r);
        return offset;
    }

    /** Creates {@code tp} on replicas 0, 1, 2 with {@code leader} and {@code isr}. */
    TxnFixture create(TopicPartition tp, int leader, List<Integer> isr) {
        long offset = apply(new PartitionRecord(tp, List.of(0, 1, 2), isr, leader, 0, 0));
        rm.onPartitionChange(image.partition(tp).orElseThrow(), offset);
        return this;
    }

    /** The usual layout: broker 0 coordinates alone (ISR [0]); t-0 led by 1, t-1 by 2. */
    static TxnFixture coordinator(Bug... bugs) {
        return coordinator(new TxnFixture(0, bugs));
    }

    /** The usual layout on a fixture configured beforehand (settings read at load, e.g. the timeout sweep, apply). */
    static TxnFixture coordinator(TxnFixture f) {
        f.start();
        f.create(STATE_TP, 0, List.of(0)).create(T0, 1, List.of(1)).create(T1, 2, List.of(2));
        return f;
    }

    void changeLeader(TopicPartition tp, int leader, int leaderEpoch, List<Integer> isr) {
        PartitionRegistration old = image.partition(tp).orElseThrow();
        long offset = apply(new PartitionChangeRecord(tp, leader, isr, leaderEpoch, old.partitionEpoch() + 1, false));
        rm.onPartitionChange(image.partition(tp).orElseThrow(), offset);
    }

    /** Copies another broker's transaction log into this one (as a follower would have fetched it). */
    void replicateFrom(TxnFixture other) {
        var log = rm.partitions().get(STATE_TP).log();
        List<RecordBatch> batches = other.rm.partitions().get(STATE_TP).log().allBatches();
        log.appendAsFollower(batches, 0);
        log.updateHighWatermark(log.logEndOffset());
    }

    /** A follower's fetch of the transaction log from {@code offset}: moves the HW to it. */
    void followerFetch(int follower, long offset) {
        int epoch = rm.partitions().get(STATE_TP).leaderEpoch();
        rm.handle(follower, new FetchRequest(correlation(), follower, follower, 0, 1, 1 << 20, IsolationLevel.READ_UNCOMMITTED,
                List.of(new FetchPartition(STATE_TP, epoch, offset, epoch, 0, 1 << 20))));
    }

    /** Moves the clock to {@code ms}, firing due timers one by one in time order. */
    void advanceToMs(long ms) {
        while (true) {
            List<Timer> due = ctx.advanceTo(ms * 1_000_000L);
            if (due.isEmpty()) {
                break;
            }
            for (Timer t : due) {
                if (t instanceof CoordinatorTimer c) {
                    tc.onTimer(c);
                } else if (t instanceof ReplicationTimer r) {
                    rm.onTimer(r);
                }
            }
        }
        nowMs = ms;
    }

    void advanceByMs(long ms) {
        advanceToMs(nowMs + ms);
    }

    long correlation() {
        return nextCorrelation++;
    }

    // ------------------------------------------------------------------ client requests

    /** The last message of {@code type} sent to {@code to} with {@code correlationId}, or null. */
    <T extends Message> T answer(int to, long correlationId, Class<T> type) {
        for (int i = ctx.outbox.size() - 1; i >= 0; i--) {
            var s = ctx.outbox.get(i);
            if (s.to() == to && type.isInstance(s.message())) {
                long c = s.message() instanceof TxnMessage t ? t.correlationId()
                        : s.message() instanceof InitProducerIdResponse r ? r.correlationId()
                        : s.message() instanceof ProduceResponse p ? p.correlationId() : -1;
                if (c == correlationId) {
                    return type.cast(s.message());
                }
            }
        }
        return null;
    }

    InitProducerIdResponse init() {
        long c = correlation();
        tc.handleInitProducerId(CLIENT, new InitProducerIdRequest(c, TXN, -1, (short) -1));
        return answer(CLIENT, c, InitProducerIdResponse.class);
    }

    /** The error of adding {@code tps} (all the same here), or null while the write waits. */
    Errors add(long pid, short epoch, TopicPartition... tps) {
        long c = correlation();
        tc.handle(CLIENT, new AddPartitionsToTxnRequest(c, TXN, pid, epoch, List.of(tps), false));
        AddPartitionsToTxnResponse r = answer(CLIENT, c, AddPartitionsToTxnResponse.class);
        return r == null ? null : r.results().get(0).error();
    }

    List<PartitionResult> verify(long pid, short epoch, TopicPartition... tps) {
        long c = correlation();
        tc.handle(CLIENT, new AddPartitionsToTxnRequest(c, TXN, pid, epoch, List.of(tps), true));
        return answer(CLIENT, c, AddPartitionsToTxnResponse.class).results();
    }

    EndTxnResponse end(long pid, short epoch, boolean commit) {
        long c = correlation();
        tc.handle(CLIENT, new EndTxnRequest(c, TXN, pid, epoch, commit));
        return answer(CLIENT, c, EndTxnResponse.class);
    }

    TransactionMetadata md() {
        return tc.metadata(TXN).orElseThrow();
    }

    /** WriteTxnMarkers requests sent to {@code broker}, oldest first. */
    List<WriteTxnMarkersRequest> markersTo(int broker) {
        List<WriteTxnMarkersRequest> out = new ArrayList<>();
        for (var s : ctx.outbox) {
            if (s.to() == broker && s.message() instanceof WriteTxnMarkersRequest w) {
                out.add(w);
            }
        }
        return out;
    }

    WriteTxnMarkersRequest lastMarkersTo(int broker) {
        List<WriteTxnMarkersRequest> l = markersTo(broker);
        return l.isEmpty() ? null : l.get(l.size() - 1);
    }

    /** The leader answers {@code r}: every partition with {@code error}. */
    void answerMarkers(int broker, WriteTxnMarkersRequest r, Errors error) {
        List<WritableTxnMarkerResult> out = new ArrayList<>();
        for (var m : r.markers()) {
            List<PartitionResult> ps = new ArrayList<>();
            for (TopicPartition tp : m.partitions()) {
                ps.add(new PartitionResult(tp, error));
            }
            out.add(new WritableTxnMarkerResult(m.producerId(), ps));
        }
        tc.handle(broker, new WriteTxnMarkersResponse(r.correlationId(), out));
    }

    // ------------------------------------------------------------------ a broker that is both coordinator and leader

    /** Delivers what the broker sent itself (verifications, markers and their answers) until none is left. */
    void pumpSelf() {
        int done = delivered;
        while (true) {
            List<TestContext.Sent> todo = new ArrayList<>();
            for (int i = done; i < ctx.outbox.size(); i++) {
                todo.add(ctx.outbox.get(i));
            }
            done = ctx.outbox.size();
            delivered = done;
            boolean any = false;
            for (var s : todo) {
                if (s.to() != ctx.nodeId) {
                    continue;
                }
                any = true;
                Message m = s.message();
                if (m instanceof TxnMessage t) {
                    switch (t.kind()) {
                        case ADD_PARTITIONS_TO_TXN_REQUEST, ADD_OFFSETS_TO_TXN_REQUEST, END_TXN_REQUEST, WRITE_TXN_MARKERS_RESPONSE ->
                                tc.handle(ctx.nodeId, t);
                        default -> rm.handleTxn(ctx.nodeId, t);
                    }
                } else if (m instanceof ApiMessage a) {
                    rm.handle(ctx.nodeId, a);
                }
            }
            if (!any && done == ctx.outbox.size()) {
                return;
            }
        }
    }

    static RecordBatch txnBatch(long pid, short epoch, int seq, String value) {
        List<Record> rs = List.of(new Record(null, value, 0));
        return new RecordBatch(-1, -1, pid, epoch, seq, true, false, "none", rs, RecordBatch.uncompressedSize(rs));
    }

    /** A transactional produce to {@code tp} (acks=1); returns its correlation id. */
    long produce(TopicPartition tp, long pid, short epoch, int seq, String value) {
        long c = correlation();
        rm.handle(CLIENT, new ProduceRequest(c, (short) 1, 30_000, List.of(new PartitionBatch(tp, txnBatch(pid, epoch, seq, value))), TXN));
        return c;
    }

    Errors produceError(long correlationId) {
        ProduceResponse r = answer(CLIENT, correlationId, ProduceResponse.class);
        return r == null ? null : r.responses().get(0).error();
    }
}
