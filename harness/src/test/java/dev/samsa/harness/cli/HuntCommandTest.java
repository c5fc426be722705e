package dev.samsa.harness.cli;

import static dev.samsa.harness.cli.CliTest.assertUsageError;
import static dev.samsa.harness.cli.CliTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.samsa.harness.run.FailingSeeds;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HuntCommandTest {

    @Test
    void aHuntOfKafka15489OnKraftFindsItsSeedAndItPassesWithout(@TempDir Path dir) {
        long seed = FailingSeeds.kraft15489();
        CliTest.Result r = run("hunt", "--workload", "kraft", "--seeds", "0.." + (seed + 3), "--threads", "2", "--out", dir.toString());
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("KAFKA-15489  C1   found at seed " + seed + " (" + (seed + 1) + " seed" + (seed == 0 ? "" : "s") + ") ")
                .contains("; passes without the flag").contains("verdict: 1 of 1 flag found");
        assertThat(dir.resolve("bugs.md")).content().contains("| KAFKA-15489 | C1 | `BUG_NO_CHECK_QUORUM` |")
                .contains("`./samsa replay --seed " + seed + " --workload kraft --bug KAFKA-15489`");
        assertThat(dir.resolve("bugs.html")).content().contains("<td class=\"ok\">yes</td>");
        assertThat(dir.resolve("KAFKA-15489").resolve("replay.txt")).content().contains("--seed " + seed + " --workload kraft   # without the flag");
    }

    @Test
    void aFlagNotFoundInItsSeedsExitsOne(@TempDir Path dir) {
        // without faults no leader is ever cut off from its quorum, so the missing check-quorum never shows
        CliTest.Result r = run("hunt", "--workload", "kraft", "--faults", "none", "--seeds", "2", "--threads", "1", "--out", dir.toString(), "C1");
        assertThat(r.code()).as(r.out() + r.err()).isEqualTo(1);
        assertThat(r.out()).contains("KAFKA-15489  C1   not found in 2 seeds").contains("verdict: 0 of 1 flag found; 1 not found");
        assertThat(dir.resolve("bugs.md")).content().contains("**not found** | 2 |").contains("`--workload kraft --faults none`");
        assertThat(dir.resolve("KAFKA-15489")).doesNotExist();
    }

    @Test
    void badFlagsSeedsAndThreadsAreUsageErrors(@TempDir Path dir) {
        assertUsageError(run("hunt", "--out", dir.toString(), "KAFKA-0"), "unknown bug 'KAFKA-0'");
        assertUsageError(run("hunt", "--out", dir.toString(), "--seeds", "ten"), "--seeds needs a count N or a range A..B");
        assertUsageError(run("hunt", "--out", dir.toString(), "--seeds", "9..3"), "empty seed range");
        assertUsageError(run("hunt", "--out", dir.toString(), "--threads", "0"), "--threads must be at least 1");
        assertUsageError(run("hunt", "--out", dir.toString(), "--workload", "nope"), "unknown workload 'nope'");
        assertUsageError(run("hunt", "--out", dir.toString(), "--workload", "kraft", "KAFKA-1555"), "KAFKA-1555 shows in the queue workload, not kraft");
        assertThat(dir.resolve("bugs.md")).doesNotExist();
    }
}
