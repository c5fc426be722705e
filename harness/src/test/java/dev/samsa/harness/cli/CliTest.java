package dev.samsa.harness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

public class CliTest {

    /** What one CLI invocation did: its exit code and what it printed. */
    public record Result(int code, String out, String err) {}

    /** Runs the CLI in-process, capturing standard output and error (shared by the CLI tests of other packages). */
    public static Result run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = SamsaCli.execute(args);
            return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    static void assertUsageError(Result r, String mentions) {
        assertThat(r.code()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).contains(mentions).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void anUnknownSettingNamesTheClosestKnownKey() {
        assertUsageError(run("run", "--set", "controller.quorum.fetch.timeout=5"), "did you mean 'controller.quorum.fetch.timeout.ms'");
    }

    @Test
    void aBadSettingValueSaysWhatWasExpected() {
        assertUsageError(run("run", "--set", "controller.quorum.fetch.timeout.ms=soon"), "expected long number, got 'soon'");
        assertUsageError(run("run", "--set", "nonsense"), "--set needs KEY=VALUE");
    }

    @Test
    void badSeedsThreadsShardsFaultsBugsAndWorkloadsAreUsageErrors() {
        assertUsageError(run("run", "--seeds", "ten"), "--seeds needs a count N or a range A..B");
        assertUsageError(run("run", "--seeds", "9..3"), "empty seed range");
        assertUsageError(run("run", "--threads", "0"), "--threads must be at least 1");
        assertUsageError(run("run", "--shard", "3/2"), "--shard needs I/N with 0 <= I < N");
        assertUsageError(run("run", "--faults", "meteor"), "unknown fault profile 'meteor'");
        assertUsageError(run("run", "--bug", "KAFKA-0"), "unknown bug 'KAFKA-0'");
        assertUsageError(run("run", "--workload", "nope"), "unknown workload 'nope'");
        assertUsageError(run("run", "--no-such-option"), "Unknown option");
        assertUsageError(run("replay"), "Missing required option: '--seed=S'");
    }

    static String data(String rel) {
        for (String base : java.util.List.of("../../shared/porcupine-data/", "../shared/porcupine-data/")) {
            if (java.nio.file.Files.exists(java.nio.file.Path.of(base + rel))) {
                return base + rel;
            }
        }
        throw new AssertionError("porcupine-data not found");
    }

    @Test
    void checkGivesAVerdictPerFileAndASummaryLine(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) throws Exception {
        Result ok = run("check", "--format", "etcd", data("jepsen/etcd_002.log"), data("jepsen/etcd_005.log"));
        assertThat(ok.code()).isZero();
        assertThat(ok.out()).contains("linearizable  ").endsWith("2 linearizable, 0 not, 0 unknown\n");
        Result bad = run("check", "--format", "kv", "--html", tmp.toString(), data("kv/c01-ok.txt"), data("kv/c01-bad.txt"));
        assertThat(bad.code()).isEqualTo(1);
        assertThat(bad.out()).contains("1 linearizable, 1 not, 0 unknown");
        assertThat(tmp.resolve("c01-bad.txt.html")).exists();
        java.nio.file.Path broken = tmp.resolve("broken.log");
        java.nio.file.Files.writeString(broken, "INFO  jepsen.util - 1\t:ok\t:read\t3\n");
        assertUsageError(run("check", "--format", "etcd", broken.toString()), "broken.log:1: process 1 completes a read it did not invoke");
        assertUsageError(run("check", "--format", "xml", broken.toString()), "--format must be queue, etcd or kv");
    }

    @Test
    void theCatalogsList() {
        Result bugs = run("bugs");
        assertThat(bugs.code()).isZero();
        assertThat(bugs.out()).contains("KAFKA-15489").contains("BUG_NO_CHECK_QUORUM").contains("kraft.check-quorum");
        Result inv = run("invariants");
        assertThat(inv.code()).isZero();
        assertThat(inv.out()).contains("kraft.single-leader").contains("source: KIP-595");
        Result settings = run("settings");
        assertThat(settings.code()).isZero();
        assertThat(settings.out()).contains("controller.quorum.fetch.timeout.ms").contains("default 2000");
    }

    @Test
    void shrinkExitsZeroWhenTheSeedPasses() {
        Result r = run("shrink", "--workload", "kraft", "--seed", "1", "--faults", "none", "--set", "sim.faults.ms=2000", "--max-runs", "5");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("seed 1").contains("passes: nothing to shrink");
    }

    @Test
    void shrinkPrintsASmallerFailingScheduleAndItsReplayCommand(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) throws Exception {
        long seed = dev.samsa.harness.run.FailingSeeds.kraft15489();
        java.nio.file.Path file = tmp.resolve("shrunk.txt");
        Result r = run("shrink", "--workload", "kraft", "--seed", Long.toString(seed), "--bug", "KAFKA-15489", "--max-runs", "20", "--threads", "2", "--out", file.toString());
        assertThat(r.code()).as(r.err()).isEqualTo(1);
        assertThat(r.out()).contains("shrink: seed " + seed + " violates kraft.check-quorum")
                .contains("replay: ./samsa replay --seed " + seed + " --workload kraft").contains("--schedule " + file);
        assertThat(file).exists();
        String replay = r.out().lines().filter(l -> l.startsWith("replay: ")).findFirst().orElseThrow().substring("replay: ./samsa ".length());
        Result again = run(replay.split(" "));
        assertThat(again.code()).as(again.err()).isEqualTo(1);
        assertThat(again.out()).contains("VIOLATED kraft.check-quorum");
    }

    @Test
    void shrinkAndScheduleUsageErrors(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) throws Exception {
        assertUsageError(run("shrink"), "Missing required option: '--seed=S'");
        assertUsageError(run("shrink", "--seed", "1", "--max-runs", "1"), "--max-runs must be at least 2");
        assertUsageError(run("shrink", "--seed", "1", "--threads", "0"), "--threads must be at least 1");
        java.nio.file.Path bad = tmp.resolve("bad.txt");
        java.nio.file.Files.writeString(bad, "faults-start 5\n6.0 kill node=3000 until=7\n6.5 explode node=1\n");
        assertUsageError(run("replay", "--workload", "kraft", "--seed", "1", "--schedule", bad.toString()), "bad.txt:3: unknown fault kind 'explode'");
        assertUsageError(run("run", "--workload", "kraft", "--seeds", "1", "--schedule", tmp.resolve("missing.txt").toString()), "missing.txt: cannot read the schedule");
        java.nio.file.Files.writeString(bad, "6.0 kill node=77 until=7\n");
        assertUsageError(run("shrink", "--workload", "kraft", "--seed", "1", "--schedule", bad.toString()), "bad.txt:1: unknown node 77");
    }
}
