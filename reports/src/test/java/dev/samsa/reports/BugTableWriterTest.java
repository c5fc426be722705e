package dev.samsa.reports;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BugTableWriterTest {

    static final String EVIL = ReportWriterTest.EVIL;

    static BugTable.Row found(String evidence, boolean passesWithout) {
        return new BugTable.Row("KAFKA-1555", "BUG_NO_MIN_ISR", "R8", "acks=all", "min.insync.replicas is ignored",
                List.of("replica.hw-replicated", "queue.no-lost-acked-write"), true, 0, 1, "replica.hw-replicated", evidence, passesWithout,
                "./samsa replay --seed 0 --workload queue --bug KAFKA-1555");
    }

    static BugTable.Row notFound() {
        return new BugTable.Row("KAFKA-2143", "BUG_FULL_TRUNCATE_ON_OOR", "R6", "out-of-range handling", "wipes its log",
                List.of("queue.no-lost-acked-write"), false, -1, 2000, "", "", false, "");
    }

    static BugTable table(List<BugTable.Row> rows, boolean finished) {
        return new BugTable("samsa bug hunt", "--workload queue", "0..1999", rows, finished);
    }

    @Test
    void eachRowSaysWhatTheHuntPrints() {
        assertThat(found("hw 5 > 3", true).outcome()).isEqualTo("found at seed 0 (1 seed) replica.hw-replicated; passes without the flag");
        assertThat(found("x", false).outcome()).contains("FAILS without the flag too");
        assertThat(notFound().outcome()).isEqualTo("not found in 2000 seeds");
        assertThat(found("x", true).confirmed()).isTrue();
        assertThat(found("x", false).confirmed()).isFalse();
        assertThat(notFound().confirmed()).isFalse();
    }

    @Test
    void theVerdictCountsFoundMissingAndFailingWithout() {
        assertThat(table(List.of(found("x", true)), true).verdict()).isEqualTo("1 of 1 flag found");
        assertThat(table(List.of(found("x", true), notFound(), found("y", false)), true).verdict())
                .isEqualTo("1 of 3 flags found; 1 not found; 1 fails without the flag too");
        assertThat(table(List.of(found("x", true)), false).verdict()).endsWith("(hunt not finished)");
    }

    @Test
    void theMarkdownHasARowPerFlag() {
        String md = BugTableWriter.markdown(table(List.of(found("hw 5 > 3", true), notFound()), true));
        assertThat(md).contains("**Verdict: 1 of 2 flags found; 1 not found**")
                .contains("| KAFKA-1555 | R8 | `BUG_NO_MIN_ISR` | acks=all | replica.hw-replicated, queue.no-lost-acked-write | 0 | 1 | "
                        + "`replica.hw-replicated` | yes | `./samsa replay --seed 0 --workload queue --bug KAFKA-1555` |")
                .contains("| KAFKA-2143 | R6 | `BUG_FULL_TRUNCATE_ON_OOR` | out-of-range handling | queue.no-lost-acked-write | **not found** | 2000 |")
                .contains("- KAFKA-1555, seed 0: hw 5 &gt; 3");
        assertThat(BugTableWriter.markdown(table(List.of(found("x", false)), true))).contains("| **no** (harness or implementation bug) |");
    }

    @Test
    void theMarkdownNeutralisesHostileStrings() {
        String md = BugTableWriter.markdown(table(List.of(found(EVIL + " | col", true)), true));
        assertThat(md).contains("&lt;script&gt;").contains("\\| col");
        assertThat(md.replaceAll("(`+)[^`].*?\\1", "")).doesNotContain("<script").doesNotContain("<img");
    }

    @Test
    void theHtmlSaysFoundAndNotFound() {
        String html = BugTableWriter.html(table(List.of(found("hw", true), notFound()), true));
        assertThat(html).contains("<td class=\"n\">0</td><td class=\"n\">1</td><td><code>replica.hw-replicated</code>")
                .contains("<td class=\"ok\">yes</td>").contains("<td class=\"bad\">not found</td><td class=\"n\">2000</td>")
                .contains("verdict bad").contains("<code>./samsa replay --seed 0 --workload queue --bug KAFKA-1555</code>");
        assertThat(BugTableWriter.html(table(List.of(found("hw", true)), true))).contains("verdict ok");
        assertThat(BugTableWriter.html(table(List.of(found("hw", true)), false))).contains("verdict bad");
        assertThat(BugTableWriter.html(table(List.of(found("hw", false)), true))).contains("<td class=\"bad\">no</td>");
    }

    @Test
    void theHtmlIsWellFormedSelfContainedAndEscapesEverything() throws Exception {
        BugTable.Row evil = new BugTable.Row(EVIL, EVIL, EVIL, EVIL, EVIL, List.of(EVIL), true, 3, 4, EVIL, EVIL, true, EVIL);
        String html = BugTableWriter.html(new BugTable(EVIL, EVIL, EVIL, List.of(evil, notFound()), true));
        assertThat(html).doesNotContain("<script").doesNotContain("<img").contains("&lt;script&gt;alert(1)&lt;/script&gt;");
        ReportWriterTest.assertSelfContained(html);
        ReportWriterTest.assertSelfContained(BugTableWriter.html(table(List.of(), false)));
    }

    @Test
    void bothFilesAreWrittenAtomically(@TempDir Path dir) throws Exception {
        BugTableWriter.writeBoth(table(List.of(found("x", true)), true), dir);
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("bugs.md", "bugs.html");
        }
        assertThat(dir.resolve("bugs.md")).content().contains("KAFKA-1555");
    }
}
