package dev.samsa.impl.txn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.samsa.impl.client.ConsumerGroupMetadata;
import dev.samsa.impl.client.DefaultPartitioner;
import dev.samsa.impl.client.KafkaProducer;
import dev.samsa.impl.client.OffsetAndMetadata;
import dev.samsa.impl.client.ProducerRecord;
import dev.samsa.impl.client.SendResult;
import dev.samsa.impl.controller.ControllerMessage;
import dev.samsa.impl.coordinator.CoordinatorLookup;
import dev.samsa.impl.coordinator.CoordinatorTimer;
import dev.samsa.impl.group.GroupCoordinator;
import dev.samsa.impl.log.RecordBatch;
import dev.samsa.impl.metadata.ClusterImage;
import dev.samsa.impl.metadata.TopicRecord;
import dev.samsa.impl.node.Message;
import dev.samsa.impl.node.Timer;
import dev.samsa.impl.protocol.ApiMessage;
import dev.samsa.impl.protocol.ApiMessage.InitProducerIdRequest;
import dev.samsa.impl.protocol.Errors;
import dev.samsa.impl.protocol.GroupMessage;
import dev.samsa.impl.protocol.GroupMessage.FindCoordinatorRequest;
import dev.samsa.impl.protocol.GroupMessage.FindCoordinatorResponse;
import dev.samsa.impl.protocol.TopicPartition;
import dev.samsa.impl.protocol.TxnMessage;
import dev.samsa.impl.protocol.TxnMessage.TxnOffsetCommitRequest;
import dev.samsa.impl.replication.ReplicaManager;
import dev.samsa.impl.replication.ReplicationTimer;
import dev.samsa.impl.testing.TestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/**
 * The transactional KafkaProducer against one real broker (node 0) that is transaction
 * coordinator, group coordinator and leader of {@code t-0}: InitProducerId, AddPartitionsToTxn,
 * the leader's verification (KIP-890), AddOffsetsToTxn, TxnOffsetCommit, EndTxn with its bumped
 * epoch, and the markers that end the transaction on {@code t-0} and on {@code __consumer_offsets}.
 */
class TransactionalProducerEndToEndTest {

    private static final TopicPartition OFFSETS_TP = new TopicPartition(CoordinatorLookup.GROUP_METADATA_TOPIC, 0);
    private static final TopicPartition IN0 = new TopicPartition("in", 0);

    private final TxnFixture f = new TxnFixture(0);
    private final TestContext client = new TestContext(100);
    private GroupCoordinator gc;
    private KafkaProducer producer;
    private final List<Errors> ops = new ArrayList<>();
    private final List<SendResult> results = new ArrayList<>();
    private int clientDelivered;
    private int brokerDelivered;

    private void start() {
        f.ctx.settings = f.ctx.settings.with("offsets.topic.num.partitions", "1");
        f.apply(new TopicRecord(CoordinatorLookup.GROUP_METADATA_TOPIC, 1));
        f.rm = new ReplicaManager(f.ctx, new ReplicaManager.Host() {
            @Override
            public ClusterImage image() {
                return f.image;
            }

            @Override
            public long brokerEpoch() {
                return 0;
            }

            @Override
            public void sendToController(ControllerMessage m) {}
        });
        f.tc = new TransactionCoordinator(f.ctx, f.rm, () -> f.image);
        gc = new GroupCoordinator(f.ctx, f.rm, () -> f.image);
        f.rm.setLeadershipListener(new ReplicaManager.LeadershipListener() {
            @Override
            public void onBecameLeader(TopicPartition tp, int leaderEpoch) {
                f.tc.onBecameLeader(tp, leaderEpoch);
                gc.onBecameLeader(tp, leaderEpoch);
            }

            @Override
            public void onResigned(TopicPartition tp, int leaderEpoch) {
                f.tc.onResigned(tp, leaderEpoch);
                gc.onResigned(tp, leaderEpoch);
            }
        });
        f.rm.setTxnMarkerListener((tp, pid, epoch, committed) -> {
            if (tp.topic().equals(CoordinatorLookup.GROUP_METADATA_TOPIC)) {
                gc.runtime().onMarkerReplicated(tp, pid, epoch, committed);
            }
        });
        f.rm.start();
        f.create(TxnFixture.STATE_TP, 0, List.of(0)).create(OFFSETS_TP, 0, List.of(0)).create(TxnFixture.T0, 0, List.of(0));
        client.settings = client.settings.with("transactional.id", "tx").with("linger.ms", "0");
        producer = new KafkaProducer(client, List.of(0), new DefaultPartitioner(client.random()));
    }

    /** Delivers messages both ways (every client request goes to broker 0) until none is left. */
    private void pump() {
        boolean any = true;
        while (any) {
            any = false;
            while (clientDelivered < client.outbox.size()) {
                any = true;
                toBroker(client.outbox.get(clientDelivered++).message());
            }
            while (brokerDelivered < f.ctx.outbox.size()) {
                any = true;
                var s = f.ctx.outbox.get(brokerDelivered++);
                if (s.to() == 100) {
                    producer.onMessage(0, s.message());
                } else if (s.to() == 0) {
                    fromSelf(s.message());
                }
            }
        }
    }

