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

        // --- brokers: replication (Kafka's defaults) ---
        def("default.replication.factor", Scope.BROKER, ConfigType.INT, "3", NONE,
                "Replicas per partition of the workload's topics (the queue workload creates its topic with it).");
        def("num.partitions", Scope.BROKER, ConfigType.INT, "4", NONE,
                "samsa: partitions of the workload's topic (Kafka's broker default is 1).");
        def("min.insync.replicas", Scope.TOPIC, ConfigType.INT, "2", NONE,
                "samsa uses Kafka's recommended durable setting 2 (Kafka's default is 1): with acks=all a write is refused with NOT_ENOUGH_REPLICAS while the ISR is smaller.");
        def("unclean.leader.election.enable", Scope.TOPIC, ConfigType.BOOLEAN, "false", NONE,
                "Elect a replica outside the ISR when no in-sync replica is available (acknowledged writes may be lost).");
        def("replica.lag.time.max.ms", Scope.BROKER, ConfigType.LONG, "30000", List.of("10000", "30000"),
                "A follower that has not caught up with the leader's log end for this long is removed from the ISR.");
        choice("inter.broker.protocol.version", Scope.BROKER, "3.9", List.of("2.6", "3.9"), List.of("2.6", "3.9"),
                "samsa: how followers find a divergent log suffix. 3.9: on fetch (Fetch v12 carries lastFetchedEpoch, KAFKA-10554); 2.6: OffsetsForLeaderEpoch on every leader epoch change (KIP-101/279/320).");
        def("replica.fetch.wait.max.ms", Scope.BROKER, ConfigType.LONG, "500", NONE,
                "How long a follower's Fetch may wait at the leader for new data.");
        def("replica.fetch.backoff.ms", Scope.BROKER, ConfigType.LONG, "1000", NONE,
                "Backoff of a follower's fetcher after a fetch error.");
        def("replica.fetch.max.bytes", Scope.BROKER, ConfigType.INT, "1048576", NONE,
                "Most bytes a follower fetches per partition in one Fetch (at least one batch is returned).");
        def("replica.high.watermark.checkpoint.interval.ms", Scope.BROKER, ConfigType.LONG, "5000", NONE,
                "How often a broker writes each partition's high watermark to its checkpoint file.");
        def("replica.socket.timeout.ms", Scope.BROKER, ConfigType.LONG, "30000", NONE,
                "How long a follower waits for a Fetch response before it retries.");
        def("producer.id.expiration.ms", Scope.BROKER, ConfigType.LONG, "86400000", NONE,
                "A producer id's state on a partition is dropped after this long without a write (KIP-854).");

        // --- topic / log (Kafka's defaults unless stated) ---
        def("segment.bytes", Scope.TOPIC, ConfigType.INT, "1073741824", List.of("16384", "1073741824"),
                "A log segment rolls when it reaches this size; retention deletes whole segments.");
        def("segment.ms", Scope.TOPIC, ConfigType.LONG, "604800000", NONE,
                "A log segment rolls when its first record is older than this.");
        def("retention.ms", Scope.TOPIC, ConfigType.LONG, "604800000", List.of("20000", "604800000"),
                "Segments whose newest record is older than this are deleted (never at or past the high watermark).");
        def("retention.bytes", Scope.TOPIC, ConfigType.LONG, "-1", List.of("-1", "65536"),
                "Oldest segments are deleted while the log is larger than this; -1: no size limit.");
        def("log.retention.check.interval.ms", Scope.BROKER, ConfigType.LONG, "300000", List.of("1000", "300000"),
                "How often a broker looks for segments to delete and logs to compact.");
        choice("cleanup.policy", Scope.TOPIC, "delete", List.of("delete", "compact", "compact,delete"), NONE,
                "delete: retention by time and size; compact: keep the latest value per key.");
        def("delete.retention.ms", Scope.TOPIC, ConfigType.LONG, "86400000", NONE,
                "A tombstone is kept this long after the cleaner first passed it.");
        def("min.cleanable.dirty.ratio", Scope.TOPIC, ConfigType.DOUBLE, "0.5", NONE,
                "The cleaner compacts a log once this share of it is not yet cleaned.");
        def("flush.messages", Scope.TOPIC, ConfigType.LONG, "9223372036854775807", List.of("1", "9223372036854775807"),
                "fsync the log after this many messages (Kafka's default: never; it relies on replication).");
        def("flush.ms", Scope.TOPIC, ConfigType.LONG, "9223372036854775807", List.of("1000", "9223372036854775807"),
                "fsync the log when its oldest unflushed message is this old (Kafka's default: never).");
        def("log.flush.scheduler.interval.ms", Scope.BROKER, ConfigType.LONG, "1000", NONE,
                "samsa: how often a broker checks flush.ms (Kafka's default is Long.MAX; 1 s here so flush.ms works when set).");

        // --- producer (Kafka 3+ defaults) ---
        choice("acks", Scope.PRODUCER, "all", List.of("0", "1", "all", "-1"), NONE,
                "0: no response; 1: the leader appended; all: every in-sync replica has it (with min.insync.replicas).");
        def("enable.idempotence", Scope.PRODUCER, ConfigType.BOOLEAN, "true", NONE,
                "Producer id, epoch and per-partition sequence numbers let the broker drop duplicates of retried batches (KIP-98, default since 3.0).");
        def("retries", Scope.PRODUCER, ConfigType.INT, "2147483647", NONE,
                "How often a failed batch is retried (bounded in time by delivery.timeout.ms).");
        def("retry.backoff.ms", Scope.PRODUCER, ConfigType.LONG, "100", NONE,
                "Backoff before retrying a failed request.");
        def("delivery.timeout.ms", Scope.PRODUCER, ConfigType.LONG, "120000", List.of("10000", "120000"),
                "Upper bound on the time from send() to the callback, retries included.");
        def("request.timeout.ms", Scope.PRODUCER, ConfigType.LONG, "30000", List.of("5000", "30000"),
                "How long a client waits for a response before it fails or retries the request (also a transaction coordinator waiting for a WriteTxnMarkers answer, as Kafka's broker does).");
        def("max.in.flight.requests.per.connection", Scope.PRODUCER, ConfigType.INT, "5", List.of("1", "5"),
                "Unanswered produce requests per broker connection (at most 5 with idempotence).");
        def("linger.ms", Scope.PRODUCER, ConfigType.LONG, "5", List.of("0", "5", "50"),
                "How long a batch waits for more records before it is sent (5 ms since Kafka 4.0, 0 before).");
        def("batch.size", Scope.PRODUCER, ConfigType.INT, "16384", List.of("1024", "16384"),
                "A batch is sent once it holds this many bytes.");
        choice("compression.type", Scope.PRODUCER, "none", List.of("none", "gzip", "lz4", "zstd"), List.of("none", "lz4", "zstd"),
                "Batch compression codec.");
        def("metadata.max.age.ms", Scope.PRODUCER, ConfigType.LONG, "300000", NONE,
                "Clients refresh metadata at least this often (and at once after a leadership error).");

        // --- consumer ---
        choice("auto.offset.reset", Scope.CONSUMER, "latest", List.of("earliest", "latest", "none"), NONE,
                "Where a consumer without a valid position starts: the log start, the log end, or an error.");
        def("fetch.min.bytes", Scope.CONSUMER, ConfigType.INT, "1", List.of("1", "1024"),
                "The broker holds a Fetch until this many bytes are available or fetch.max.wait.ms passes.");
        def("fetch.max.wait.ms", Scope.CONSUMER, ConfigType.LONG, "500", List.of("100", "500"),
                "Longest a Fetch waits at the broker for fetch.min.bytes.");
        def("fetch.max.bytes", Scope.CONSUMER, ConfigType.INT, "52428800", NONE,
                "Most bytes one Fetch returns (at least one batch).");
        def("max.partition.fetch.bytes", Scope.CONSUMER, ConfigType.INT, "1048576", NONE,
                "Most bytes one Fetch returns per partition (at least one batch).");
        def("max.poll.records", Scope.CONSUMER, ConfigType.INT, "500", List.of("10", "500"),
                "Most records one poll() returns.");
        choice("isolation.level", Scope.CONSUMER, "read_uncommitted", List.of("read_uncommitted", "read_committed"), NONE,
                "read_committed: only records below the last stable offset, aborted transactions filtered.");

        // --- consumer groups (classic protocol) ---
        def("group.id", Scope.CONSUMER, ConfigType.STRING, "", NONE,
                "The consumer group a subscribing consumer joins (the workloads name their groups themselves).");
        def("group.instance.id", Scope.CONSUMER, ConfigType.STRING, "", NONE,
                "A static member's id (KIP-345): it keeps its assignment across restarts within session.timeout.ms; empty: dynamic member.");
        def("session.timeout.ms", Scope.CONSUMER, ConfigType.LONG, "45000", List.of("10000", "45000"),
                "A member without a heartbeat for this long is removed from its group, which rebalances.");
        def("heartbeat.interval.ms", Scope.CONSUMER, ConfigType.LONG, "3000", List.of("1000", "3000"),
                "How often a member heartbeats to its group coordinator.");
        def("max.poll.interval.ms", Scope.CONSUMER, ConfigType.LONG, "300000", List.of("10000", "300000"),
                "A member that does not call poll() for this long leaves its group; also the rebalance timeout (rebalance.timeout.ms).");
        choice("partition.assignment.strategy", Scope.CONSUMER, "range", List.of("range", "roundrobin", "cooperative-sticky"),
                List.of("range", "roundrobin", "cooperative-sticky"),
                "How the group leader assigns partitions: eager range or round-robin, or incremental cooperative-sticky (KIP-429).");
        def("enable.auto.commit", Scope.CONSUMER, ConfigType.BOOLEAN, "true", NONE,
                "Commit the positions poll() returned every auto.commit.interval.ms (and before a rebalance).");
        def("auto.commit.interval.ms", Scope.CONSUMER, ConfigType.LONG, "5000", List.of("1000", "5000"),
                "How often auto-commit commits.");
        def("group.initial.rebalance.delay.ms", Scope.BROKER, ConfigType.LONG, "3000", List.of("0", "3000"),
                "How long the coordinator waits for more members before the first rebalance of an empty group.");
        def("group.min.session.timeout.ms", Scope.BROKER, ConfigType.LONG, "6000", NONE,
                "Smallest session.timeout.ms a coordinator accepts (INVALID_SESSION_TIMEOUT below).");
        def("group.max.session.timeout.ms", Scope.BROKER, ConfigType.LONG, "1800000", NONE,
                "Largest session.timeout.ms a coordinator accepts (INVALID_SESSION_TIMEOUT above).");
        def("offsets.topic.num.partitions", Scope.BROKER, ConfigType.INT, "50", NONE,
                "Partitions of __consumer_offsets; a group's coordinator leads partition abs(hash(group.id)) % this.");
        def("offsets.topic.replication.factor", Scope.BROKER, ConfigType.INT, "3", NONE,
                "Replication factor of __consumer_offsets.");
        def("offsets.retention.minutes", Scope.BROKER, ConfigType.LONG, "10080", List.of("1", "10080"),
                "An empty group's committed offsets are deleted this long after it became empty (KIP-211).");
        def("offsets.retention.check.interval.ms", Scope.BROKER, ConfigType.LONG, "600000", List.of("5000", "600000"),
                "How often the coordinator looks for expired offsets.");
        def("offsets.commit.timeout.ms", Scope.BROKER, ConfigType.LONG, "5000", NONE,
                "How long an offset commit waits for __consumer_offsets to replicate it before REQUEST_TIMED_OUT.");

        // --- transactions ---
        def("transactional.id", Scope.PRODUCER, ConfigType.STRING, "", NONE,
                "A transactional producer's id (the workloads name theirs); empty: not transactional.");
        def("transaction.timeout.ms", Scope.PRODUCER, ConfigType.LONG, "60000", List.of("10000", "60000"),
                "The coordinator aborts a transaction open longer than this (bumping the producer epoch).");
        def("transaction.state.log.num.partitions", Scope.BROKER, ConfigType.INT, "50", NONE,
                "Partitions of __transaction_state; a transactional id's coordinator leads partition abs(hash(transactional.id)) % this.");
        def("transaction.state.log.replication.factor", Scope.BROKER, ConfigType.INT, "3", NONE,
                "Replication factor of __transaction_state.");
        def("transaction.abort.timed.out.transaction.cleanup.interval.ms", Scope.BROKER, ConfigType.LONG, "10000", NONE,
                "How often the transaction coordinator looks for timed-out transactions.");
        def("sim.txn.abort.percent", Scope.SIMULATION, ConfigType.INT, "20", NONE,
                "txn and eos workloads: the share of transactions the clients abort on purpose, in percent.");
        def("sim.txn.client.faults.ms", Scope.SIMULATION, ConfigType.LONG, "5000", NONE,
                "txn and eos workloads: mean time between client faults (a transactional client killed and restarted, or paused) during the fault phase; 0: none.");
        def("sim.txn.late.requests.ms", Scope.SIMULATION, ConfigType.LONG, "8000", NONE,
                "txn and eos workloads: mean time between late-request faults during the fault phase (a producer's produce path stalled past its"
                        + " delivery timeout, an EndTxn or a WriteTxnMarkers handled after its sender timed it out); 0: none.");
        def("sim.eos.processors", Scope.SIMULATION, ConfigType.INT, "2", NONE,
                "eos workload: consume-transform-produce processes in the application's group.");

        // --- the simulated world ---
        def("sim.controllers", Scope.SIMULATION, ConfigType.INT, "3", NONE,
                "Number of KRaft controller voters.");
        def("sim.brokers", Scope.SIMULATION, ConfigType.INT, "3", NONE,
                "Number of brokers.");
        def("sim.clients", Scope.SIMULATION, ConfigType.INT, "3", NONE,
                "Number of workload clients.");
        def("sim.producers", Scope.SIMULATION, ConfigType.INT, "3", NONE,
                "queue workload: number of producer clients.");
        def("sim.producer.pipeline", Scope.SIMULATION, ConfigType.INT, "1", List.of("1", "4"),
                "queue workload: send operations a producer keeps in flight at once (1: one at a time, as Jepsen's processes).");
        def("sim.consumers", Scope.SIMULATION, ConfigType.INT, "2", NONE,
                "queue workload: number of consumer clients.");
        def("sim.groups", Scope.SIMULATION, ConfigType.INT, "1", List.of("1", "2"),
                "groups workload: consumer groups reading the topic, each on its own.");
        def("sim.group.members", Scope.SIMULATION, ConfigType.INT, "3", NONE,
                "groups workload: consumer processes per group.");
        choice("sim.groups.processing", Scope.SIMULATION, "commit-after", List.of("auto-commit", "commit-after", "dead-letter"),
                List.of("auto-commit", "commit-after", "dead-letter"),
                "groups workload: auto-commit (enable.auto.commit=true), commit-after (commitSync after processing and on revocation: at least once), dead-letter (commit-after, and poison records go to <topic>.DLT with an error header).");
        def("sim.group.static", Scope.SIMULATION, ConfigType.BOOLEAN, "false", List.of("false", "true"),
                "groups workload: members carry a group.instance.id (KIP-345 static membership) that survives their restarts.");
        def("sim.group.client.faults.ms", Scope.SIMULATION, ConfigType.LONG, "8000", List.of("0", "8000"),
                "groups workload: mean interval between client faults in the fault phase (a member crashes and restarts, leaves and rejoins, or stops polling past max.poll.interval.ms); 0: none.");
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
