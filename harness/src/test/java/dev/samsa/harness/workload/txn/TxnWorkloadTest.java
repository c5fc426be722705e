package dev.samsa.harness.workload.txn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.samsa.harness.fault.FaultPlan;
import dev.samsa.harness.run.RunSpec;
import dev.samsa.harness.run.SeedResult;
import dev.samsa.harness.run.SeedRunner;
import dev.samsa.spec.bugs.Bug;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The txn and eos workloads end to end against the transaction coordinator and the transactional producer. */
class TxnWorkloadTest {

    static RunSpec spec(String workload, FaultPlan.Profile faults, Map<String, String> settings, Set<Bug> bugs) {
        return new RunSpec(workload, settings, bugs, faults);
    }

    @Test
    void txnSeedsPassUnderSwarmFaultsAndCommitTransactions() {
        RunSpec s = spec("txn", FaultPlan.Profile.SWARM, Map.of(), Set.of());
        for (long seed = 0; seed < 4; seed++) {
            SeedResult r = SeedRunner.run(s, seed);
            assertThat(r.passed()).as("seed %d: %s", seed, r.findings()).isTrue();
            assertThat(r.stats().getOrDefault("txn.ok", 0L)).as("seed %d commits transactions", seed).isPositive();
            assertThat(r.stats().getOrDefault("txn.fail", 0L)).as("seed %d aborts some on purpose", seed).isPositive();
            assertThat(r.latencyNanos().get("txn.commit")).as("seed %d measures commit latency", seed).isNotEmpty();
        }
    }

    @Test
    void readUncommittedReadersSeeAbortedTransactionsAsExpected() {
        SeedResult committed = SeedRunner.run(spec("txn", FaultPlan.Profile.NONE, Map.of(), Set.of()), 1);
        assertThat(committed.findings()).noneMatch(f -> f.invariant().equals("txn.aborted-read"));
        SeedResult uncommitted = SeedRunner.run(spec("txn", FaultPlan.Profile.NONE, Map.of("isolation.level", "read_uncommitted"), Set.of()), 1);
        assertThat(uncommitted.passed()).isTrue();
        assertThat(uncommitted.findings()).anyMatch(f -> f.invariant().equals("txn.aborted-read") && f.expected()
                && f.evidence().contains("isolation.level=read_uncommitted"));
    }

    /** Without faults of any kind (no client faults either): aborts on purpose only. */
    private static final Map<String, String> CALM = Map.of("sim.txn.client.faults.ms", "0");

    @Test
    void theEosLoopIsExactlyOnceAndNotWithoutItsRewind() {
        SeedResult ok = SeedRunner.run(spec("eos", FaultPlan.Profile.NONE, CALM, Set.of()), 1);
        assertThat(ok.passed()).as("%s", ok.findings()).isTrue();
        assertThat(ok.findings()).isEmpty();
        assertThat(ok.stats().getOrDefault("txn.ok", 0L)).isPositive();
        SeedResult noRewind = SeedRunner.run(spec("eos", FaultPlan.Profile.NONE, CALM, Set.of(Bug.KAFKA_17582)), 1);
        assertThat(noRewind.violatedInvariants()).containsExactly("eos.exactly-once");
        assertThat(noRewind.findings().get(0).evidence()).contains("read only by aborted transactions, never again");
    }

    @Test
    void theSameSeedReplaysToTheSameTraceHash() {
        RunSpec s = spec("eos", FaultPlan.Profile.SWARM, Map.of(), Set.of());
        assertThat(SeedRunner.run(s, 3).traceHash()).isEqualTo(SeedRunner.run(s, 3).traceHash());
    }
}
