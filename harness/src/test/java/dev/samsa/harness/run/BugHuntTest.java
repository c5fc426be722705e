package dev.samsa.harness.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.samsa.reports.BugTable;
import dev.samsa.spec.bugs.Bug;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BugHuntTest {

    @Test
    void eachFlagBelongsToTheWorkloadItShowsIn() {
        assertThat(BugHunt.workloadsOf(Bug.KAFKA_15489)).containsExactly("kraft", "queue");
        assertThat(BugHunt.workloadsOf(Bug.KAFKA_1555)).containsExactly("queue");
        assertThat(BugHunt.applicableTo("kraft")).containsExactly(Bug.KAFKA_15489);
        assertThat(BugHunt.applicableTo("queue")).contains(Bug.KAFKA_15489, Bug.KAFKA_1211, Bug.KAFKA_14034).doesNotContain(Bug.KAFKA_14196);
        assertThat(BugHunt.applicableTo("groups")).containsExactly(Bug.KAFKA_14196, Bug.KAFKA_10284, Bug.KAFKA_14639, Bug.KAFKA_8069);
        assertThat(BugHunt.applicableTo("txn")).contains(Bug.KAFKA_5376, Bug.KAFKA_14055).doesNotContain(Bug.KAFKA_17582);
        assertThat(BugHunt.applicableTo("eos")).containsExactly(Bug.KAFKA_17582);
    }

    @Test
    void theFirstFailingSeedIsTheSmallestWhateverTheThreadCount() {
        long seed = FailingSeeds.kraft15489();
        SeedRange range = new SeedRange(0, seed + 6);
        BugHunt.Search one = BugHunt.firstFailing(FailingSeeds.kraft15489Spec(), range, 1);
        BugHunt.Search three = BugHunt.firstFailing(FailingSeeds.kraft15489Spec(), range, 3);
        assertThat(one.failing().orElseThrow().seed()).isEqualTo(seed);
        assertThat(three.failing().orElseThrow().seed()).isEqualTo(seed);
        assertThat(one.seedsRun()).isEqualTo(three.seedsRun()).isEqualTo(seed + 1);
    }

    @Test
    void aRangeWithoutAFailureRunsEverySeed() {
        RunSpec clean = new RunSpec("kraft", Map.of(), java.util.EnumSet.noneOf(Bug.class), dev.samsa.harness.fault.FaultPlan.Profile.NONE);
        List<Long> progress = new java.util.ArrayList<>();
        BugHunt.Search s = BugHunt.firstFailing(clean, new SeedRange(10, 12), 2, progress::add);
        assertThat(s.failing()).isEmpty();
        assertThat(s.seedsRun()).isEqualTo(3);
        assertThat(progress).isNotEmpty().last().isEqualTo(3L);
    }

    static SeedResult result(long seed, boolean passed) {
        List<SeedResult.Finding> findings = passed ? List.of()
                : List.of(new SeedResult.Finding("kraft.single-leader", "expected", 1, true, "tolerated"),
                        new SeedResult.Finding("kraft.check-quorum", "stmt", 5, false, "still leader"));
        return new SeedResult(seed, "kraft", passed, findings, "", Map.of(), Map.of(), Map.of(), Map.of(), "", 0, 0, 0);
    }

    @Test
    void aRowNamesTheFirstUnexpectedViolationAndWhetherTheSeedPassesWithout() {
        RunSpec spec = FailingSeeds.kraft15489Spec();
        BugTable.Row ok = BugHunt.row(new BugHunt.Outcome(Bug.KAFKA_15489, spec, 8, Optional.of(result(7, false)), Optional.of(result(7, true))));
        assertThat(ok.found()).isTrue();
        assertThat(ok.confirmed()).isTrue();
        assertThat(ok.failedInvariant()).isEqualTo("kraft.check-quorum");
        assertThat(ok.evidence()).isEqualTo("still leader");
        assertThat(ok.replayCommand()).isEqualTo("./samsa replay --seed 7 --workload kraft --bug KAFKA-15489");
        assertThat(ok.violates()).containsExactly("kraft.check-quorum");
        assertThat(ok.outcome()).isEqualTo("found at seed 7 (8 seeds) kraft.check-quorum; passes without the flag");

        BugTable.Row bad = BugHunt.row(new BugHunt.Outcome(Bug.KAFKA_15489, spec, 8, Optional.of(result(7, false)), Optional.of(result(7, false))));
        assertThat(bad.confirmed()).isFalse();
        assertThat(bad.outcome()).contains("FAILS without the flag too (a harness or implementation bug)");

        BugTable.Row missing = BugHunt.row(new BugHunt.Outcome(Bug.KAFKA_15489, spec, 2000, Optional.empty(), Optional.empty()));
        assertThat(missing.found()).isFalse();
        assertThat(missing.outcome()).isEqualTo("not found in 2000 seeds");
    }
}
