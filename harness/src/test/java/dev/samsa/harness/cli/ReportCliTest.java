package dev.samsa.harness.cli;

import static dev.samsa.harness.cli.CliTest.assertUsageError;
import static dev.samsa.harness.cli.CliTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.samsa.harness.run.FailingSeeds;
import dev.samsa.harness.run.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./samsa report DIR...} on real campaign output, and the default suite's index. */
class ReportCliTest {

    /** Short kraft seeds: the merge is what is tested, not the faults. */
    static final String[] KRAFT = {"--workload", "kraft", "--threads", "1", "--no-progress", "--set", "sim.faults.ms=10000"};

    static CliTest.Result runKraft(String... more) {
        String[] args = new String[1 + KRAFT.length + more.length];
        args[0] = "run";
        System.arraycopy(KRAFT, 0, args, 1, KRAFT.length);
        System.arraycopy(more, 0, args, 1 + KRAFT.length, more.length);
        return run(args);
    }

    static JsonNode summary(Path dir) throws Exception {
        return Json.MAPPER.readTree(dir.resolve("summary.json").toFile());
    }

    @Test
    void twoShardsReportTheCountsOfOneRun(@TempDir Path tmp) throws Exception {
        assertThat(runKraft("--seeds", "6", "--out", tmp.resolve("whole").toString()).code()).isZero();
        assertThat(runKraft("--seeds", "6", "--shard", "0/2", "--out", tmp.resolve("a").toString()).code()).isZero();
        assertThat(runKraft("--seeds", "6", "--shard", "1/2", "--out", tmp.resolve("b").toString()).code()).isZero();
        CliTest.Result r = run("report", tmp.resolve("a").toString(), tmp.resolve("b").toString(), "--out", tmp.resolve("merged").toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("6 seeds from 2 folders: 6 passed, 0 failed").contains("verdict: every invariant held");
        JsonNode one = summary(tmp.resolve("whole"));
        JsonNode merged = summary(tmp.resolve("merged"));
        assertThat(merged.path("schema").asText()).isEqualTo("samsa.summary/1");
        for (String field : List.of("passed", "failed", "seedsWithExpectedAnomalies", "invariants", "faults", "reachedPaths", "workloadStats",
                "counters", "seeds", "options", "faultProfile")) {
            assertThat(merged.get(field)).as(field).isEqualTo(one.get(field));
        }
        assertThat(merged.path("speed").path("events")).isEqualTo(one.path("speed").path("events"));
        assertThat(tmp.resolve("merged/report.md")).content().contains("**Verdict: every invariant held on 6 seeds**");
        assertWellFormedAndOffline(tmp.resolve("merged/report.html"));
        // without --out the report lands in the first folder; the same folder twice deduplicates
        assertThat(run("report", tmp.resolve("a").toString(), tmp.resolve("a").toString()).code()).isZero();
        assertThat(summary(tmp.resolve("a")).path("seeds").path("done").asLong()).isEqualTo(3);
    }

    @Test
    void aFailingSeedIsReportedWithItsEvidenceFolderAndExitsOne(@TempDir Path tmp) throws Exception {
        long seed = FailingSeeds.kraft15489();
        Path out = tmp.resolve("bug");
        CliTest.Result ran = run("run", "--workload", "kraft", "--bug", "KAFKA-15489", "--seeds", seed + ".." + seed, "--threads", "1",
                "--no-progress", "--out", out.toString());
        assertThat(ran.code()).as(ran.err()).isEqualTo(1);
        Files.delete(out.resolve("report.md"));
        CliTest.Result r = run("report", out.toString());
        assertThat(r.code()).as(r.err()).isEqualTo(1);
        assertThat(r.out()).contains("1 seeds from 1 folder: 0 passed, 1 failed").contains("verdict: 1 seed violated an invariant");
        assertThat(out.resolve("report.md")).content().contains("## Anomalies").contains("- seed " + seed + " — kraft.check-quorum")
                .contains("[seed-" + seed + "/](seed-" + seed + "/) · [timeline.html](seed-" + seed + "/timeline.html) · [trace.txt](seed-" + seed + "/trace.txt) · [faults.txt](seed-" + seed + "/faults.txt)")
                .contains("--bug KAFKA-15489");
        assertWellFormedAndOffline(out.resolve("report.html"));
        assertThat(out.resolve("report.html")).content().contains("<a href=\"seed-" + seed + "/trace.txt\">trace.txt</a>");
    }

    /** The page parses as XML (we emit XHTML-compatible markup) and references nothing outside its folder. */
    static void assertWellFormedAndOffline(Path html) throws Exception {
        String page = Files.readString(html);
        javax.xml.parsers.DocumentBuilderFactory f = javax.xml.parsers.DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        var builder = f.newDocumentBuilder();
        builder.setErrorHandler(null);
        org.w3c.dom.Document doc = builder.parse(new java.io.ByteArrayInputStream(
                page.replace("<!DOCTYPE html>", "").getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertThat(doc.getElementsByTagName("script").getLength()).isZero();
        assertThat(page).doesNotContain("http://").doesNotContain("https://").doesNotContain("src=");
        org.w3c.dom.NodeList links = doc.getElementsByTagName("a");
        for (int i = 0; i < links.getLength(); i++) {
            assertThat(((org.w3c.dom.Element) links.item(i)).getAttribute("href")).matches("seed-[0-9]+/[a-z.]*");
        }
    }

    @Test
    void badInputExitsTwoNamingTheFileAndLine(@TempDir Path tmp) throws Exception {
        assertUsageError(run("report", tmp.resolve("nowhere").toString()), "nowhere/results.jsonl: missing");
        assertUsageError(run("report"), "Missing required parameter");
        Path a = tmp.resolve("a");
        assertThat(runKraft("--seeds", "2", "--out", a.toString()).code()).isZero();
        Path b = tmp.resolve("b");
        Files.createDirectories(b);
        List<String> lines = Files.readAllLines(a.resolve("results.jsonl"));
        Files.write(b.resolve("results.jsonl"), List.of(lines.get(0), "not json"));
        assertUsageError(run("report", a.toString(), b.toString()), "b/results.jsonl:2: not a seed result");
        Files.write(b.resolve("results.jsonl"), List.of(lines.get(1).replaceFirst("\"traceHash\":\"[0-9a-f]+\"", "\"traceHash\":\"0\"")));
        assertUsageError(run("report", a.toString(), b.toString()), "b/results.jsonl:1: seed 1 ran differently");
    }

    @Test
    void theDefaultSuiteWritesAnIndexLinkingEachWorkloadsReport(@TempDir Path tmp) throws Exception {
        CliTest.Result r = run("run", "--seeds", "1", "--threads", "1", "--no-progress", "--recheck-every", "0", "--set", "sim.faults.ms=5000",
                "--out", tmp.toString());
        assertThat(r.code()).as(r.err()).isIn(0, 1);
        assertThat(r.out()).contains("index: " + tmp.resolve("index.html"));
        String html = Files.readString(tmp.resolve("index.html"));
        assertThat(html).contains("<a href=\"kraft/report.html\">kraft</a>").contains("<a href=\"queue/report.html\">queue</a>")
                .doesNotContain("http://").doesNotContain("https://").doesNotContain("<script");
        assertThat(tmp.resolve("index.md")).content().containsPattern("\\| kraft \\| (every invariant held on 1 seeds|1 of 1 seeds violated an invariant) \\| 1 \\|")
                .contains("[html](queue/report.html)");
        assertThat(tmp.resolve("kraft/report.html")).exists();
        assertThat(tmp.resolve("queue/report.html")).exists();
    }
}
