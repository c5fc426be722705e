package dev.samsa.harness.check.groups;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.samsa.harness.check.FormatException;
import dev.samsa.harness.check.HistoryLines;
import dev.samsa.harness.run.Json;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A groups history on disk: JSON Lines, schema {@code samsa.groups-history/1}. The first line
 * is a header, {@code {"schema":"samsa.groups-history/1","seed":S,"options":"...","settings":{...},
 * "promise":{...}}}, whose {@code promise} holds the fields of {@link GroupPromise}; then one
 * line per {@link GroupOp}, with its fields by name, {@code offsets} as {@code [partition,
 * offset]} pairs and {@code records} as {@code [partition, offset, value, header]}. Every field
 * is required and an unknown one is an error; blank lines are ignored. Writing is atomic.
 */
public final class GroupHistoryJson {

    public static final String SCHEMA = "samsa.groups-history/1";

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_CREATOR_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
            .enable(com.fasterxml.jackson.databind.SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private GroupHistoryJson() {}

    public record Header(String schema, long seed, String options, Map<String, String> settings, GroupPromise promise) {
        public Header {
            settings = java.util.Collections.unmodifiableMap(new TreeMap<>(settings));
        }

        public Header(long seed, String options, Map<String, String> settings, GroupPromise promise) {
            this(SCHEMA, seed, options, settings, promise);
        }
    }

    public record History(Header header, List<GroupOp> ops) {
        public History {
            ops = List.copyOf(ops);
        }
    }

    public static void write(Path file, Header header, List<GroupOp> ops) {
        StringBuilder out = new StringBuilder();
        try {
            out.append(MAPPER.writeValueAsString(header)).append('\n');
            for (GroupOp op : ops) {
                out.append(MAPPER.writeValueAsString(op)).append('\n');
            }
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        Json.writeStringAtomically(file, out.toString());
    }

    /** True when the file's first line names this schema (how {@code ./samsa check} tells histories apart). */
    public static boolean recognises(Path file) {
        return HistoryLines.recognises(file, SCHEMA);
    }

    /** Reads a history; a missing or unreadable file is an {@link UncheckedIOException}. */
    public static History read(Path file) {
        List<GroupOp> ops = new ArrayList<>();
        Header header = HistoryLines.read(file, SCHEMA, (lineNo, line) -> {
            Header h = MAPPER.readValue(line, Header.class);
            if (!SCHEMA.equals(h.schema())) {
                throw new FormatException(file, lineNo, "schema is \"" + h.schema() + "\", expected \"" + SCHEMA + "\"");
            }
            return h;
        }, (lineNo, line) -> {
            GroupOp op = MAPPER.readValue(line, GroupOp.class);
            if (op.index() != ops.size()) {
                throw new FormatException(file, lineNo, "index " + op.index() + ", expected " + ops.size());
            }
            ops.add(op);
            return op;
        });
        return new History(header, ops);
    }
}
