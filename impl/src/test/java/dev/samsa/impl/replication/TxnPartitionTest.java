package dev.samsa.impl.replication;

import static dev.samsa.impl.replication.ReplicaFixture.CLIENT;
import static dev.samsa.impl.replication.ReplicaFixture.TP;
import static dev.samsa.impl.replication.ReplicaFixture.TP1;
import static org.assertj.core.api.Assertions.assertThat;

import dev.samsa.impl.log.Record;
import dev.samsa.impl.log.RecordBatch;
import dev.samsa.impl.protocol.ApiMessage.AbortedTransaction;
import dev.samsa.impl.protocol.ApiMessage.FetchPartition;
import dev.samsa.impl.protocol.ApiMessage.FetchPartitionResponse;
import dev.samsa.impl.protocol.ApiMessage.FetchRequest;
import dev.samsa.impl.protocol.ApiMessage.FetchResponse;
import dev.samsa.impl.protocol.ApiMessage.ListOffsetsPartition;
import dev.samsa.impl.protocol.ApiMessage.ListOffsetsRequest;
import dev.samsa.impl.protocol.ApiMessage.ListOffsetsResponse;
import dev.samsa.impl.protocol.ApiMessage.PartitionBatch;
import dev.samsa.impl.protocol.Errors;
import dev.samsa.impl.protocol.IsolationLevel;
import dev.samsa.impl.protocol.TopicPartition;
import dev.samsa.impl.protocol.TxnMessage.PartitionResult;
import dev.samsa.impl.protocol.TxnMessage.WritableTxnMarker;
import dev.samsa.impl.protocol.TxnMessage.WriteTxnMarkersRequest;
import dev.samsa.impl.protocol.TxnMessage.WriteTxnMarkersResponse;
import dev.samsa.spec.bugs.Bug;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Transactions on a partition leader, through its {@link ReplicaManager}: WriteTxnMarkers, read_committed fetches and ListOffsets. */
class TxnPartitionTest {

    static final int COORDINATOR = 2;
    static final long PID = 7;

    /** Broker 0 leads {@code t-0} alone (ISR [0], min.insync.replicas=1): the HW follows its log end at once. */
    static ReplicaFixture soloLeader(Bug... bugs) {
        ReplicaFixture f = new ReplicaFixture(0, bugs).set("min.insync.replicas", "1").start();
        f.create(TP, 0, List.of(0));
        return f;
    }

    static RecordBatch txnBatch(long pid, int seq, String... values) {
        List<Record> rs = new ArrayList<>();
        for (String v : values) {
            rs.add(new Record(null, v, 0));
        }
        return new RecordBatch(-1, -1, pid, (short) 0, seq, true, false, "none", rs, RecordBatch.uncompressedSize(rs));
    }

    static void produceTxn(ReplicaFixture f, long pid, int seq, String... values) {
        f.produce((short) 1, List.of(new PartitionBatch(TP, txnBatch(pid, seq, values))));
    }

    static void writeMarker(ReplicaFixture f, boolean commit, int producerEpoch, int coordinatorEpoch, TopicPartition... tps) {
        f.rm.handleTxn(COORDINATOR, new WriteTxnMarkersRequest(99,
                List.of(new WritableTxnMarker(PID, (short) producerEpoch, commit, List.of(tps), coordinatorEpoch))));
    }

    static List<PartitionResult> markerResults(ReplicaFixture f) {
        List<WriteTxnMarkersResponse> sent = f.ctx.sent(WriteTxnMarkersResponse.class);
        assertThat(sent).isNotEmpty();
        WriteTxnMarkersResponse r = sent.get(sent.size() - 1);
        assertThat(r.correlationId()).isEqualTo(99);
        assertThat(r.markers()).hasSize(1);
        assertThat(r.markers().get(0).producerId()).isEqualTo(PID);
        return r.markers().get(0).partitions();
    }

    static FetchPartitionResponse fetch(ReplicaFixture f, IsolationLevel isolation, long offset) {
        f.rm.handle(CLIENT, new FetchRequest(500, -1, -1, 0, 1, 1 << 20, isolation, List.of(new FetchPartition(TP, -1, offset, -1, 0, 1 << 20))));
        return f.lastFetch();
    }

    static List<Long> offsets(FetchPartitionResponse r) {
        List<Long> out = new ArrayList<>();
        r.batches().forEach(b -> out.add(b.baseOffset()));
        return out;
    }

    static long listLatest(ReplicaFixture f, IsolationLevel isolation) {
        f.rm.handle(CLIENT, new ListOffsetsRequest(501, -1, isolation, List.of(new ListOffsetsPartition(TP, -1, -1))));
        return f.last(ListOffsetsResponse.class).responses().get(0).offset();
    }

    @Test
    void readCommittedStopsAtTheLsoUntilTheMarkerThenListsTheAbortedTransaction() {
        ReplicaFixture f = soloLeader();
        f.produce((short) 1, TP, "a"); // 0
        produceTxn(f, PID, 0, "b", "c"); // 1..2
        f.produce((short) 1, TP, "d"); // 3
        FetchPartitionResponse committed = fetch(f, IsolationLevel.READ_COMMITTED, 0);
        assertThat(offsets(committed)).containsExactly(0L);
        assertThat(committed.highWatermark()).isEqualTo(4);
        assertThat(committed.lastStableOffset()).isEqualTo(1);
        assertThat(fetch(f, IsolationLevel.READ_COMMITTED, 1).batches()).isEmpty();
        assertThat(offsets(fetch(f, IsolationLevel.READ_UNCOMMITTED, 0))).containsExactly(0L, 1L, 3L);
        assertThat(listLatest(f, IsolationLevel.READ_COMMITTED)).isEqualTo(1);
        assertThat(listLatest(f, IsolationLevel.READ_UNCOMMITTED)).isEqualTo(4);

        writeMarker(f, false, 0, 0, TP); // ABORT at 4
        assertThat(markerResults(f)).containsExactly(new PartitionResult(TP, Errors.NONE));
        committed = fetch(f, IsolationLevel.READ_COMMITTED, 0);
        assertThat(offsets(committed)).containsExactly(0L, 1L, 3L, 4L);
        assertThat(committed.batches().get(3).control()).isTrue();
        assertThat(committed.lastStableOffset()).isEqualTo(5);
        assertThat(committed.abortedTransactions()).containsExactly(new AbortedTransaction(PID, 1));
        assertThat(fetch(f, IsolationLevel.READ_UNCOMMITTED, 0).abortedTransactions()).isEmpty();
        assertThat(listLatest(f, IsolationLevel.READ_COMMITTED)).isEqualTo(5);
    }

