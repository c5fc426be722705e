package dev.samsa.harness.check;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.samsa.harness.run.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Reads a saved history in JSON Lines — the queue, txn and groups formats share this shape: a
 * header line naming the schema, then one line per operation; blank lines are ignored. Bad input
 * is a {@link FormatException} naming the file and line; a missing or unreadable file is an
 * {@link UncheckedIOException}.
 */
public final class HistoryLines {

    private HistoryLines() {}

    /** Reads one non-blank line; a Jackson error becomes a {@link FormatException} with Jackson's message. */
    @FunctionalInterface
    public interface LineReader<T> {
        T read(long lineNo, String line) throws JsonProcessingException;
    }

    /**
     * Reads {@code file}: its first non-blank line with {@code header}, every later one with
     * {@code op}, in order. Returns the header; a file without one is an error that names {@code schema}.
     */
    public static <H> H read(Path file, String schema, LineReader<H> header, LineReader<?> op) {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            H h = null;
            long lineNo = 0;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    if (h == null) {
                        h = header.read(lineNo, line);
                    } else {
                        op.read(lineNo, line);
                    }
                } catch (JsonProcessingException e) {
                    throw new FormatException(file, lineNo, e.getOriginalMessage());
                }
            }
            if (h == null) {
                throw new FormatException(file, Math.max(1, lineNo), "empty: expected a header line with \"schema\":\"" + schema + "\"");
            }
            return h;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@link #read(Path, String, LineReader, LineReader)} with every line parsed into {@link Fields} first. */
    public static <H> H readFields(Path file, String schema, Function<Fields, H> header, Consumer<Fields> op) {
        return read(file, schema, (n, line) -> header.apply(Fields.parse(file, n, line)), (n, line) -> {
            op.accept(Fields.parse(file, n, line));
            return null;
        });
    }

    /** True when the file's first non-blank line declares {@code schema} (an unreadable file is not recognised). */
    public static boolean recognises(Path file, String schema) {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (!line.isBlank()) {
                    JsonNode n = Json.COMPACT.readTree(line);
                    return n != null && n.isObject() && schema.equals(n.path("schema").asText());
                }
            }
            return false;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Writes one value as a JSON object (or any JSON value) on the generator. */
    @FunctionalInterface
    public interface JsonWriter<T> {
        void write(JsonGenerator g, T value) throws IOException;
    }

    /**
     * Writes {@code file} atomically in this shape: the header line, then one line per operation,
     * each with its writer on a compact generator.
     */
    public static <H, T> void write(Path file, H header, JsonWriter<H> headerWriter, List<T> ops, JsonWriter<T> opWriter) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = Json.COMPACT.getFactory().createGenerator(out)) {
            g.setRootValueSeparator(null);
            headerWriter.write(g, header);
            for (T op : ops) {
                g.writeRaw('\n');
                opWriter.write(g, op);
            }
            g.writeRaw('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Json.writeStringAtomically(file, out.toString());
    }

    /** A header's {@code "settings"} object: the seed's settings by key. */
    public static void writeSettings(JsonGenerator g, Map<String, String> settings) throws IOException {
        g.writeObjectFieldStart("settings");
        for (Map.Entry<String, String> e : settings.entrySet()) {
            g.writeStringField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
    }
}
