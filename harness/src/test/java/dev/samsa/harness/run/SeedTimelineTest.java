package dev.samsa.harness.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.samsa.harness.cli.SamsaCli;
import dev.samsa.harness.fault.FaultPlan;
import dev.samsa.harness.fault.FaultSchedule;
import dev.samsa.harness.sim.TraceSink;
import dev.samsa.reports.Html;
import dev.samsa.spec.bugs.Bug;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SeedTimelineTest {

    static void parse(String html) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://xml.org/sax/features/external-general-entities", false);
        f.newDocumentBuilder().parse(new ByteArrayInputStream(html.getBytes(StandardCharsets.UTF_8)));
    }

    static int count(String s, String regex) {
        Matcher m = Pattern.compile(regex).matcher(s);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    @Test
    void aQueueSeedsArtifactsGetATimelineWithEveryOperationFaultAndLeader(@TempDir Path dir) throws Exception {
        RunSpec spec = new RunSpec("queue", Map.of("sim.faults.ms", "15000"), Set.of(), FaultPlan.Profile.SWARM);
        SeedResult r = SeedRunner.run(spec, 3, TraceSink.NONE, false, Optional.of(dir));
        String html = Files.readString(dir.resolve("timeline.html"));
        parse(html);
        assertThat(html).doesNotContain("http://").doesNotContain("https://").doesNotContain("src=");

        long ops = Files.readAllLines(dir.resolve("history.jsonl")).stream().filter(l -> l.startsWith("{\"index\"")).count();
        assertThat(ops).isGreaterThan(50);
        // every operation is drawn, alone or in exactly one aggregate
        Matcher m = Pattern.compile("<title>(\\d+) (send|poll|assign) operations").matcher(html);
        int inAggregates = 0;
        while (m.find()) {
            inAggregates += Integer.parseInt(m.group(1));
        }
        assertThat(inAggregates + count(html, "class=\"op\"[^>]*><title>(send|poll|assign) ")).isEqualTo((int) ops);

        FaultSchedule faults = FaultSchedule.parse("faults", r.faultSchedule());
        assertThat(faults.faultCount()).isGreaterThan(0);
        faults.events().stream().filter(e -> e.isFault())
                .forEach(e -> assertThat(html).as(e.toLine()).contains(Html.escape(e.toLine())));
        assertThat(html).contains(">warm-up</text>").contains("active controller").contains("<text x=\"8\" y=\"").contains(">queue-0</text>")
                .contains(">producer-0</text>").contains(">consumer-0</text>");
        assertThat(html).contains("<a href=\"history.jsonl\">").contains("<a href=\"timeline.jsonl\">");

        List<String> lines = Files.readAllLines(dir.resolve("timeline.jsonl"));
        assertThat(lines.get(0)).isEqualTo("{\"schema\":\"samsa.queue-timeline/1\",\"seed\":3}");
        assertThat(lines.size()).isGreaterThan(4); // every partition's first leader at least
        for (String l : lines.subList(1, lines.size())) {
            JsonNode n = Json.COMPACT.readTree(l);
            assertThat(n.get("partition").asInt()).isBetween(0, 63);
            assertThat(n.get("isr").isArray()).isTrue();
            assertThat(html).contains(">queue-" + n.get("partition").asInt() + "</text>");
        }
    }

    @Test
    void aKraftSeedReplayedWithTimelineShowsControllerLeadershipAndTheViolation(@TempDir Path dir) throws Exception {
        long seed = FailingSeeds.kraft15489();
        Path file = dir.resolve("t.html");
        SeedResult r = SeedRunner.run(FailingSeeds.kraft15489Spec(), seed, TraceSink.NONE, false, Optional.empty(), Optional.of(file));
        assertThat(r.passed()).isFalse();
        String html = Files.readString(file);
        parse(html);
        SeedResult.Finding f = r.findings().stream().filter(x -> !x.expected()).findFirst().orElseThrow();
        assertThat(html).contains("<title>kraft.check-quorum at " + String.format(java.util.Locale.ROOT, "%.6f s", f.atNanos() / 1e9));
        assertThat(html).contains("active controller").contains(">ctrl-300").contains(">client-0</text>").contains("write ok");
        assertThat(count(html, "class=\"violation\"")).isEqualTo(r.findings().size());
        // no artifacts folder was asked for: nothing else is written next to the page
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()).toList()).containsExactly("t.html");
        }
    }

    @Test
    void aFailingQueueSeedsFolderFromTheCampaignHoldsItsTimeline(@TempDir Path out) throws Exception {
        int code = SamsaCli.execute("run", "--workload", "queue", "--bug", "KAFKA-1555", "--seeds", "0..9", "--max-failures", "1", "--threads", "1",
                "--no-progress", "--out", out.toString());
        assertThat(code).isEqualTo(1);
        Path folder;
        try (Stream<Path> dirs = Files.list(out)) {
            folder = dirs.filter(p -> p.getFileName().toString().startsWith("seed-")).findFirst().orElseThrow();
        }
        String html = Files.readString(folder.resolve("timeline.html"));
        parse(html);
        assertThat(html).contains("class=\"violation\"").contains("--bug KAFKA-1555").contains("<a href=\"trace.txt\">trace.txt</a>")
                .contains("<a href=\"faults.txt\">");
        assertThat(folder.resolve("timeline.jsonl")).exists();
        try (Stream<Path> files = Files.list(folder)) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tmp")).toList()).isEmpty();
        }
    }

    @Test
    void theHookLinksALinearizabilityVisualizationOnlyWhenOneIsThere(@TempDir Path dir) throws Exception {
        Path page = dir.resolve("timeline.html");
        assertThat(SeedTimeline.links(page)).isEmpty();
        Files.writeString(dir.resolve("lin-partition-0.html"), "<html></html>");
        Files.writeString(dir.resolve(".trace.txt.tmp"), "being written");
        Files.writeString(dir.resolve("notes.html"), "not a visualization");
        assertThat(SeedTimeline.links(page)).extracting(l -> l.href()).containsExactly("trace.txt", "lin-partition-0.html");
    }

    @Test
    void replayWritesATimelineForAnySeedAndRefusesADirectory(@TempDir Path dir) {
        Path file = dir.resolve("sub/page.html");
        int code = SamsaCli.execute("replay", "--seed", "1", "--workload", "kraft", "--set", "sim.faults.ms=5000", "--timeline", file.toString());
        assertThat(code).isZero();
        assertThat(file).exists();
        assertThat(SamsaCli.execute("replay", "--seed", "1", "--workload", "kraft", "--timeline", dir.toString())).isEqualTo(2);
    }

    static Set<Bug> bugs(String jira) {
        return EnumSet.of(Bug.parse(jira).orElseThrow());
    }
}
