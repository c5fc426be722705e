package dev.samsa.harness.check.queue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.samsa.harness.check.Fields;
import dev.samsa.harness.check.queue.QueueHistoryJson.Header;
import dev.samsa.harness.workload.queue.QueueOp;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

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
        long seed = f.longOf("seed");
        String options = f.text("options");
        Map<String, String> settings = new TreeMap<>();
        JsonNode s = f.object("settings");
        for (Iterator<Map.Entry<String, JsonNode>> it = s.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isValueNode()) {
                throw f.error("setting \"" + e.getKey() + "\" must be a single value");
            }
            settings.put(e.getKey(), e.getValue().asText());
        }
        return new Header(seed, options, settings, promise(f, f.object("promise")));
    }

    private static QueuePromise promise(Fields header, JsonNode node) {
        Fields f = header.nested(node);
        f.onlyFields(PROMISE_FIELDS);
        Map<Integer, Long> horizon = new TreeMap<>();
        JsonNode h = f.object(f.required("retentionHorizon"), "promise.retentionHorizon");
        for (Iterator<Map.Entry<String, JsonNode>> it = h.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            int key;
            try {
                key = Integer.parseInt(e.getKey());
            } catch (NumberFormatException ex) {
                throw f.error("promise.retentionHorizon: key \"" + e.getKey() + "\" is not an integer");
            }
            horizon.put(key, f.longOf(e.getValue(), "promise.retentionHorizon." + key));
        }
        try {
            return new QueuePromise(f.bool("durable"), f.text("whyNotDurable"),
                    f.bool("idempotent"), f.text("whyNotIdempotent"),
                    f.bool("finalReadsDone"), horizon);
        } catch (IllegalStateException e) {
            throw f.error("promise: " + e.getMessage());
        }
    }

    static QueueOp op(Fields f) {
        f.onlyFields(OP_FIELDS);
        QueueOp.Type type = f.named("type", QueueOp.Type.class, "send, poll or assign");
        QueueOp.Outcome outcome = f.named("outcome", QueueOp.Outcome.class, "ok, fail or info");
        long invoke = f.longOf("invokeNs");
        long complete = f.longOf("completeNs");
        if (complete < invoke) {
            throw f.error("completeNs " + complete + " is before invokeNs " + invoke);
        }
        List<Integer> keys = new ArrayList<>();
        for (JsonNode k : f.array("keys")) {
            keys.add(f.intOf(k, "keys"));
        }
        List<QueueOp.Send> sends = new ArrayList<>();
        for (JsonNode t : f.array("sends")) {
            f.tuple(t, "sends", 3);
            sends.add(new QueueOp.Send(f.intOf(t.get(0), "sends key"), f.longOf(t.get(1), "sends value"), f.longOf(t.get(2), "sends offset")));
        }
        List<QueueOp.Poll> polls = new ArrayList<>();
        for (JsonNode t : f.array("polls")) {
            f.tuple(t, "polls", 3);
            polls.add(new QueueOp.Poll(f.intOf(t.get(0), "polls key"), f.longOf(t.get(1), "polls offset"), f.longOf(t.get(2), "polls value")));
        }
        List<QueueOp.Reset> resets = new ArrayList<>();
        for (JsonNode t : f.array("resets")) {
            f.tuple(t, "resets", 4);
            resets.add(new QueueOp.Reset(f.intOf(t.get(0), "resets key"), f.longOf(t.get(1), "resets fromOffset"),
                    f.longOf(t.get(2), "resets toOffset"), f.text(t.get(3), "resets reason")));
        }
        if (!sends.isEmpty() && type != QueueOp.Type.SEND) {
            throw f.error("a " + Describe.lower(type) + " carries sends");
        }
        if ((!polls.isEmpty() || !resets.isEmpty()) && type != QueueOp.Type.POLL) {
            throw f.error("a " + Describe.lower(type) + " carries polls or resets");
        }
        String error = f.node().has("error") ? f.text(f.node().get("error"), "error") : "";
        return new QueueOp(f.intOf("index"), f.intOf("process"), type, invoke, complete,
                outcome, keys, sends, polls, resets, error);
    }
}
