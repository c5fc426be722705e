package dev.samsa.harness.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.samsa.reports.CampaignReport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rebuilding reports from fixed results.jsonl files: merge, dedup, conflicts, bad input, the matrix and escaping. */
class ResultsMergeTest {

    static final String EVIL = "<script>alert(1)</script>";

    static SeedResult result(long seed, Map<String, String> settings, SeedResult.Finding... findings) {
        boolean passed = List.of(findings).stream().allMatch(SeedResult.Finding::expected);
        return new SeedResult(seed, "queue", passed, List.of(findings), "kill/2s", settings, Map.of("fault.kill", 2L),
                Map.of("partition.isr-shrink", 1L), Map.of("send.ok", 10L), "hash" + seed, 60_000_000_000L, 1000, 50_000_000L,
                List.of("faults-start 5.0"));
    }

    static SeedResult.Finding violated(String invariant, String evidence) {
        return new SeedResult.Finding(invariant, "statement", 7_000_000_000L, false, evidence);
    }

    static SeedResult.Finding expected(String invariant) {
        return new SeedResult.Finding(invariant, "statement", 7_000_000_000L, true, "allowed under acks=1");
    }

    /** Ten seeds: 2 and 7 lose an acknowledged write, 4 and 5 (acks=1) lose one as their settings allow, 9 was not deterministic. */
    static List<String> lines() {
        List<String> lines = new ArrayList<>();
        for (long s = 0; s < 10; s++) {
            SeedResult r;
            if (s == 2 || s == 7) {
                r = result(s, Map.of("inter.broker.protocol.version", "2.6"), violated("queue.lost-write", "offset 7 lost " + EVIL));
            } else if (s == 4 || s == 5) {
                r = result(s, Map.of("acks", "1"), expected("queue.lost-write"));
            } else {
                r = result(s, Map.of());
            }
            lines.add(ResultsMerge.line(r, s == 9 ? "seed 9 is not deterministic" : null));
        }
        return lines;
    }

    static Path folder(Path root, String name, List<String> lines, long first, long last) throws Exception {
        Path dir = root.resolve(name);
        Files.createDirectories(dir);
        Files.write(dir.resolve("results.jsonl"), lines, StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("summary.json"), """
                {"schema":"samsa.summary/1","finished":true,"workload":"queue","options":"--workload queue","faultProfile":"swarm",
                 "fixedSettings":{},"bugs":[],"seeds":{"first":%d,"last":%d,"requested":%d,"done":%d},
                 "speed":{"wallSeconds":2.0,"threads":2}}
                """.formatted(first, last, last - first + 1, last - first + 1));
        for (String l : lines) {
            if (l.contains("\"passed\":false") || l.contains("determinism")) {
                long seed = Json.COMPACT.readTree(l).get("seed").asLong();
                Files.createDirectories(dir.resolve("seed-" + seed));
                Files.writeString(dir.resolve("seed-" + seed).resolve("trace.txt"), "trace of " + seed + "\n");
                Files.writeString(dir.resolve("seed-" + seed).resolve("history.jsonl"), "{}\n");
            }
        }
        return dir;
    }

    static JsonNode summary(Path dir) throws Exception {
        return Json.MAPPER.readTree(dir.resolve("summary.json").toFile());
    }

