package dev.samsa.harness.check;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.samsa.harness.run.Json;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * One line's JSON object of a saved history, with the checks every field read makes: each getter
 * either returns a value of the expected type or throws a {@link FormatException} naming the
 * file, the line and the field. {@code label} arguments name a value that is not a top-level
 * field (an entry of a tuple, a nested object), as the message should show it.
 */
public record Fields(Path file, long line, JsonNode node) {

    /** Parses one line, which must be a JSON object. */
    public static Fields parse(Path file, long line, String text) {
        try {
            JsonNode n = Json.COMPACT.readTree(text);
            if (n == null || !n.isObject()) {
                throw new FormatException(file, line, "expected a JSON object");
            }
            return new Fields(file, line, n);
        } catch (JsonProcessingException e) {
            throw new FormatException(file, line, "not JSON: " + e.getOriginalMessage());
        }
    }

    /** A nested object of the same line, checked the same way. */
    public Fields nested(JsonNode object) {
        return new Fields(file, line, object);
    }

    public FormatException error(String what) {
        return new FormatException(file, line, what);
    }

    /** Rejects fields outside {@code allowed}: a misspelt field must not pass silently. */
    public void onlyFields(List<String> allowed) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!allowed.contains(name)) {
                throw error("unknown field \"" + name + "\" (expected " + String.join(", ", allowed) + ")");
            }
        }
    }

    public boolean has(String name) {
        return node.has(name);
    }

    public JsonNode required(String name) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            throw error("missing field \"" + name + "\"");
        }
        return v;
    }

    // ------------------------------------------------------------------ required fields by name

    public JsonNode object(String name) {
        return object(required(name), name);
    }

    public String text(String name) {
        return text(required(name), name);
    }

    public boolean bool(String name) {
        JsonNode v = required(name);
        if (!v.isBoolean()) {
            throw error(name + " must be true or false, got " + v);
        }
        return v.booleanValue();
    }

    public long longOf(String name) {
        return longOf(required(name), name);
    }

    public int intOf(String name) {
        return intOf(required(name), name);
    }

    /** An enum constant written in lower case; {@code expected} completes "NAME must be …" when it is none of them. */
    public <E extends Enum<E>> E named(String name, Class<E> type, String expected) {
        String s = text(name);
        try {
            return Enum.valueOf(type, s.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw error(name + " must be " + expected + ", got \"" + s + "\"");
        }
    }

    /** An optional array field: empty when left out. */
    public Iterable<JsonNode> array(String name) {
        JsonNode a = node.get(name);
        if (a == null) {
            return List.of();
        }
        if (!a.isArray()) {
            throw error(name + " must be an array");
        }
        return a;
    }

    /** An optional array of integer tuples of {@code size}: empty when left out. */
    public List<JsonNode> integerTuples(String name, int size) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode t : array(name)) {
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

    // ------------------------------------------------------------------ values, named by label

    public JsonNode object(JsonNode n, String label) {
        if (!n.isObject()) {
            throw error(label + " must be an object");
        }
        return n;
    }

    public String text(JsonNode n, String label) {
        if (n == null || !n.isTextual()) {
            throw error(label + " must be a string, got " + n);
        }
        return n.textValue();
    }

    public long longOf(JsonNode n, String label) {
        if (n == null || !n.isIntegralNumber() || !n.canConvertToLong()) {
            throw error(label + " must be an integer, got " + n);
        }
        return n.longValue();
    }

    public int intOf(JsonNode n, String label) {
        if (n == null || !n.isIntegralNumber() || !n.canConvertToInt()) {
            throw error(label + " must be a 32-bit integer, got " + n);
        }
        return n.intValue();
    }

    /** {@code t} must be an array of {@code size} entries (each then read with its own check). */
    public void tuple(JsonNode t, String label, int size) {
        if (!t.isArray() || t.size() != size) {
            throw error(label + ": each entry must be an array of " + size + ", got " + t);
        }
    }
}
