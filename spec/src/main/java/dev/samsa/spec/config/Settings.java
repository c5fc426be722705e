package dev.samsa.spec.config;

import java.util.Collections;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The Kafka settings of one run: every key of {@link KafkaConfigs} with its value (the default,
 * a swarm draw, or the user's {@code --set}). Immutable; iteration is in key order.
 */
public final class Settings {

    private final NavigableMap<String, String> values;

    private Settings(NavigableMap<String, String> values) {
        this.values = Collections.unmodifiableNavigableMap(values);
    }

    /** Kafka's defaults for every known key. */
    public static Settings defaults() {
        TreeMap<String, String> m = new TreeMap<>();
        for (ConfigKey k : KafkaConfigs.all()) {
            m.put(k.name(), k.defaultValue());
        }
        return new Settings(m);
    }

    /** A copy with {@code key} set to {@code value}; throws {@link IllegalArgumentException} with a clear message if either is wrong. */
    public Settings with(String key, String value) {
        ConfigKey k = KafkaConfigs.require(key);
        String problem = k.check(value);
        if (problem != null) {
            throw new IllegalArgumentException("bad value for " + key + ": " + problem);
        }
        TreeMap<String, String> m = new TreeMap<>(values);
        m.put(key, value);
        return new Settings(m);
    }

    public Settings withAll(Map<String, String> overrides) {
        Settings s = this;
        for (Map.Entry<String, String> e : new TreeMap<>(overrides).entrySet()) {
            s = s.with(e.getKey(), e.getValue());
        }
        return s;
    }

    public String get(String key) {
        String v = values.get(key);
        if (v == null) {
            throw new IllegalArgumentException(KafkaConfigs.unknownKeyMessage(key));
        }
        return v;
    }

    public int getInt(String key) {
        return Integer.parseInt(get(key));
    }

    public long getLong(String key) {
        return Long.parseLong(get(key));
    }

    public double getDouble(String key) {
        return Double.parseDouble(get(key));
    }

    public boolean getBoolean(String key) {
        return Boolean.parseBoolean(get(key));
    }

    /** A millisecond setting in simulated nanoseconds. */
    public long getMsAsNanos(String key) {
        return getLong(key) * 1_000_000L;
    }

    /** All values, in key order. */
    public NavigableMap<String, String> asMap() {
        return values;
    }

    /** Only the values that differ from Kafka's defaults, in key order. */
    public NavigableMap<String, String> nonDefaults() {
        TreeMap<String, String> m = new TreeMap<>();
        for (Map.Entry<String, String> e : values.entrySet()) {
            if (!e.getValue().equals(KafkaConfigs.require(e.getKey()).defaultValue())) {
                m.put(e.getKey(), e.getValue());
            }
        }
        return m;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Settings s && s.values.equals(values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return nonDefaults().toString();
    }
}
