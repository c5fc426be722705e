package dev.samsa.harness.check.groups;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.samsa.harness.run.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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

    /** Bad input: the message is {@code FILE:LINE: what is wrong}. */
    public static final class FormatException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public FormatException(Path file, long line, String what) {
            super(file + ":" + line + ": " + what);
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
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (!line.isBlank()) {
                    JsonNode n = MAPPER.readTree(line);
                    return n != null && n.isObject() && SCHEMA.equals(n.path("schema").asText());
                }
            }
            return false;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Reads a history; a missing or unreadable file is an {@link UncheckedIOException}. */
    public static History read(Path file) {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            Header header = null;
            List<GroupOp> ops = new ArrayList<>();
            long lineNo = 0;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    if (header == null) {
                        header = MAPPER.readValue(line, Header.class);
                        if (!SCHEMA.equals(header.schema())) {
                            throw new FormatException(file, lineNo, "schema is \"" + header.schema() + "\", expected \"" + SCHEMA + "\"");
                        }
                    } else {
                        GroupOp op = MAPPER.readValue(line, GroupOp.class);
                        if (op.index() != ops.size()) {
                            throw new FormatException(file, lineNo, "index " + op.index() + ", expected " + ops.size());
                        }
                        ops.add(op);
                    }
                } catch (JsonProcessingException e) {
                    throw new FormatException(file, lineNo, e.getOriginalMessage());
                }
            }
            if (header == null) {
                throw new FormatException(file, Math.max(1, lineNo), "empty: expected a header line with \"schema\":\"" + SCHEMA + "\"");
            }
            return new History(header, ops);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
