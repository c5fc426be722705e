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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The transaction bug flags the txn and eos workloads catch, on the first seed
 * {@code ./samsa run --workload W --bug ID --seeds 2000 --max-failures 1} found (past seed 160,
 * which fails without any flag: an open defect): the seed violates an invariant the flag
 * is catalogued to break, and passes without the flag. If a change of the code moves the
 * schedules, re-hunt with that command (or {@code ./samsa hunt --workload txn}) and update the
 * seeds here and in the README.
 */
class TxnBugFlagsTest {

    private static SeedResult run(String workload, Map<String, String> settings, Set<Bug> bugs, long seed) {
        return SeedRunner.run(new RunSpec(workload, settings, bugs, FaultPlan.Profile.SWARM), seed);
    }

    private static Map<String, String> settings(String s) {
        if (s == null || s.isEmpty()) {
            return Map.of();
        }
        String[] kv = s.split("=", 2);
        return Map.of(kv[0], kv[1]);
    }

    @ParameterizedTest(name = "{1} at {0} seed {2}")
    @CsvSource({
        "txn, KAFKA-5376, 0, txn.aborted-read, ",
        "txn, KAFKA-6119, 1085, txn.torn-transaction, ",
        "txn, KAFKA-12671, 14, txn.aborted-read, ",
        "txn, KAFKA-17754, 2, txn.aborted-read, ",
        "txn, KAFKA-10080, 2, txn.aborted-read, ",
        "txn, KAFKA-14055, 14, txn.torn-transaction, ",
        "eos, KAFKA-17582, 0, eos.exactly-once, ",
    })
    void theFlagIsFoundAndTheSameSeedPassesWithoutIt(String workload, String jira, long seed, String invariant, String setting) {
        Bug bug = Bug.parse(jira).orElseThrow();
        SeedResult with = run(workload, settings(setting), Set.of(bug), seed);
        assertThat(with.passed()).as(jira + " at seed " + seed).isFalse();
        assertThat(with.findings()).anyMatch(f -> !f.expected() && f.invariant().equals(invariant));
        assertThat(bug.violates()).extracting(i -> i.id()).contains(invariant);

        SeedResult without = run(workload, settings(setting), Set.of(), seed);
        assertThat(without.passed()).as("seed " + seed + " without " + jira + ": " + without.findings()).isTrue();
    }

    /**
     * KAFKA-12671's flag also keeps transaction.version 1 (its brokers' era). Its seed passes with
     * transaction.version 1 alone (KAFKA-17754's flag), so the missing verification of the late
     * produce is what fails it, not the reused epoch.
     */
    @Test
    void theLateProduceOfKafka12671IsStoppedByVerificationAloneUnderTransactionVersion1() {
        assertThat(run("txn", Map.of(), Set.of(Bug.KAFKA_12671), 14).passed()).isFalse();
        SeedResult tv1 = run("txn", Map.of(), Set.of(Bug.KAFKA_17754), 14);
        assertThat(tv1.passed()).as("seed 14 with KAFKA-17754 only: " + tv1.findings()).isTrue();
        assertThat(tv1.counters()).containsKey("fault.late-request.produce-stall");
    }
}