    @Test
    void twoShardsMergeToTheCountsOfOneRun(@TempDir Path tmp) throws Exception {
        List<String> all = lines();
        Path whole = folder(tmp, "whole", all, 0, 9);
        Path a = folder(tmp, "a", all.subList(0, 5), 0, 4);
        Path b = folder(tmp, "b", all.subList(5, 10), 5, 9);
        ResultsMerge.rebuild(List.of(whole), whole);
        CampaignSummary merged = ResultsMerge.rebuild(List.of(a, b), tmp.resolve("merged"));
        assertThat(merged.seedsDone()).isEqualTo(10);
        assertThat(merged.failed()).isEqualTo(3); // 2, 7 and the non-deterministic 9
        assertThat(merged.seedsWithExpectedAnomalies()).isEqualTo(2);
        JsonNode one = summary(whole);
        JsonNode two = summary(tmp.resolve("merged"));
        for (String field : List.of("passed", "failed", "seedsWithExpectedAnomalies", "invariants", "faults", "reachedPaths", "workloadStats",
                "counters", "seeds", "options")) {
            assertThat(two.get(field)).as(field).isEqualTo(one.get(field));
        }
        assertThat(two.path("speed").path("events").asLong()).isEqualTo(10_000);
        assertThat(two.path("speed").path("wallSeconds").asDouble()).isEqualTo(4.0); // the shards' wall times summed
        assertThat(two.path("invariants").path("queue.lost-write").path("violated").asLong()).isEqualTo(2);
        assertThat(two.path("invariants").path("sim.deterministic").path("violated").asLong()).isEqualTo(1);
        // the merged folder holds every failing seed's evidence, so the report's links work
        assertThat(tmp.resolve("merged/seed-7/trace.txt")).hasContent("trace of 7");
        assertThat(tmp.resolve("merged/seed-2/history.jsonl")).exists();
        assertThat(Files.readAllLines(tmp.resolve("merged/results.jsonl"))).isEqualTo(all);
    }

    @Test
    void theRebuiltReportHasTheMatrixTheAnomaliesAndEscapesHostileStrings(@TempDir Path tmp) throws Exception {
        List<String> all = new ArrayList<>(lines());
        all.add(ResultsMerge.line(result(10, Map.of("acks", EVIL), violated("queue.duplicate", EVIL)), null));
        Path dir = folder(tmp, "run", all, 0, 10);
        ResultsMerge.rebuild(List.of(dir), dir);
        String md = Files.readString(dir.resolve("report.md"));
        assertThat(md).contains("**Verdict: 4 of 11 seeds violated an invariant**");
        assertThat(md).contains("| invariant | acks=1 (2) | acks=&lt;script&gt;alert(1)&lt;/script&gt; (1) | acks=all (8) |");
        // queue.lost-write: violated in seeds 2 and 7 (acks=all by default), expected in 4 and 5 (acks=1)
        assertThat(md).containsPattern("\\| `queue.lost-write` \\| 0 / 0 / 2 \\| 1 / 0 / 0 \\| 6 / \\*\\*2\\*\\* / 0 \\|");
        assertThat(md).contains("inter.broker.protocol.version=2.6 (2)").contains("inter.broker.protocol.version=3.9 (9)");
        assertThat(md).contains("- seed 7 — queue.lost-write: offset 7 lost &lt;script&gt;")
                .contains("[seed-7/](seed-7/) · [trace.txt](seed-7/trace.txt) · [history.jsonl](seed-7/history.jsonl)")
                .contains("`./samsa replay --seed 7 --workload queue`");
        String html = Files.readString(dir.resolve("report.html"));
        assertThat(html).doesNotContain("<script").contains("&lt;script&gt;alert(1)&lt;/script&gt;")
                .contains("<a href=\"seed-7/trace.txt\">trace.txt</a>").doesNotContain("http://").doesNotContain("https://");
    }

    @Test
    void theSameSeedTwiceIsKeptOnceAndAConflictNamesTheSeed(@TempDir Path tmp) throws Exception {
        List<String> all = lines();
        Path a = folder(tmp, "a", all.subList(0, 6), 0, 5);
        Path b = folder(tmp, "b", all.subList(4, 10), 4, 9);
        CampaignSummary s = ResultsMerge.rebuild(List.of(a, b), tmp.resolve("out"));
        assertThat(s.seedsDone()).isEqualTo(10);
        assertThat(summary(tmp.resolve("out")).path("seeds").path("requested").asLong()).isEqualTo(10);

        List<String> changed = new ArrayList<>(all.subList(4, 10));
        changed.set(1, ResultsMerge.line(result(5, Map.of(), violated("queue.duplicate", "seen twice")), null));
        Path c = folder(tmp, "c", changed, 4, 9);
        assertThatThrownBy(() -> ResultsMerge.rebuild(List.of(a, c), tmp.resolve("out2")))
                .isInstanceOf(ResultsMerge.BadInputException.class)
                .hasMessageContaining("c/results.jsonl:2: seed 5 ran differently in");
    }

