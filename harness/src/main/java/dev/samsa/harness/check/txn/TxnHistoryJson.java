package dev.samsa.harness.check.txn;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.samsa.harness.run.Json;
import dev.samsa.harness.workload.txn.TxnOp;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A txn or eos history on disk: JSON Lines, schema {@code samsa.txn-history/1}.
 *
 * <p>The first line is a header:
 * <pre>{@code
 * {"schema":"samsa.txn-history/1","workload":"txn","seed":42,"options":"--workload txn ...",
 *  "settings":{"isolation.level":"read_committed",...},
 *  "promise":{"readCommitted":true,"durable":true,"whyNotDurable":"","finalReadsDone":true,
 *             "endOffsets":{"0":[lso,hw],...},"whyLsoMayLag":"","eos":false,"retentionHorizon":{"0":120}}}
 * }</pre>
 * Then one line per operation, in history order:
 * <pre>{@code
 * {"index":7,"process":2,"type":"txn","invokeNs":1000,"completeNs":5000,"outcome":"ok",
 *  "writes":[[key,value,offset,sendNs],...],"reads":[[key,offset,value],...],
 *  "resets":[[key,fromOffset,toOffset,"reason"],...],"commitNs":4000,"error":""}
 * }</pre>
 * {@code type} is {@code txn}, {@code send}, {@code poll} or {@code crash}; {@code outcome}
 * {@code ok}, {@code fail} or {@code info}; offsets are -1 when unknown; {@code commitNs} is -1
 * when the transaction never asked to commit. The lists, {@code commitNs} and {@code error} may
 * be left out when empty. Bad input is a {@link FormatException} naming the file and line.
 */
public final class TxnHistoryJson {

    public static final String SCHEMA = "samsa.txn-history/1";

    private static final List<String> HEADER_FIELDS = List.of("schema", "workload", "seed", "options", "settings", "promise");
    private static final List<String> PROMISE_FIELDS =
            List.of("readCommitted", "durable", "whyNotDurable", "finalReadsDone", "endOffsets", "whyLsoMayLag", "eos", "retentionHorizon");
    private static final List<String> OP_FIELDS =
            List.of("index", "process", "type", "invokeNs", "completeNs", "outcome", "writes", "reads", "resets", "commitNs", "error");

    private TxnHistoryJson() {}

    public record Header(String workload, long seed, String options, Map<String, String> settings, TxnPromise promise) {
        public Header {
            settings = java.util.Collections.unmodifiableMap(new TreeMap<>(settings));
        }
    }

    public record History(Header header, List<TxnOp> ops) {
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