    @Test
    void markersAreAnsweredOnceReplicatedAndPerPartition() {
        ReplicaFixture f = new ReplicaFixture(0).start(); // ISR [0, 1, 2], min.insync.replicas=2
        f.create(TP, 0, List.of(0, 1, 2));
        produceTxn(f, PID, 0, "a"); // 0
        writeMarker(f, true, 0, 0, TP, TP1); // COMMIT at 1; t-1 is not hosted here
        assertThat(f.ctx.sent(WriteTxnMarkersResponse.class)).isEmpty(); // acks=all: waits for the HW
        assertThat(f.partition(TP).log().logEndOffset()).isEqualTo(2);
        f.followerFetch(1, TP, 2, 0);
        f.followerFetch(2, TP, 2, 0);
        assertThat(f.partition(TP).log().highWatermark()).isEqualTo(2);
        assertThat(markerResults(f)).containsExactly(new PartitionResult(TP, Errors.NONE), new PartitionResult(TP1, Errors.NOT_LEADER_OR_FOLLOWER));
        assertThat(f.partition(TP).log().lastStableOffset()).isEqualTo(2);
    }

    @Test
    void markersTimeOutWithoutReplication() {
        ReplicaFixture f = new ReplicaFixture(0).start();
        f.create(TP, 0, List.of(0, 1, 2));
        produceTxn(f, PID, 0, "a");
        writeMarker(f, false, 0, 0, TP);
        f.advanceToMs(30_000);
        assertThat(markerResults(f)).containsExactly(new PartitionResult(TP, Errors.REQUEST_TIMED_OUT));
    }

    @Test
    void aZombieProducerEpochAndADeposedCoordinatorAreFenced() {
        ReplicaFixture f = soloLeader();
        f.produce((short) 1, List.of(new PartitionBatch(TP, new RecordBatch(-1, -1, PID, (short) 3, 0, true, false, "none",
                List.of(new Record(null, "a", 0)), 81))));
        writeMarker(f, false, 2, 5, TP);
        assertThat(markerResults(f)).containsExactly(new PartitionResult(TP, Errors.INVALID_PRODUCER_EPOCH));
        writeMarker(f, true, 3, 5, TP); // coordinator epoch 5 commits
        assertThat(markerResults(f)).containsExactly(new PartitionResult(TP, Errors.NONE));
        writeMarker(f, false, 3, 4, TP); // a late marker of the coordinator's previous incarnation
        assertThat(markerResults(f)).containsExactly(new PartitionResult(TP, Errors.TRANSACTION_COORDINATOR_FENCED));
        assertThat(f.partition(TP).log().logEndOffset()).isEqualTo(2);
    }

    @Test
    void aMarkerToAFollowerIsRefused() {
        ReplicaFixture f = new ReplicaFixture(0).start();
        f.create(TP, 1, List.of(0, 1, 2));
        writeMarker(f, true, 0, 0, TP);
        assertThat(markerResults(f)).containsExactly(new PartitionResult(TP, Errors.NOT_LEADER_OR_FOLLOWER));
    }

    /**
     * KAFKA-5376's schedule: a read_committed long poll parks at the LSO with a large fetch.min.bytes;
     * a transaction is written and aborted; the fetch completes from the purgatory at its max wait.
     */
    static FetchPartitionResponse parkedFetchAcrossAnAbort(ReplicaFixture f) {
        f.rm.handle(CLIENT, new FetchRequest(600, -1, -1, 500, 1 << 20, 1 << 20, IsolationLevel.READ_COMMITTED,
                List.of(new FetchPartition(TP, -1, 0, -1, 0, 1 << 20))));
        assertThat(f.ctx.sent(FetchResponse.class)).isEmpty(); // parked
        produceTxn(f, PID, 0, "b", "c"); // 0..1
        writeMarker(f, false, 0, 0, TP); // ABORT at 2
        assertThat(f.ctx.sent(FetchResponse.class)).isEmpty(); // fewer bytes than fetch.min.bytes: still parked
        f.advanceToMs(500);
        return f.lastFetch();
    }

    @Test
    void aFetchCompletedFromThePurgatoryListsTheAbortedTransactions() {
        FetchPartitionResponse r = parkedFetchAcrossAnAbort(soloLeader());
        assertThat(offsets(r)).containsExactly(0L, 2L);
        assertThat(r.abortedTransactions()).containsExactly(new AbortedTransaction(PID, 0));
    }

    @Test
    void kafka5376AFetchCompletedFromThePurgatoryDropsTheAbortedTransactions() {
        FetchPartitionResponse r = parkedFetchAcrossAnAbort(soloLeader(Bug.KAFKA_5376));
        assertThat(offsets(r)).containsExactly(0L, 2L);
        assertThat(r.abortedTransactions()).isEmpty();
    }
}
