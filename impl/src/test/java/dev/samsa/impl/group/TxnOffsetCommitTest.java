package dev.samsa.impl.group;

import static dev.samsa.impl.group.GroupFixture.GROUP;
import static dev.samsa.impl.group.GroupFixture.OFFSETS_TP;
import static dev.samsa.impl.group.GroupFixture.T0;
import static dev.samsa.impl.group.GroupFixture.T1;
import static org.assertj.core.api.Assertions.assertThat;

import dev.samsa.impl.protocol.Errors;
import dev.samsa.impl.protocol.GroupMessage.JoinGroupResponse;
import dev.samsa.impl.protocol.GroupMessage.OffsetFetchRequest;
import dev.samsa.impl.protocol.GroupMessage.OffsetFetchResponse;
import dev.samsa.impl.protocol.TopicPartition;
import dev.samsa.impl.protocol.TxnMessage.TxnOffsetCommitPartition;
import dev.samsa.impl.protocol.TxnMessage.TxnOffsetCommitRequest;
import dev.samsa.impl.protocol.TxnMessage.TxnOffsetCommitResponse;
import dev.samsa.impl.protocol.TxnMessage.WritableTxnMarker;
import dev.samsa.impl.protocol.TxnMessage.WriteTxnMarkersRequest;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * TxnOffsetCommit at the group coordinator (KIP-98, KIP-447): written in the producer's
 * transaction, pending until its marker lands on {@code __consumer_offsets} (COMMIT materialises,
 * ABORT discards), fenced by member and generation like OffsetCommit, and rebuilt the same way by a load.
 */
class TxnOffsetCommitTest {

    private static final long PID = 500;

    /** The TxnOffsetCommit's error, or null while it waits for replication. */
    private static Errors txnCommit(GroupFixture f, long pid, short epoch, int generation, String memberId, String instanceId,
            TopicPartition tp, long offset) {
        TxnOffsetCommitRequest req = new TxnOffsetCommitRequest(f.correlation(), "tx", GROUP, pid, epoch, generation, memberId,
                instanceId, List.of(new TxnOffsetCommitPartition(tp, offset, 0, "")));
        f.gc.handleTxnOffsetCommit(100, req);
        for (var s : f.ctx.outbox) {
            if (s.message() instanceof TxnOffsetCommitResponse r && r.correlationId() == req.correlationId()) {
                return r.results().get(0).error();
            }
        }
        return null;
    }

    private static Errors txnCommit(GroupFixture f, TopicPartition tp, long offset) {
        return txnCommit(f, PID, (short) 0, -1, "", null, tp, offset);
    }

    /** The transaction coordinator's marker for {@code pid} on the offsets partition (this broker leads it). */
    private static void marker(GroupFixture f, long pid, short epoch, boolean commit) {
        f.rm.handleTxn(900, new WriteTxnMarkersRequest(f.correlation(), List.of(new WritableTxnMarker(pid, epoch, commit, List.of(OFFSETS_TP), 0))));
    }

    private static Errors stableFetchError(GroupFixture f, TopicPartition tp) {
        OffsetFetchResponse r = f.send(100, new OffsetFetchRequest(f.correlation(), GROUP, List.of(tp), true), OffsetFetchResponse.class);
        return r.partitions().get(0).error();
    }

    @Test
    void transactionalOffsetsArePendingUntilTheCommitMarker() {
        GroupFixture f = new GroupFixture(0).start().create(0, List.of(0));
        assertThat(txnCommit(f, T0, 42)).isEqualTo(Errors.NONE);
        assertThat(f.fetchOffset(T0)).as("invisible before the marker").isEqualTo(-1);
        assertThat(stableFetchError(f, T0)).isEqualTo(Errors.UNSTABLE_OFFSET_COMMIT);
        assertThat(stableFetchError(f, T1)).as("other partitions are stable").isEqualTo(Errors.NONE);
        assertThat(f.gc.shards().get(OFFSETS_TP).offsets().pendingTransactionalOffsets(PID, GROUP)).containsEntry(T0, 42L);

        marker(f, PID, (short) 0, true);
        assertThat(f.fetchOffset(T0)).isEqualTo(42);
        assertThat(stableFetchError(f, T0)).isEqualTo(Errors.NONE);
        assertThat(f.gc.shards().get(OFFSETS_TP).offsets().pendingTransactionalOffsets(PID, GROUP)).isEmpty();
    }

    @Test
    void anAbortMarkerDiscardsThem() {
        GroupFixture f = new GroupFixture(0).start().create(0, List.of(0));
        assertThat(f.commit(100, -1, "", null, T0, 5)).isEqualTo(Errors.NONE);
        assertThat(txnCommit(f, T0, 42)).isEqualTo(Errors.NONE);
        marker(f, PID, (short) 0, false);
        assertThat(f.fetchOffset(T0)).isEqualTo(5);
        assertThat(stableFetchError(f, T0)).isEqualTo(Errors.NONE);
        marker(f, PID, (short) 0, true); // a later marker of the same producer finds nothing pending
        assertThat(f.fetchOffset(T0)).isEqualTo(5);
    }

