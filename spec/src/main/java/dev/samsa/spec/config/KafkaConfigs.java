package dev.samsa.spec.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The registry of every setting samsa knows: Kafka's own keys with Kafka's defaults, plus
 * samsa's simulation knobs under {@code sim.}. A key is listed here only once the code reads
 * it, so {@code --set} never accepts a setting that would silently do nothing.
 */
public final class KafkaConfigs {

    private static final TreeMap<String, ConfigKey> KEYS = new TreeMap<>();

    private static final List<String> NONE = List.of();

    static {
        // --- KRaft controller quorum (KIP-595), Kafka's defaults ---
        def("controller.quorum.fetch.timeout.ms", Scope.CONTROLLER, ConfigType.LONG, "2000", List.of("1000", "2000", "4000"),
                "Follower: no successful Fetch from the leader for this long makes it a candidate. Leader: no Fetch from a majority for this long makes it resign (check-quorum).");
        def("controller.quorum.election.timeout.ms", Scope.CONTROLLER, ConfigType.LONG, "1000", List.of("500", "1000", "2000"),
                "A candidate that has not won within this time (plus a random backoff) starts a new election.");
        def("controller.quorum.election.backoff.max.ms", Scope.CONTROLLER, ConfigType.LONG, "1000", List.of("200", "1000"),
                "Upper bound of the randomized backoff before a candidate retries an election.");
        def("controller.quorum.request.timeout.ms", Scope.CONTROLLER, ConfigType.LONG, "2000", NONE,
                "How long a quorum request (Vote, BeginQuorumEpoch, Fetch) waits for its response.");
        def("controller.quorum.retry.backoff.ms", Scope.CONTROLLER, ConfigType.LONG, "20", NONE,
                "Backoff before retrying a failed quorum request.");
        def("controller.quorum.fetch.max.records", Scope.CONTROLLER, ConfigType.INT, "100", NONE,
                "samsa: most records returned by one quorum Fetch (Kafka bounds Fetch by bytes).");
        def("broker.session.timeout.ms", Scope.CONTROLLER, ConfigType.LONG, "9000", List.of("3000", "9000"),
                "A broker that sends no heartbeat for this long is fenced by the active controller (KIP-631).");
        def("broker.heartbeat.interval.ms", Scope.BROKER, ConfigType.LONG, "2000", List.of("500", "2000"),
                "How often a broker sends BrokerHeartbeat to the active controller.");

        // --- the simulated world ---
        def("sim.controllers", Scope.SIMULATION, ConfigType.INT, "3", NONE,
                "Number of KRaft controller voters.");
        def("sim.brokers", Scope.SIMULATION, ConfigType.INT, "3", NONE,
                "Number of brokers.");
        def("sim.clients", Scope.SIMULATION, ConfigType.INT, "3", NONE,
                "Number of workload clients.");
        def("sim.warmup.ms", Scope.SIMULATION, ConfigType.LONG, "5000", NONE,
                "Warm-up phase: workload runs, no faults.");
        def("sim.faults.ms", Scope.SIMULATION, ConfigType.LONG, "40000", NONE,
                "Fault phase: workload runs while faults are injected.");
        def("sim.heal.ms", Scope.SIMULATION, ConfigType.LONG, "5000", NONE,
                "Heal phase: every fault is undone, the workload keeps running.");
        def("sim.quiesce.ms", Scope.SIMULATION, ConfigType.LONG, "10000", NONE,
                "Quiesce phase: the workload stops issuing operations; the cluster must converge within it.");
        def("sim.network.latency.min.us", Scope.SIMULATION, ConfigType.LONG, "100", NONE,
                "Smallest one-way network latency.");
        def("sim.network.latency.max.us", Scope.SIMULATION, ConfigType.LONG, "1000", List.of("1000", "5000"),
                "Largest ordinary one-way network latency (rare spikes go beyond it).");
        def("sim.disk.fsync.latency.us", Scope.SIMULATION, ConfigType.LONG, "500", List.of("100", "500", "2000"),
                "samsa: how long an fsync is modelled to take (counted in latencies).");
    }

    private KafkaConfigs() {}

    private static void def(String name, Scope scope, ConfigType type, String dflt, List<String> swarm, String description) {
        KEYS.put(name, new ConfigKey(name, scope, type, dflt, NONE, swarm, description));
    }

    @SuppressWarnings("unused")
    private static void choice(String name, Scope scope, String dflt, List<String> choices, List<String> swarm, String description) {
        KEYS.put(name, new ConfigKey(name, scope, ConfigType.CHOICE, dflt, choices, swarm, description));
    }

    /** Every known key, sorted by name. */
    public static List<ConfigKey> all() {
        return Collections.unmodifiableList(new ArrayList<>(KEYS.values()));
    }

    public static Optional<ConfigKey> find(String name) {
        return Optional.ofNullable(KEYS.get(name));
    }

    /** The key, or an {@link IllegalArgumentException} that names the closest known key. */
    public static ConfigKey require(String name) {
        ConfigKey k = KEYS.get(name);
        if (k == null) {
            throw new IllegalArgumentException(unknownKeyMessage(name));
        }
        return k;
    }

    public static String unknownKeyMessage(String name) {
        return "unknown setting '" + name + "'; did you mean '" + closest(name) + "'? (./samsa settings lists them all)";
    }

    /** The known key with the smallest edit distance to {@code name}. */
    public static String closest(String name) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : KEYS.keySet()) {
            int d = editDistance(name, k);
            if (d < bestDistance) {
                bestDistance = d;
                best = k;
            }
        }
        return best;
    }

    static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