    private void toBroker(Message m) {
        if (m instanceof FindCoordinatorRequest r) {
            producer.onMessage(0, new FindCoordinatorResponse(r.correlationId(), Errors.NONE, 0));
        } else if (m instanceof InitProducerIdRequest r && !r.transactionalId().isEmpty()) {
            f.tc.handleInitProducerId(100, r);
        } else if (m instanceof TxnOffsetCommitRequest r) {
            gc.handleTxnOffsetCommit(100, r);
        } else if (m instanceof TxnMessage t) {
            f.tc.handle(100, t);
        } else if (m instanceof GroupMessage g) {
            gc.handle(100, g);
        } else if (m instanceof ApiMessage a) {
            f.rm.handle(100, a);
        }
    }

    private void fromSelf(Message m) {
        if (m instanceof TxnMessage t) {
            switch (t.kind()) {
                case ADD_PARTITIONS_TO_TXN_REQUEST, ADD_OFFSETS_TO_TXN_REQUEST, END_TXN_REQUEST, WRITE_TXN_MARKERS_RESPONSE -> f.tc.handle(0, t);
                default -> f.rm.handleTxn(0, t);
            }
        } else if (m instanceof ApiMessage a) {
            f.rm.handle(0, a);
        }
    }

    /** Moves both clocks by {@code ms}, firing timers, then delivers everything. */
    private void advance(long ms) {
        long target = client.now + ms * 1_000_000L;
        for (Timer t : client.advanceTo(target)) {
            producer.onTimer(t);
        }
        for (Timer t : f.ctx.advanceTo(target)) {
            if (t instanceof CoordinatorTimer c) {
                if (c.topic().equals(CoordinatorLookup.GROUP_METADATA_TOPIC)) {
                    gc.onTimer(c);
                } else {
                    f.tc.onTimer(c);
                }
            } else if (t instanceof ReplicationTimer r) {
                f.rm.onTimer(r);
            }
        }
        pump();
    }

    private void settle() {
        for (int i = 0; i < 20; i++) {
            advance(10);
        }
    }

    private List<RecordBatch> batches(TopicPartition tp) {
        return f.rm.partitions().get(tp).log().allBatches();
    }

    private void send(String value) {
        producer.send(new ProducerRecord("t", OptionalInt.of(0), null, value, -1), results::add);
    }

    @Test
    void aCommittedTransactionWritesRecordsMarkersAndOffsets() {
        start();
        producer.initTransactions(ops::add);
        settle();
        assertThat(ops).containsExactly(Errors.NONE);

        producer.beginTransaction();
        send("a");
        send("b");
        producer.sendOffsetsToTransaction(Map.of(IN0, new OffsetAndMetadata(42)), new ConsumerGroupMetadata("g", -1, "", null), ops::add);
        settle();
        assertThat(results).extracting(SendResult::error).containsExactly(Errors.NONE, Errors.NONE);
        assertThat(ops).containsExactly(Errors.NONE, Errors.NONE);
        assertThat(gc.committedOffsets("g").orElseThrow()).as("pending until the marker").isEmpty();

        producer.commitTransaction(ops::add);
        settle();
        assertThat(ops).containsExactly(Errors.NONE, Errors.NONE, Errors.NONE);
        List<RecordBatch> t0 = batches(TxnFixture.T0);
        assertThat(t0.get(t0.size() - 1).control()).as("a COMMIT marker ends the transaction on t-0").isTrue();
        assertThat(t0.stream().filter(b -> !b.control()).allMatch(RecordBatch::transactional)).isTrue();
        assertThat(gc.committedOffsets("g").orElseThrow().get(IN0).offset()).isEqualTo(42);

        // the next transaction runs under the epoch EndTxn returned, and its abort discards its offsets
        short epochBefore = t0.get(0).producerEpoch();
        producer.beginTransaction();
        send("c");
        producer.sendOffsetsToTransaction(Map.of(IN0, new OffsetAndMetadata(50)), new ConsumerGroupMetadata("g", -1, "", null), ops::add);
        settle();
        producer.abortTransaction(ops::add);
        settle();
        assertThat(ops).containsExactly(Errors.NONE, Errors.NONE, Errors.NONE, Errors.NONE, Errors.NONE);
        List<RecordBatch> after = batches(TxnFixture.T0);
        RecordBatch c = after.stream().filter(b -> !b.control() && b.records().get(0).value().equals("c")).findFirst().orElseThrow();
        assertThat(c.producerEpoch()).isGreaterThan(epochBefore);
        assertThat(after.get(after.size() - 1).control()).isTrue();
        assertThat(gc.committedOffsets("g").orElseThrow().get(IN0).offset()).as("the aborted offsets are discarded").isEqualTo(42);
    }
}