    /** True when the file's first non-blank line declares this schema (an unreadable file is not recognised). */
    public static boolean recognises(Path file) {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (!line.isBlank()) {
                    JsonNode n = Json.COMPACT.readTree(line);
                    return n != null && n.isObject() && SCHEMA.equals(n.path("schema").asText());
                }
            }
            return false;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    public static void write(Path file, Header header, List<TxnOp> ops) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = Json.COMPACT.getFactory().createGenerator(out)) {
            g.setRootValueSeparator(null);
            writeHeader(g, header);
            for (TxnOp op : ops) {
                g.writeRaw('\n');
                writeOp(g, op);
            }
            g.writeRaw('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Json.writeStringAtomically(file, out.toString());
    }

    private static void writeHeader(JsonGenerator g, Header h) throws IOException {
        g.writeStartObject();
        g.writeStringField("schema", SCHEMA);
        g.writeStringField("workload", h.workload());
        g.writeNumberField("seed", h.seed());
        g.writeStringField("options", h.options());
        g.writeObjectFieldStart("settings");
        for (Map.Entry<String, String> e : h.settings().entrySet()) {
            g.writeStringField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
        TxnPromise p = h.promise();
        g.writeObjectFieldStart("promise");
        g.writeBooleanField("readCommitted", p.readCommitted());
        g.writeBooleanField("durable", p.durable());
        g.writeStringField("whyNotDurable", p.whyNotDurable());
        g.writeBooleanField("finalReadsDone", p.finalReadsDone());
        g.writeObjectFieldStart("endOffsets");
        for (Map.Entry<Integer, TxnPromise.End> e : p.endOffsets().entrySet()) {
            g.writeArrayFieldStart(String.valueOf(e.getKey()));
            g.writeNumber(e.getValue().lastStableOffset());
            g.writeNumber(e.getValue().highWatermark());
            g.writeEndArray();
        }
        g.writeEndObject();
        g.writeStringField("whyLsoMayLag", p.whyLsoMayLag());
        g.writeBooleanField("eos", p.eos());
        g.writeObjectFieldStart("retentionHorizon");
        for (Map.Entry<Integer, Long> e : p.retentionHorizon().entrySet()) {
            g.writeNumberField(String.valueOf(e.getKey()), e.getValue());
        }
        g.writeEndObject();
        g.writeEndObject();
        g.writeEndObject();
    }

    private static void writeOp(JsonGenerator g, TxnOp op) throws IOException {
        g.writeStartObject();
        g.writeNumberField("index", op.index());
        g.writeNumberField("process", op.process());
        g.writeStringField("type", op.type().name().toLowerCase(Locale.ROOT));
        g.writeNumberField("invokeNs", op.invokeNanos());
        g.writeNumberField("completeNs", op.completeNanos());
        g.writeStringField("outcome", op.outcome().name().toLowerCase(Locale.ROOT));
        g.writeArrayFieldStart("writes");
        for (TxnOp.Write w : op.writes()) {
            g.writeArray(new long[] {w.key(), w.value(), w.offset(), w.sendNanos()}, 0, 4);
        }
        g.writeEndArray();
        g.writeArrayFieldStart("reads");
        for (TxnOp.Read r : op.reads()) {
            g.writeArray(new long[] {r.key(), r.offset(), r.value()}, 0, 3);
        }
        g.writeEndArray();
        g.writeArrayFieldStart("resets");
        for (TxnOp.Reset r : op.resets()) {
            g.writeStartArray();
            g.writeNumber(r.key());
            g.writeNumber(r.fromOffset());
            g.writeNumber(r.toOffset());
            g.writeString(r.reason());
            g.writeEndArray();
        }
        g.writeEndArray();
        g.writeNumberField("commitNs", op.commitNanos());
        g.writeStringField("error", op.error());
        g.writeEndObject();
    }

    /** Reads a history; a missing or unreadable file is an {@link UncheckedIOException}. */
    public static History read(Path file) {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            Header header = null;
            List<TxnOp> ops = new ArrayList<>();
            long lineNo = 0;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                Fields f = new Fields(file, lineNo, parse(file, lineNo, line));
                if (header == null) {
                    header = header(f);
                } else {
                    ops.add(op(f));
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

    private static JsonNode parse(Path file, long lineNo, String line) {
        try {
            JsonNode n = Json.COMPACT.readTree(line);
            if (n == null || !n.isObject()) {
                throw new FormatException(file, lineNo, "expected a JSON object");
            }
            return n;
        } catch (JsonProcessingException e) {
            throw new FormatException(file, lineNo, "not JSON: " + e.getOriginalMessage());
        }
    }

    private static Header header(Fields f) {
        JsonNode schema = f.node().get("schema");
        if (schema == null || !SCHEMA.equals(schema.asText())) {
            throw f.error("not a txn history header: expected \"schema\":\"" + SCHEMA + "\"");
        }
        f.only(HEADER_FIELDS);
        TreeMap<String, String> settings = new TreeMap<>();
        f.object("settings").fields().forEachRemaining(e -> settings.put(e.getKey(), e.getValue().asText()));
        Fields p = new Fields(f.file(), f.line(), f.object("promise"));
        p.only(PROMISE_FIELDS);
        TreeMap<Integer, TxnPromise.End> ends = new TreeMap<>();
        for (var it = p.object("endOffsets").fields(); it.hasNext(); ) {
            var e = it.next();
            JsonNode a = e.getValue();
            if (!a.isArray() || a.size() != 2 || !a.get(0).canConvertToLong() || !a.get(1).canConvertToLong()) {
                throw f.error("promise.endOffsets." + e.getKey() + " must be [lastStableOffset, highWatermark]");
            }
            try {
                ends.put(Integer.parseInt(e.getKey()), new TxnPromise.End(a.get(0).longValue(), a.get(1).longValue()));
            } catch (NumberFormatException ex) {
                throw f.error("promise.endOffsets: key \"" + e.getKey() + "\" is not an integer");
            }
        }
        TreeMap<Integer, Long> horizon = new TreeMap<>();
        if (p.node().has("retentionHorizon")) {
            for (var it = p.object("retentionHorizon").fields(); it.hasNext(); ) {
                var e = it.next();
                if (!e.getValue().canConvertToLong()) {
                    throw f.error("promise.retentionHorizon." + e.getKey() + " must be an integer");
                }
                try {
                    horizon.put(Integer.parseInt(e.getKey()), e.getValue().longValue());
                } catch (NumberFormatException ex) {
                    throw f.error("promise.retentionHorizon: key \"" + e.getKey() + "\" is not an integer");
                }
            }
        }
        try {
            TxnPromise promise = new TxnPromise(p.bool("readCommitted"), p.bool("durable"), p.text("whyNotDurable"), p.bool("finalReadsDone"),
                    ends, p.text("whyLsoMayLag"), p.bool("eos"), horizon);
            return new Header(f.text("workload"), f.longOf("seed"), f.text("options"), settings, promise);
        } catch (IllegalStateException e) {
            throw f.error("promise: " + e.getMessage());
        }
    }

    private static TxnOp op(Fields f) {
        f.only(OP_FIELDS);
        TxnOp.Type type = f.named("type", TxnOp.Type.class);
        TxnOp.Outcome outcome = f.named("outcome", TxnOp.Outcome.class);
        long invoke = f.longOf("invokeNs");
        long complete = f.longOf("completeNs");
        if (complete < invoke) {
            throw f.error("completeNs " + complete + " is before invokeNs " + invoke);
        }
        List<TxnOp.Write> writes = new ArrayList<>();
        for (JsonNode t : f.tuples("writes", 4)) {
            writes.add(new TxnOp.Write(t.get(0).intValue(), t.get(1).longValue(), t.get(2).longValue(), t.get(3).longValue()));
        }
        List<TxnOp.Read> reads = new ArrayList<>();
        for (JsonNode t : f.tuples("reads", 3)) {
            reads.add(new TxnOp.Read(t.get(0).intValue(), t.get(1).longValue(), t.get(2).longValue()));
        }
        List<TxnOp.Reset> resets = new ArrayList<>();
        JsonNode rs = f.node().get("resets");
        if (rs != null) {
            for (JsonNode t : rs) {
                if (!t.isArray() || t.size() != 4 || !t.get(3).isTextual()) {
                    throw f.error("resets: each entry must be [key, fromOffset, toOffset, \"reason\"], got " + t);
                }
                resets.add(new TxnOp.Reset(t.get(0).intValue(), t.get(1).longValue(), t.get(2).longValue(), t.get(3).textValue()));
            }
        }
        long commit = f.node().has("commitNs") ? f.longOf("commitNs") : -1;
        String error = f.node().has("error") ? f.text("error") : "";
        return new TxnOp((int) f.longOf("index"), (int) f.longOf("process"), type, invoke, complete, outcome, writes, reads, resets, commit, error);
    }

    /** One line's object, with the checks every field read makes. */
    private record Fields(Path file, long line, JsonNode node) {

        FormatException error(String what) {
            return new FormatException(file, line, what);
        }

        void only(List<String> allowed) {
            node.fieldNames().forEachRemaining(n -> {
                if (!allowed.contains(n)) {
                    throw error("unknown field \"" + n + "\" (expected " + String.join(", ", allowed) + ")");
                }
            });
        }

        JsonNode required(String name) {
            JsonNode v = node.get(name);
            if (v == null || v.isNull()) {
                throw error("missing field \"" + name + "\"");
            }
            return v;
        }

        JsonNode object(String name) {
            JsonNode v = required(name);
            if (!v.isObject()) {
                throw error(name + " must be an object");
            }
            return v;
        }

        String text(String name) {
            JsonNode v = required(name);
            if (!v.isTextual()) {
                throw error(name + " must be a string, got " + v);
            }
            return v.textValue();
        }

        boolean bool(String name) {
            JsonNode v = required(name);
            if (!v.isBoolean()) {
                throw error(name + " must be true or false, got " + v);
            }
            return v.booleanValue();
        }

        long longOf(String name) {
            JsonNode v = required(name);
            if (!v.isIntegralNumber() || !v.canConvertToLong()) {
                throw error(name + " must be an integer, got " + v);
            }
            return v.longValue();
        }

        <E extends Enum<E>> E named(String name, Class<E> type) {
            String s = text(name);
            try {
                return Enum.valueOf(type, s.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw error(name + " must be one of " + java.util.Arrays.toString(type.getEnumConstants()).toLowerCase(Locale.ROOT) + ", got \"" + s + "\"");
            }
        }

        List<JsonNode> tuples(String name, int size) {
            JsonNode a = node.get(name);
            List<JsonNode> out = new ArrayList<>();
            if (a == null) {
                return out;
            }
            if (!a.isArray()) {
                throw error(name + " must be an array");
            }
            for (JsonNode t : a) {
                boolean ok = t.isArray() && t.size() == size;
                for (int i = 0; ok && i < size; i++) {
                    ok = t.get(i).isIntegralNumber() && t.get(i).canConvertToLong();
                }
                if (!ok) {
                    throw error(name + ": each entry must be an array of " + size + " integers, got " + t);
                }
                out.add(t);
            }
            return out;
        }
    }
}
