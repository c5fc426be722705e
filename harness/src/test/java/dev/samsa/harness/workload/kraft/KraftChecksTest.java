package dev.samsa.harness.workload.kraft;

import static org.assertj.core.api.Assertions.assertThat;

import dev.samsa.harness.sim.Role;
import dev.samsa.harness.sim.Simulation;
import dev.samsa.harness.sim.TraceSink;
import dev.samsa.harness.sim.Violation;
import dev.samsa.impl.metadata.ClientRecord;
import dev.samsa.impl.node.Message;
import dev.samsa.impl.node.Node;
import dev.samsa.impl.node.Timer;
import dev.samsa.impl.raft.LeaderChangeRecord;
import dev.samsa.impl.raft.LogEntry;
import dev.samsa.impl.raft.RaftRole;
import dev.samsa.impl.raft.RaftView;
import dev.samsa.spec.bugs.Bug;
import dev.samsa.spec.config.Settings;
import dev.samsa.spec.invariant.Invariant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Each kraft check, fed a fabricated state or history with its anomaly, fires; without it, stays quiet. */
class KraftChecksTest {

    static final class FakeView implements RaftView {
        final int id;
        int epoch;
        RaftRole role = RaftRole.FOLLOWER;
        long hw;
        long contact = -1;
        final List<LogEntry> log = new ArrayList<>();

        FakeView(int id) {
            this.id = id;
        }

        @Override
        public int nodeId() {
            return id;
        }

        @Override
        public int epoch() {
            return epoch;
        }

        @Override
        public RaftRole role() {
            return role;
        }

        @Override
        public OptionalInt leaderId() {
            return OptionalInt.empty();
        }

        @Override
        public OptionalInt votedId() {
            return OptionalInt.empty();
        }

        @Override
        public long highWatermark() {
            return hw;
        }

        @Override
        public long logEndOffset() {
            return log.size();
        }

        @Override
        public LogEntry entryAt(long offset) {
            return log.get((int) offset);
        }

        @Override
        public long majorityContactNanos() {
            return contact;
        }
    }

    static final class Idle implements Node {
        @Override
        public void onStart() {}

        @Override
        public void onMessage(int from, Message message) {}

        @Override
        public void onTimer(Timer timer) {}

        @Override
        public void onDisconnect(int peer) {}
    }

    final Simulation sim = new Simulation(1, Settings.defaults(), EnumSet.noneOf(Bug.class), TraceSink.NONE, false);
    final TreeMap<Integer, FakeView> views = new TreeMap<>();
    final KraftChecks checks;

    KraftChecksTest() {
        for (int id = 3000; id < 3003; id++) {
            sim.addNode(id, "ctrl-" + id, Role.CONTROLLER, ctx -> new Idle());
            views.put(id, new FakeView(id));
        }
        checks = new KraftChecks(sim, List.of(3000, 3001, 3002), List.of(), id -> Optional.ofNullable(views.get(id)));
    }

    List<Invariant> violated() {
        return sim.violations().stream().map(Violation::invariant).toList();
    }

    static LogEntry entry(long offset, int epoch, long writeId) {
        return new LogEntry(offset, epoch, writeId < 0 ? new LeaderChangeRecord(3000, epoch) : new ClientRecord(writeId, 0, "w" + writeId));
    }

    @Test
    void twoLeadersInOneEpochAreCaughtButLeadersOfDifferentEpochsAreNot() {
        views.get(3000).role = RaftRole.LEADER;
        views.get(3000).epoch = 3;
        views.get(3000).contact = 0;
        checks.afterEvent();
        views.get(3000).role = RaftRole.RESIGNED;
        views.get(3001).role = RaftRole.LEADER;
        views.get(3001).epoch = 4;
        views.get(3001).contact = 0;
        checks.afterEvent();
        assertThat(violated()).isEmpty();
        views.get(3002).role = RaftRole.LEADER;
        views.get(3002).epoch = 4;
        views.get(3002).contact = 0;
        checks.afterEvent();
        assertThat(violated()).containsExactly(Invariant.KRAFT_SINGLE_LEADER);
        assertThat(sim.violations().get(0).evidence()).contains("epoch 4 has two leaders: ctrl-3001 and ctrl-3002");
    }

    @Test
    void anEpochGoingBackwardsIsCaught() {
        views.get(3001).epoch = 5;
        checks.afterEvent();
        views.get(3001).epoch = 4;
        checks.afterEvent();
        assertThat(violated()).containsExactly(Invariant.KRAFT_EPOCH_MONOTONIC);
    }

    @Test
    void aHighWatermarkGoingBackwardsIsCaught() {
        FakeView v = views.get(3002);
        for (int i = 0; i < 3; i++) {
            v.log.add(entry(i, 1, i));
        }
        v.hw = 3;
        checks.afterEvent();
        v.hw = 2;
        checks.afterEvent();
        assertThat(violated()).containsExactly(Invariant.KRAFT_HW_MONOTONIC);
    }

