package dev.samsa.harness.check.txn;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.samsa.harness.check.Fields;
import dev.samsa.harness.check.FormatException;
import dev.samsa.harness.check.HistoryLines;
import dev.samsa.harness.workload.txn.TxnOp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
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

    /** True when the file's first non-blank line declares this schema (an unreadable file is not recognised). */
    public static boolean recognises(Path file) {
        return HistoryLines.recognises(file, SCHEMA);
    }

    public static void write(Path file, Header header, List<TxnOp> ops) {
        HistoryLines.write(file, header, TxnHistoryJson::writeHeader, ops, TxnHistoryJson::writeOp);
    }

    private static void writeHeader(JsonGenerator g, Header h) throws IOException {
        g.writeStartObject();
        g.writeStringField("schema", SCHEMA);
        g.writeStringField("workload", h.workload());
        g.writeNumberField("seed", h.seed());
        g.writeStringField("options", h.options());
        HistoryLines.writeSettings(g, h.settings());
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
        List<TxnOp> ops = new ArrayList<>();
        Header header = HistoryLines.readFields(file, SCHEMA, TxnHistoryJson::header, f -> ops.add(op(f)));
        return new History(header, ops);
    }

    private static Header header(Fields f) {
        JsonNode schema = f.node().get("schema");
        if (schema == null || !SCHEMA.equals(schema.asText())) {
            throw f.error("not a txn history header: expected \"schema\":\"" + SCHEMA + "\"");
        }
        f.onlyFields(HEADER_FIELDS);
        TreeMap<String, String> settings = new TreeMap<>();
        f.object("settings").fields().forEachRemaining(e -> settings.put(e.getKey(), e.getValue().asText()));
        Fields p = f.nested(f.object("promise"));
        p.onlyFields(PROMISE_FIELDS);
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
        f.onlyFields(OP_FIELDS);
        TxnOp.Type type = f.named("type", TxnOp.Type.class, oneOf(TxnOp.Type.class));
        TxnOp.Outcome outcome = f.named("outcome", TxnOp.Outcome.class, oneOf(TxnOp.Outcome.class));
        long invoke = f.longOf("invokeNs");
        long complete = f.longOf("completeNs");
        if (complete < invoke) {
            throw f.error("completeNs " + complete + " is before invokeNs " + invoke);
        }
        List<TxnOp.Write> writes = new ArrayList<>();
        for (JsonNode t : f.integerTuples("writes", 4)) {
            writes.add(new TxnOp.Write(t.get(0).intValue(), t.get(1).longValue(), t.get(2).longValue(), t.get(3).longValue()));
        }
        List<TxnOp.Read> reads = new ArrayList<>();
        for (JsonNode t : f.integerTuples("reads", 3)) {
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

    /** "one of [a, b, c]": what a {@code type} or {@code outcome} must be. */
    private static <E extends Enum<E>> String oneOf(Class<E> type) {
        return "one of " + Arrays.toString(type.getEnumConstants()).toLowerCase(Locale.ROOT);
    }
}
