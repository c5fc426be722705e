package dev.samsa.lin.models;

import dev.samsa.lin.Event;
import dev.samsa.lin.Model;
import dev.samsa.lin.Operation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A key-value store with get, put and append; every key starts as the empty string. Keys are
 * independent, so histories are checked key by key.
 */
public final class KvModel implements Model<String, KvModel.Input, KvModel.Output> {

    public enum Op {
        GET,
        PUT,
        APPEND
    }

    public record Input(Op op, String key, String value) {}

    /** What a get read; {@code unknown}: the operation never returned. */
    public record Output(String value, boolean unknown) {
        public static Output of(String value) {
            return new Output(value, false);
        }
    }

    @Override
    public String init() {
        return "";
    }

    @Override
    public StepResult<String> step(String state, Input in, Output out) {
        return switch (in.op()) {
            case GET -> out.unknown() || out.value().equals(state) ? StepResult.ok(state) : StepResult.illegal();
            case PUT -> StepResult.ok(in.value());
            case APPEND -> StepResult.ok(state + in.value());
        };
    }

    @Override
    public List<List<Operation<Input, Output>>> partition(List<Operation<Input, Output>> history) {
        LinkedHashMap<String, List<Operation<Input, Output>>> byKey = new LinkedHashMap<>();
        for (Operation<Input, Output> o : history) {
            byKey.computeIfAbsent(o.input().key(), k -> new ArrayList<>()).add(o);
        }
        return new ArrayList<>(byKey.values());
    }

    @Override
    public List<List<Event<?>>> partitionEvents(List<Event<?>> history) {
        LinkedHashMap<String, List<Event<?>>> byKey = new LinkedHashMap<>();
        Map<Integer, String> keyOfId = new HashMap<>();
        for (Event<?> e : history) {
            String key;
            if (e.kind() == Event.Kind.CALL) {
                key = ((Input) e.value()).key();
                keyOfId.put(e.id(), key);
            } else {
                key = keyOfId.get(e.id());
            }
            byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(e);
        }
        return new ArrayList<>(byKey.values());
    }

    @Override
    public String describeOperation(Input in, Output out) {
        return switch (in.op()) {
            case GET -> "get('" + in.key() + "') -> " + (out.unknown() ? "?" : "'" + out.value() + "'");
            case PUT -> "put('" + in.key() + "', '" + in.value() + "')";
            case APPEND -> "append('" + in.key() + "', '" + in.value() + "')";
        };
    }

    @Override
    public String describeState(String state) {
        return "'" + state + "'";
    }
}