    @Test
    void aLeaderThatOutlivesItsQuorumIsCaughtOnlyAfterTheGrace() {
        FakeView v = views.get(3000);
        v.role = RaftRole.LEADER;
        v.epoch = 1;
        v.contact = 0;
        sim.runUntil(2_900_000_000L); // fetch timeout 2 s, grace 1.5x = 3 s
        checks.afterEvent();
        assertThat(violated()).isEmpty();
        sim.runUntil(3_100_000_000L);
        checks.afterEvent();
        assertThat(violated()).containsExactly(Invariant.KRAFT_LEADER_RESIGNS);
    }

    @Test
    void differentEntriesBelowTwoHighWatermarksAreCaught() {
        views.get(3000).log.addAll(List.of(entry(0, 1, -1), entry(1, 1, 7)));
        views.get(3000).hw = 2;
        views.get(3001).log.addAll(List.of(entry(0, 1, -1), entry(1, 1, 8)));
        views.get(3001).hw = 1;
        checks.afterEvent();
        assertThat(violated()).isEmpty(); // 3001's offset 1 is not committed there
        views.get(3001).hw = 2;
        checks.afterEvent();
        assertThat(violated()).containsExactly(Invariant.KRAFT_COMMITTED_CONSISTENT);
    }

    // ------------------------------------------------------------------ history checks

    final KraftHistory history = new KraftHistory();

    void write(int process, long writeId, long invoke, long complete, KraftOp.Outcome outcome, long offset) {
        history.add(process, KraftOp.Type.WRITE, invoke, complete, outcome, writeId, offset, -1, List.of(), outcome == KraftOp.Outcome.OK ? "" : "NOT_CONTROLLER");
    }

    static List<LogEntry> log(long... writeIds) {
        List<LogEntry> l = new ArrayList<>();
        for (long w : writeIds) {
            l.add(entry(l.size(), 1, w));
        }
        return l;
    }

    @Test
    void aCorrectHistoryPasses() {
        write(0, 10, 0, 5, KraftOp.Outcome.OK, 1);
        write(1, 11, 6, 9, KraftOp.Outcome.OK, 2);
        write(2, 12, 1, 9, KraftOp.Outcome.INFO, -1); // unknown: may be committed, or not
        write(2, 13, 1, 9, KraftOp.Outcome.FAIL, -1);
        history.add(0, KraftOp.Type.READ, 10, 11, KraftOp.Outcome.OK, -1, -1, 1, List.of(10L, 11L), "");
        checks.checkWrites(history, log(-1, 10, 11, 12));
        checks.checkReads(history, log(-1, 10, 11, 12));
        assertThat(violated()).isEmpty();
    }

    @Test
    void anAcknowledgedWriteMissingFromTheLogIsCaught() {
        write(0, 10, 0, 5, KraftOp.Outcome.OK, 1);
        checks.checkWrites(history, log(-1));
        assertThat(violated()).containsExactly(Invariant.KRAFT_ACKED_COMMITTED_ONCE);
    }

    @Test
    void aWriteCommittedTwiceIsCaught() {
        write(0, 10, 0, 5, KraftOp.Outcome.INFO, -1);
        checks.checkWrites(history, log(-1, 10, 10));
        assertThat(violated()).containsExactly(Invariant.KRAFT_ACKED_COMMITTED_ONCE);
    }

    @Test
    void anAcknowledgementAtTheWrongOffsetIsCaught() {
        write(0, 10, 0, 5, KraftOp.Outcome.OK, 2);
        checks.checkWrites(history, log(-1, 10));
        assertThat(violated()).containsExactly(Invariant.KRAFT_ACKED_COMMITTED_ONCE);
    }

    @Test
    void aWriteOrderedBeforeOneAcknowledgedEarlierIsCaught() {
        write(0, 10, 0, 5, KraftOp.Outcome.OK, 2);
        write(1, 11, 6, 9, KraftOp.Outcome.OK, 1); // invoked after 10 was acknowledged, yet earlier in the log
        checks.checkWrites(history, log(-1, 11, 10));
        assertThat(violated()).containsExactly(Invariant.KRAFT_ACKED_COMMITTED_ONCE);
    }

    @Test
    void concurrentWritesMayCommitInEitherOrder() {
        write(0, 10, 0, 5, KraftOp.Outcome.OK, 2);
        write(1, 11, 4, 9, KraftOp.Outcome.OK, 1); // overlapping 10: either order is linearizable
        checks.checkWrites(history, log(-1, 11, 10));
        assertThat(violated()).isEmpty();
    }

    @Test
    void aCommittedWriteNobodyIssuedIsCaught() {
        checks.checkWrites(history, log(-1, 99));
        assertThat(violated()).containsExactly(Invariant.KRAFT_NO_PHANTOM);
    }

    @Test
    void aDefinitelyFailedWriteThatIsCommittedIsCaught() {
        write(0, 10, 0, 5, KraftOp.Outcome.FAIL, -1);
        checks.checkWrites(history, log(-1, 10));
        assertThat(violated()).containsExactly(Invariant.KRAFT_NO_PHANTOM);
    }

    @Test
    void aReadOfCommittedDataThatTheFinalLogContradictsIsCaught() {
        history.add(0, KraftOp.Type.READ, 10, 11, KraftOp.Outcome.OK, -1, -1, 1, List.of(10L, 12L), "");
        checks.checkReads(history, log(-1, 10, 11));
        assertThat(violated()).containsExactly(Invariant.KRAFT_COMMITTED_CONSISTENT);
    }
}
