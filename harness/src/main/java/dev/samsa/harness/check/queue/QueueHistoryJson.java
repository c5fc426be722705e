package dev.samsa.harness.check.queue;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.samsa.harness.check.FormatException;
import dev.samsa.harness.check.HistoryLines;
import dev.samsa.harness.workload.queue.QueueOp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A queue history on disk: JSON Lines, schema {@code samsa.queue-history/1}.
 *
 * <p>The first line is a header:
 * <pre>{@code
 * {"schema":"samsa.queue-history/1","seed":42,"options":"--workload queue ...",
 *  "settings":{"acks":"all",...},
 *  "promise":{"durable":true,"whyNotDurable":"","idempotent":true,"whyNotIdempotent":"",
 *             "finalReadsDone":true,"retentionHorizon":{"3":120}}}
 * }</pre>
 * {@code settings} maps Kafka setting keys to their values as text; {@code promise} is the
 * {@link QueuePromise} the history is checked against ({@code retentionHorizon} maps a key, as
 * text, to the highest log start offset any replica of its partition reached).
 *
 * <p>Then one line per operation, in history order:
 * <pre>{@code
 * {"index":7,"process":2,"type":"send","invokeNs":1000,"completeNs":5000,"outcome":"ok",
 *  "keys":[],"sends":[[key,value,offset],...],"polls":[],"resets":[],"error":""}
 * {"index":8,"process":5,"type":"poll",...,"polls":[[key,offset,value],...],
 *  "resets":[[key,fromOffset,toOffset,"reason"],...]}
 * }</pre>
 * <ul>
 *   <li>{@code type}: {@code send}, {@code poll} or {@code assign}; {@code outcome}: {@code ok},
 *       {@code fail} (definitely not applied) or {@code info} (unknown).
 *   <li>{@code invokeNs}, {@code completeNs}: simulated nanoseconds; completion is not before
 *       invocation.
 *   <li>{@code keys}: an assign's new assignment. {@code sends}: a send's records, offset -1
 *       when unknown. {@code polls}: the records a poll returned, in order. {@code resets}: the
 *       position changes the consumer made on its own during a poll. Only a send carries sends,
 *       only a poll carries polls and resets.
 *   <li>{@code error}: Kafka's error name behind a fail or info, empty for ok.
 *   <li>The four lists and {@code error} may be left out when empty; any other field is
 *       required, and a field not listed here is an error. Blank lines are ignored.
 * </ul>
 * Reading rejects bad input with a {@link FormatException} naming the file, the line and what is
 * wrong. Writing is atomic: a reader never sees half a file.
 */
public final class QueueHistoryJson {

    public static final String SCHEMA = "samsa.queue-history/1";

    private QueueHistoryJson() {}

    /** The header line: which run the history comes from, and what it promises. */
    public record Header(long seed, String options, Map<String, String> settings, QueuePromise promise) {
        public Header {
            settings = java.util.Collections.unmodifiableMap(new TreeMap<>(settings));
        }
    }

    public record History(Header header, List<QueueOp> ops) {
        public History {
            ops = List.copyOf(ops);
        }
    }

    public static void write(Path file, Header header, List<QueueOp> ops) {
        HistoryLines.write(file, header, QueueHistoryJson::writeHeader, ops, QueueHistoryJson::writeOp);
    }

    private static void writeHeader(JsonGenerator g, Header h) throws IOException {
        g.writeStartObject();
        g.writeStringField("schema", SCHEMA);
        g.writeNumberField("seed", h.seed());
        g.writeStringField("options", h.options());
        HistoryLines.writeSettings(g, h.settings());
        QueuePromise p = h.promise();
        g.writeObjectFieldStart("promise");
        g.writeBooleanField("durable", p.durable());
        g.writeStringField("whyNotDurable", p.whyNotDurable());
        g.writeBooleanField("idempotent", p.idempotent());
        g.writeStringField("whyNotIdempotent", p.whyNotIdempotent());
        g.writeBooleanField("finalReadsDone", p.finalReadsDone());
        g.writeObjectFieldStart("retentionHorizon");
        for (Map.Entry<Integer, Long> e : p.retentionHorizon().entrySet()) {
            g.writeNumberField(String.valueOf(e.getKey()), e.getValue());
        }
        g.writeEndObject();
        g.writeEndObject();
        g.writeEndObject();
    }

    private static void writeOp(JsonGenerator g, QueueOp op) throws IOException {
        g.writeStartObject();
        g.writeNumberField("index", op.index());
        g.writeNumberField("process", op.process());
        g.writeStringField("type", Describe.lower(op.type()));
        g.writeNumberField("invokeNs", op.invokeNanos());
        g.writeNumberField("completeNs", op.completeNanos());
        g.writeStringField("outcome", Describe.lower(op.outcome()));
        g.writeArrayFieldStart("keys");
        for (int k : op.keys()) {
            g.writeNumber(k);
        }
        g.writeEndArray();
        g.writeArrayFieldStart("sends");
        for (QueueOp.Send s : op.sends()) {
            g.writeArray(new long[] {s.key(), s.value(), s.offset()}, 0, 3);
        }
        g.writeEndArray();
        g.writeArrayFieldStart("polls");
        for (QueueOp.Poll p : op.polls()) {
            g.writeArray(new long[] {p.key(), p.offset(), p.value()}, 0, 3);
        }
        g.writeEndArray();
        g.writeArrayFieldStart("resets");
        for (QueueOp.Reset r : op.resets()) {
            g.writeStartArray();
            g.writeNumber(r.key());
            g.writeNumber(r.fromOffset());
            g.writeNumber(r.toOffset());
            g.writeString(r.reason());
            g.writeEndArray();
        }
        g.writeEndArray();
        g.writeStringField("error", op.error());
        g.writeEndObject();
    }

    /** Reads a history; a missing or unreadable file is an {@link UncheckedIOException}. */
    public static History read(Path file) {
        List<QueueOp> ops = new ArrayList<>();
        Header header = HistoryLines.readFields(file, SCHEMA, QueueHistoryJsonReader::header, f -> ops.add(QueueHistoryJsonReader.op(f)));
        return new History(header, ops);
    }
}
