package dev.samsa.impl.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.samsa.impl.node.Disk;
import dev.samsa.impl.node.Timer;
import dev.samsa.impl.protocol.Errors;
import dev.samsa.impl.raft.RaftMessage.FetchRequest;
import dev.samsa.impl.raft.RaftMessage.FetchResponse;
import dev.samsa.impl.raft.RaftMessage.VoteRequest;
import dev.samsa.impl.raft.RaftMessage.VoteResponse;
import dev.samsa.spec.bugs.Bug;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class RaftClientTest {

    static final List<Integer> VOTERS = List.of(1, 2, 3);

    final FakeContext ctx = new FakeContext(2);

    RaftClient client() {
        RaftClient c = new RaftClient(ctx, VOTERS, e -> {});
        c.start();
        return c;
    }

    void seedLog(int epoch, int... entryEpochs) {
        ctx.disk.replace(RaftClient.STATE_FILE, new QuorumStateData(epoch, -1, -1), 16);
        for (int i = 0; i < entryEpochs.length; i++) {
            ctx.disk.append(RaftLog.FILE, new LogEntry(i, entryEpochs[i], new LeaderChangeRecord(1, entryEpochs[i])), 32);
        }
    }

    VoteResponse lastVote() {
        List<VoteResponse> v = ctx.sent(VoteResponse.class);
        return v.get(v.size() - 1);
    }

    void fire(RaftClient c, long untilMs) {
        for (Timer t : ctx.advanceTo(untilMs * 1_000_000L)) {
            c.onTimer((RaftTimer) t);
        }
    }

    @Test
    void aVoteIsGrantedToAnUpToDateCandidateAndPersistedBeforeTheAnswer() {
        RaftClient c = client();
        c.handle(1, new VoteRequest(1, 1, 0, 0));
        assertThat(lastVote().granted()).isTrue();
        assertThat(ctx.outbox.get(ctx.outbox.size() - 1).quorumStateOnDisk()).isEqualTo(new QuorumStateData(1, 1, -1));
        assertThat(c.votedId()).hasValue(1);
    }

    @Test
    void oneVotePerEpoch() {
        RaftClient c = client();
        c.handle(1, new VoteRequest(1, 1, 0, 0));
        c.handle(3, new VoteRequest(1, 3, 0, 0));
        assertThat(lastVote().granted()).isFalse();
        c.handle(1, new VoteRequest(1, 1, 0, 0)); // the same candidate asking again gets the same answer
        assertThat(lastVote().granted()).isTrue();
    }

    @Test
    void aVoteIsRefusedToACandidateWithAStalerLog() {
        seedLog(2, 1, 2);
        RaftClient c = client();
        c.handle(1, new VoteRequest(3, 1, 1, 5)); // more entries, but an older last epoch
        assertThat(lastVote().granted()).isFalse();
        c.handle(3, new VoteRequest(3, 3, 2, 1)); // same last epoch, shorter log
        assertThat(lastVote().granted()).isFalse();
        c.handle(3, new VoteRequest(3, 3, 2, 2)); // as up to date: granted
        assertThat(lastVote().granted()).isTrue();
    }

    @Test
    void aRequestFromAnOlderEpochIsFenced() {
        seedLog(5);
        RaftClient c = client();
        c.handle(1, new VoteRequest(4, 1, 0, 0));
        assertThat(lastVote().error()).isEqualTo(Errors.FENCED_LEADER_EPOCH);
        assertThat(lastVote().epoch()).isEqualTo(5);
        assertThat(c.epoch()).isEqualTo(5);
    }

    @Test
    void restartDropsATornTailAndEverythingAfterIt() {
        seedLog(1, 1, 1);
        ctx.disk.append(RaftLog.FILE, Disk.TORN, 32);
        ctx.disk.append(RaftLog.FILE, new LogEntry(3, 1, new LeaderChangeRecord(1, 1)), 32);
        RaftClient c = client();
        assertThat(c.logEndOffset()).isEqualTo(2);
        assertThat(ctx.disk.size(RaftLog.FILE)).isEqualTo(2);
    }

    RaftClient electedLeader() {
        RaftClient c = client();
        fire(c, 3_000); // election timeout: candidate of epoch 1
        assertThat(c.role()).isEqualTo(RaftRole.CANDIDATE);
        c.handle(1, new VoteResponse(Errors.NONE, 1, OptionalInt.empty(), true));
        assertThat(c.role()).isEqualTo(RaftRole.LEADER);
        return c;
    }

    @Test
    void theHighWatermarkAdvancesOnlyPastTheLeadersEpochStart() {
        RaftClient c = electedLeader(); // log: LeaderChange at offset 0, epoch start 0
        c.handle(1, new FetchRequest(1, 1, 0, 0));
        assertThat(c.highWatermark()).isZero(); // a majority holds nothing of epoch 1 yet
        c.handle(1, new FetchRequest(1, 1, 1, 1));
        assertThat(c.highWatermark()).isEqualTo(1);
    }

    @Test
    void theLeaderTellsADivergingFollowerWhereToTruncate() {
        RaftClient c = electedLeader();
        c.appendAsLeader(new LeaderChangeRecord(2, 1));
        // the follower claims an entry of epoch 0 at offset 1 that the leader never had
        c.handle(3, new FetchRequest(1, 3, 2, 0));
        FetchResponse r = ctx.sent(FetchResponse.class).get(ctx.sent(FetchResponse.class).size() - 1);
        assertThat(r.divergingEpoch()).contains(new OffsetAndEpoch(0, 0));
        assertThat(r.entries()).isEmpty();
    }

    @Test
    void aFollowerTruncatesItsDivergingSuffixButNeverBelowItsHighWatermark() {
        seedLog(2, 1, 1, 2);
        ctx.disk.replace(RaftClient.STATE_FILE, new QuorumStateData(3, -1, 1), 16); // follower of 1 in epoch 3
        RaftClient c = client();
        assertThat(c.role()).isEqualTo(RaftRole.FOLLOWER);
        fire(c, 0); // sends its first fetch
        c.handle(1, new FetchResponse(Errors.NONE, 3, OptionalInt.of(1), 0, List.of(), Optional.of(new OffsetAndEpoch(2, 1))));
        assertThat(c.logEndOffset()).isEqualTo(2);
        // entries from the leader, committing the first two
        c.handle(1, new FetchResponse(Errors.NONE, 3, OptionalInt.of(1), 2,
                List.of(new LogEntry(2, 3, new LeaderChangeRecord(1, 3))), Optional.empty()));
        assertThat(c.highWatermark()).isEqualTo(2);
        assertThatThrownBy(() -> c.handle(1, new FetchResponse(Errors.NONE, 3, OptionalInt.of(1), 2, List.of(), Optional.of(new OffsetAndEpoch(1, 1)))))
                .hasMessageContaining("below the high watermark");
    }

    @Test
    void aLeaderCutOffFromTheMajorityResigns() {
        RaftClient c = electedLeader();
        fire(c, 3_000 + 2_000 + 600); // fetch timeout 2 s, checked every 500 ms
        assertThat(c.role()).isEqualTo(RaftRole.RESIGNED);
    }

    @Test
    void withKafka15489TheLeaderNeverResigns() {
        ctx.bugs.add(Bug.KAFKA_15489);
        RaftClient c = electedLeader();
        fire(c, 60_000);
        assertThat(c.role()).isEqualTo(RaftRole.LEADER);
    }

    @Test
    void aLeaderFetchedFromByAMajorityStays() {
        RaftClient c = electedLeader();
        for (long t = 3_500; t < 20_000; t += 500) {
            fire(c, t);
            c.handle(1, new FetchRequest(1, 1, c.logEndOffset(), 1));
        }
        assertThat(c.role()).isEqualTo(RaftRole.LEADER);
    }
}
