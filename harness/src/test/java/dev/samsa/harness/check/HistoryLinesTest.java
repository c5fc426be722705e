package dev.samsa.harness.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shared reader behind the queue, txn and groups history formats. */
class HistoryLinesTest {

    private static final String SCHEMA = "test-history/1";
    private static final List<String> OP_FIELDS = List.of("index", "name");

    @TempDir
    Path tmp;

    private Path file(String... lines) throws Exception {
        Path f = tmp.resolve("h.jsonl");
        Files.write(f, List.of(lines));
        return f;
    }

    /** Reads the header's seed and every op's name, as a schema's reader would. */
    private List<String> read(Path f) {
        List<String> out = new ArrayList<>();
        long seed = HistoryLines.readFields(f, SCHEMA, h -> h.longOf("seed"), op -> {
            op.onlyFields(OP_FIELDS);
            out.add(op.intOf("index") + ":" + op.text("name"));
        });
        out.add(0, "seed " + seed);
        return out;
    }

    @Test
    void wellFormedLinesReadInOrderAndBlankLinesAreSkipped() throws Exception {
        Path f = file("{\"seed\":7}", "", "{\"index\":0,\"name\":\"a\"}", "  ", "{\"name\":\"b\",\"index\":1}");
        assertThat(read(f)).containsExactly("seed 7", "0:a", "1:b");
    }

    @Test
    void malformedJsonNamesTheFileAndLine() throws Exception {
        Path f = file("{\"seed\":7}", "", "{\"index\":0,");
        assertThatThrownBy(() -> read(f)).isInstanceOf(FormatException.class).hasMessageStartingWith(f + ":3: not JSON: ");
        Path g = file("{\"seed\":7}", "[1,2]");
        assertThatThrownBy(() -> read(g)).isInstanceOf(FormatException.class).hasMessage(g + ":2: expected a JSON object");
    }

    @Test
    void anUnknownFieldIsAnError() throws Exception {
        Path f = file("{\"seed\":7}", "{\"index\":0,\"name\":\"a\",\"nmae\":\"b\"}");
        assertThatThrownBy(() -> read(f)).isInstanceOf(FormatException.class)
                .hasMessage(f + ":2: unknown field \"nmae\" (expected index, name)");
    }

    @Test
    void aMissingOrMistypedFieldIsAnError() throws Exception {
        Path f = file("{\"seed\":7}", "{\"index\":0,\"name\":\"a\"}", "{\"index\":1}");
        assertThatThrownBy(() -> read(f)).isInstanceOf(FormatException.class).hasMessage(f + ":3: missing field \"name\"");
        Path g = file("{\"seed\":\"7\"}");
        assertThatThrownBy(() -> read(g)).isInstanceOf(FormatException.class).hasMessage(g + ":1: seed must be an integer, got \"7\"");
    }

    @Test
    void aFileWithoutAHeaderNamesTheSchema() throws Exception {
        Path f = file("", "");
        assertThatThrownBy(() -> read(f)).isInstanceOf(FormatException.class)
                .hasMessage(f + ":2: empty: expected a header line with \"schema\":\"" + SCHEMA + "\"");
    }

    @Test
    void recognisesTheSchemaOfTheFirstNonBlankLineOnly() throws Exception {
        assertThat(HistoryLines.recognises(file("", "{\"schema\":\"" + SCHEMA + "\"}"), SCHEMA)).isTrue();
        assertThat(HistoryLines.recognises(file("{\"schema\":\"other/1\"}"), SCHEMA)).isFalse();
        assertThat(HistoryLines.recognises(file("not json"), SCHEMA)).isFalse();
        assertThat(HistoryLines.recognises(tmp.resolve("missing.jsonl"), SCHEMA)).isFalse();
    }
}