    @Test
    void badInputNamesTheFileAndLine(@TempDir Path tmp) throws Exception {
        Path none = tmp.resolve("empty");
        Files.createDirectories(none);
        assertThatThrownBy(() -> ResultsMerge.rebuild(List.of(none), none))
                .isInstanceOf(ResultsMerge.BadInputException.class).hasMessageContaining("empty/results.jsonl: missing");
        List<String> broken = new ArrayList<>(lines());
        broken.set(2, "{\"seed\": 2, \"workload\": ");
        Path bad = folder(tmp, "bad", broken, 0, 9);
        assertThatThrownBy(() -> ResultsMerge.rebuild(List.of(bad), bad))
                .isInstanceOf(ResultsMerge.BadInputException.class).hasMessageContaining("bad/results.jsonl:3: not a seed result");
        broken.set(2, "{\"seed\": 2}");
        Path partial = folder(tmp, "partial", broken, 0, 9);
        assertThatThrownBy(() -> ResultsMerge.rebuild(List.of(partial), partial))
                .isInstanceOf(ResultsMerge.BadInputException.class).hasMessageContaining("partial/results.jsonl:3: not a seed result");
        broken.set(2, "[1, 2]");
        Path array = folder(tmp, "array", broken, 0, 9);
        assertThatThrownBy(() -> ResultsMerge.rebuild(List.of(array), array))
                .isInstanceOf(ResultsMerge.BadInputException.class).hasMessageContaining("array/results.jsonl:3: not a seed result");
        Path kraft = folder(tmp, "kraft", List.of(Json.line(new SeedResult(11, "kraft", true, List.of(), "", Map.of(), Map.of(), Map.of(),
                Map.of(), "h", 0, 0, 0))), 11, 11);
        assertThatThrownBy(() -> ResultsMerge.rebuild(List.of(folder(tmp, "q", lines(), 0, 9), kraft), tmp.resolve("x")))
                .isInstanceOf(ResultsMerge.BadInputException.class).hasMessageContaining("kraft/results.jsonl:1: seed 11 ran workload kraft");
    }

    @Test
    void aDeterminismProblemSurvivesTheRoundTripThroughResultsJsonl() throws Exception {
        String line = ResultsMerge.line(result(3, Map.of()), "seed 3 is not deterministic");
        assertThat(Json.COMPACT.readTree(line).path("determinism").asText()).isEqualTo("seed 3 is not deterministic");
        assertThat(ResultsMerge.line(result(3, Map.of()), null)).doesNotContain("determinism").isEqualTo(Json.line(result(3, Map.of())));
    }

    @Test
    void theMatrixCountsEachSeedOnceInEachSettingsColumnWithKafkasDefaultWhenUnset() {
        VerdictMatrixBuilder m = new VerdictMatrixBuilder(List.of("acks", "min.insync.replicas"));
        m.add(result(0, Map.of("acks", "1"), expected("queue.lost-write"), violated("queue.lost-write", "x")), false);
        m.add(result(1, Map.of("acks", "1"), expected("queue.lost-write")), false);
        m.add(result(2, Map.of()), true);
        CampaignReport.VerdictMatrix built = m.build(List.of("queue.lost-write", "sim.deterministic"));
        assertThat(built.columns()).extracting(c -> c.setting() + "=" + c.value() + ":" + c.seeds())
                .containsExactly("acks=1:2", "acks=all:1", "min.insync.replicas=2:3");
        // seed 0 counts once, as violated (a broken promise outweighs an expected finding)
        assertThat(built.rows().get(0).cells()).containsExactly(new CampaignReport.Cell(0, 1, 1), new CampaignReport.Cell(1, 0, 0),
                new CampaignReport.Cell(1, 1, 1));
        assertThat(built.rows().get(1).cells()).containsExactly(new CampaignReport.Cell(2, 0, 0), new CampaignReport.Cell(0, 1, 0),
                new CampaignReport.Cell(2, 1, 0));
        assertThat(new VerdictMatrixBuilder(List.of()).build(List.of("x")).columns()).isEmpty();
        assertThatThrownBy(() -> new VerdictMatrixBuilder(List.of("no.such.key"))).isInstanceOf(RuntimeException.class);
    }
}
