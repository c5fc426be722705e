package dev.samsa.spec.config;

import java.util.List;
import java.util.Objects;

/**
 * One known setting: its Kafka key, type, default and meaning. {@code swarmValues} are the
 * values a swarm run may draw for it when the user did not fix it with {@code --set}; empty
 * means the default is always used (settings that change what Kafka promises are never drawn
 * behind the user's back).
 */
public record ConfigKey(
        String name,
        Scope scope,
        ConfigType type,
        String defaultValue,
        List<String> choices,
        List<String> swarmValues,
        String description) {

    public ConfigKey {
        Objects.requireNonNull(name);
        choices = List.copyOf(choices);
        swarmValues = List.copyOf(swarmValues);
        String problem = validate(type, choices, defaultValue);
        if (problem != null) {
            throw new IllegalArgumentException("default of " + name + ": " + problem);
        }
        for (String v : swarmValues) {
            String p = validate(type, choices, v);
            if (p != null) {
                throw new IllegalArgumentException("swarm value of " + name + ": " + p);
            }
        }
    }

    /** Null when {@code value} is acceptable, else a sentence saying why not. */
    public String check(String value) {
        return validate(type, choices, value);
    }

    private static String validate(ConfigType type, List<String> choices, String value) {
        try {
            switch (type) {
                case INT -> Integer.parseInt(value);
                case LONG -> Long.parseLong(value);
                case DOUBLE -> Double.parseDouble(value);
                case BOOLEAN -> {
                    if (!value.equals("true") && !value.equals("false")) {
                        return "expected true or false, got '" + value + "'";
                    }
                }
                case CHOICE -> {
                    if (!choices.contains(value)) {
                        return "expected one of " + String.join(", ", choices) + ", got '" + value + "'";
                    }
                }
                case STRING -> {}
            }
            return null;
        } catch (NumberFormatException e) {
            return "expected " + type.name().toLowerCase() + " number, got '" + value + "'";
        }
    }
}