    @Test
    void theOffsetWrittenLastWins() {
        GroupFixture f = new GroupFixture(0).start().create(0, List.of(0));
        assertThat(txnCommit(f, T0, 42)).isEqualTo(Errors.NONE);
        assertThat(f.commit(100, -1, "", null, T0, 50)).isEqualTo(Errors.NONE);
        marker(f, PID, (short) 0, true);
        assertThat(f.fetchOffset(T0)).as("a regular commit written after the transactional one stays").isEqualTo(50);

        assertThat(txnCommit(f, T1, 7)).isEqualTo(Errors.NONE);
        marker(f, PID, (short) 0, true);
        assertThat(f.commit(100, -1, "", null, T1, 3)).isEqualTo(Errors.NONE);
        assertThat(f.fetchOffset(T1)).isEqualTo(3);
        assertThat(f.commit(100, -1, "", null, T0, 60)).isEqualTo(Errors.NONE);
        assertThat(txnCommit(f, T0, 61)).isEqualTo(Errors.NONE);
        marker(f, PID, (short) 0, true);
        assertThat(f.fetchOffset(T0)).as("a transactional commit written after a regular one wins").isEqualTo(61);
    }

    @Test
    void memberAndGenerationFencingAsOffsetCommit() {
        GroupFixture f = new GroupFixture(0).start().create(0, List.of(0));
        assertThat(txnCommit(f, PID, (short) 0, 3, "x", null, T0, 1)).as("a generation for an unknown group").isEqualTo(Errors.ILLEGAL_GENERATION);
        String a = f.singleMemberRound(100, null);
        assertThat(txnCommit(f, PID, (short) 0, 1, "stranger", null, T0, 1)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        assertThat(txnCommit(f, PID, (short) 0, 0, a, null, T0, 1)).isEqualTo(Errors.ILLEGAL_GENERATION);
        assertThat(txnCommit(f, PID, (short) 0, 1, a, null, T0, 9)).isEqualTo(Errors.NONE);
        marker(f, PID, (short) 0, true);
        assertThat(f.fetchOffset(T0)).isEqualTo(9);
    }

    @Test
    void aStaticMemberReplacedIsFenced() {
        GroupFixture f = new GroupFixture(0).start().create(0, List.of(0));
        String old = f.singleMemberRound(100, "i1");
        JoinGroupResponse rejoin = f.joinNow(101, "", "i1");
        assertThat(txnCommit(f, PID, (short) 0, 1, old, "i1", T0, 5)).isEqualTo(Errors.FENCED_INSTANCE_ID);
        assertThat(txnCommit(f, PID, (short) 0, 1, rejoin.memberId(), "i1", T0, 5)).isEqualTo(Errors.NONE);
    }

    @Test
    void aStaleProducerEpochIsFenced() {
        GroupFixture f = new GroupFixture(0).start().create(0, List.of(0));
        assertThat(txnCommit(f, PID, (short) 1, -1, "", null, T0, 5)).isEqualTo(Errors.NONE);
        marker(f, PID, (short) 1, true);
        assertThat(txnCommit(f, PID, (short) 0, -1, "", null, T0, 6)).isEqualTo(Errors.PRODUCER_FENCED);
        assertThat(txnCommit(f, PID, (short) 1, -1, "", null, T0, 7)).as("the same epoch again: a new transaction").isEqualTo(Errors.NONE);
        marker(f, PID, (short) 1, true);
        assertThat(f.fetchOffset(T0)).isEqualTo(7);
    }

    @Test
    void aLoadAfterFailOverRebuildsCommittedAndPendingOffsets() {
        GroupFixture f = new GroupFixture(0).start().create(0, List.of(0));
        assertThat(txnCommit(f, PID, (short) 0, -1, "", null, T0, 42)).isEqualTo(Errors.NONE);
        marker(f, PID, (short) 0, true);
        assertThat(txnCommit(f, 600, (short) 0, -1, "", null, T1, 8)).isEqualTo(Errors.NONE);
        assertThat(txnCommit(f, 601, (short) 0, -1, "", null, T0, 99)).isEqualTo(Errors.NONE);
        marker(f, 601, (short) 0, false);

        GroupFixture g = CoordinatorFailoverTest.takeOver(f);
        assertThat(g.fetchOffset(T0)).as("committed by the marker, the aborted one discarded").isEqualTo(42);
        assertThat(g.fetchOffset(T1)).isEqualTo(-1);
        assertThat(stableFetchError(g, T1)).as("still pending after the load").isEqualTo(Errors.UNSTABLE_OFFSET_COMMIT);
        marker(g, 600, (short) 0, true);
        assertThat(g.fetchOffset(T1)).isEqualTo(8);
    }
}
