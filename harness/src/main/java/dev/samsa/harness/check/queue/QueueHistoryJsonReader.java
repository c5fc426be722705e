package dev.samsa.harness.check.queue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.samsa.harness.check.queue.QueueHistoryJson.Fields;
import dev.samsa.harness.check.queue.QueueHistoryJson.Header;
import dev.samsa.harness.workload.queue.QueueOp;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/** Turns the lines of {@link QueueHistoryJson} into a header and operations, checking every field. */
final class QueueHistoryJsonReader {

    private static final List<String> HEADER_FIELDS = List.of("schema", "seed", "options", "settings", "promise");
    private static final List<String> PROMISE_FIELDS =
            List.of("durable", "whyNotDurable", "idempotent", "whyNotIdempotent", "finalReadsDone", "retentionHorizon");
    private static final List<String> OP_FIELDS = List.of(
            "index", "process", "type", "invokeNs", "completeNs", "outcome", "keys", "sends", "polls", "resets", "error");

    private QueueHistoryJsonReader() {}

    static Header header(Fields f) {
        JsonNode schema = f.node().get("schema");
        if (schema == null || !QueueHistoryJson.SCHEMA.equals(schema.asText())) {
            throw f.error("not a queue history header: expected \"schema\":\"" + QueueHistoryJson.SCHEMA + "\""
                    + (schema == null ? "" : ", got \"" + schema.asText() + "\""));
        }
        f.onlyFields(HEADER_FIELDS);
        long seed = longOf(f, f.required("seed"), "seed");
        String options = text(f, f.required("options"), "options");
        Map<String, String> settings = new TreeMap<>();
        JsonNode s = object(f, f.required("settings"), "settings");
        for (Iterator<Map.Entry<String, JsonNode>> it = s.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isValueNode()) {
                throw f.error("setting \"" + e.getKey() + "\" must be a single value");
            }
            settings.put(e.getKey(), e.getValue().asText());
        }
        return new Header(seed, options, settings, promise(f, object(f, f.required("promise"), "promise")));
    }

    private static QueuePromise promise(Fields header, JsonNode node) {
        Fields f = new Fields(header.file(), header.line(), node);
        f.onlyFields(PROMISE_FIELDS);
        Map<Integer, Long> horizon = new TreeMap<>();
        JsonNode h = object(f, f.required("retentionHorizon"), "promise.retentionHorizon");
        for (Iterator<Map.Entry<String, JsonNode>> it = h.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            int key;
            try {
                key = Integer.parseInt(e.getKey());
            } catch (NumberFormatException ex) {
                throw f.error("promise.retentionHorizon: key \"" + e.getKey() + "\" is not an integer");
            }
            horizon.put(key, longOf(f, e.getValue(), "promise.retentionHorizon." + key));
        }
        try {
            return new QueuePromise(bool(f, "durable"), text(f, f.required("whyNotDurable"), "whyNotDurable"),
                    bool(f, "idempotent"), text(f, f.required("whyNotIdempotent"), "whyNotIdempotent"),
                    bool(f, "finalReadsDone"), horizon);
        } catch (IllegalStateException e) {
            throw f.error("promise: " + e.getMessage());
        }
    }

    static QueueOp op(Fields f) {
        f.onlyFields(OP_FIELDS);
        QueueOp.Type type = named(f, "type", QueueOp.Type::valueOf, "send, poll or assign");
        QueueOp.Outcome outcome = named(f, "outcome", QueueOp.Outcome::valueOf, "ok, fail or info");
        long invoke = longOf(f, f.required("invokeNs"), "invokeNs");
        long complete = longOf(f, f.required("completeNs"), "completeNs");
        if (complete < invoke) {
            throw f.error("completeNs " + complete + " is before invokeNs " + invoke);
        }
        List<Integer> keys = new ArrayList<>();
        for (JsonNode k : array(f, "keys")) {
            keys.add(intOf(f, k, "keys"));
        }
        List<QueueOp.Send> sends = new ArrayList<>();
        for (JsonNode t : array(f, "sends")) {
            tuple(f, t, "sends", 3);
            sends.add(new QueueOp.Send(intOf(f, t.get(0), "sends key"), longOf(f, t.get(1), "sends value"), longOf(f, t.get(2), "sends offset")));
        }
        List<QueueOp.Poll> polls = new ArrayList<>();
        for (JsonNode t : array(f, "polls")) {
            tuple(f, t, "polls", 3);
            polls.add(new QueueOp.Poll(intOf(f, t.get(0), "polls key"), longOf(f, t.get(1), "polls offset"), longOf(f, t.get(2), "polls value")));
        }
        List<QueueOp.Reset> resets = new ArrayList<>();
        for (JsonNode t : array(f, "resets")) {
            tuple(f, t, "resets", 4);
            resets.add(new QueueOp.Reset(intOf(f, t.get(0), "resets key"), longOf(f, t.get(1), "resets fromOffset"),
                    longOf(f, t.get(2), "resets toOffset"), text(f, t.get(3), "resets reason")));
        }
        if (!sends.isEmpty() && type != QueueOp.Type.SEND) {
            throw f.error("a " + Describe.lower(type) + " carries sends");
        }
        if ((!polls.isEmpty() || !resets.isEmpty()) && type != QueueOp.Type.POLL) {
            throw f.error("a " + Describe.lower(type) + " carries polls or resets");
        }
        String error = f.node().has("error") ? text(f, f.node().get("error"), "error") : "";
        return new QueueOp(intOf(f, f.required("index"), "index"), intOf(f, f.required("process"), "process"), type, invoke, complete,
                outcome, keys, sends, polls, resets, error);
    }

    private static <E extends Enum<E>> E named(Fields f, String field, Function<String, E> valueOf, String expected) {
        String s = text(f, f.required(field), field);
        try {
            return valueOf.apply(s.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw f.error(field + " must be " + expected + ", got \"" + s + "\"");
        }
    }

    private static Iterable<JsonNode> array(Fields f, String field) {
        JsonNode a = f.node().get(field);
        if (a == null) {
            return List.of();
        }
        if (!a.isArray()) {
            throw f.error(field + " must be an array");
        }
        return a;
    }

    private static void tuple(Fields f, JsonNode t, String field, int size) {
        if (!t.isArray() || t.size() != size) {
            throw f.error(field + ": each entry must be an array of " + size + ", got " + t);
        }
    }

    private static JsonNode object(Fields f, JsonNode n, String field) {
        if (!n.isObject()) {
            throw f.error(field + " must be an object");
        }
        return n;
    }

    private static boolean bool(Fields f, String field) {
        JsonNode n = f.required(field);
        if (!n.isBoolean()) {
            throw f.error(field + " must be true or false, got " + n);
        }
        return n.booleanValue();
    }

    private static String text(Fields f, JsonNode n, String field) {
        if (n == null || !n.isTextual()) {
            throw f.error(field + " must be a string, got " + n);
        }
        return n.textValue();
    }

    private static long longOf(Fields f, JsonNode n, String field) {
        if (n == null || !n.isIntegralNumber() || !n.canConvertToLong()) {
            throw f.error(field + " must be an integer, got " + n);
        }
        return n.longValue();
    }

    private static int intOf(Fields f, JsonNode n, String field) {
        if (n == null || !n.isIntegralNumber() || !n.canConvertToInt()) {
            throw f.error(field + " must be a 32-bit integer, got " + n);
        }
        return n.intValue();
    }
}
