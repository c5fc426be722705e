package dev.samsa.harness.workload.queue;

import dev.samsa.harness.check.queue.QueueCheckResult;
import dev.samsa.harness.check.queue.QueueChecker;
import dev.samsa.harness.check.queue.QueueHistoryJson;
import dev.samsa.harness.check.queue.QueuePromise;
import dev.samsa.harness.fault.FaultBudget;
import dev.samsa.harness.fault.TargetOracle;
import dev.samsa.harness.run.Phase;
import dev.samsa.harness.sim.Role;
import dev.samsa.harness.sim.Simulation;
import dev.samsa.harness.sim.Violation;
import dev.samsa.harness.workload.BrokerTaint;
import dev.samsa.harness.workload.ControllerImages;
import dev.samsa.harness.workload.LeaderTimeline;
import dev.samsa.harness.workload.Workload;
import dev.samsa.harness.workload.WorkloadRun;
import dev.samsa.harness.workload.kraft.KraftChecks;
import dev.samsa.impl.broker.BrokerNode;
import dev.samsa.impl.client.DefaultPartitioner;
import dev.samsa.impl.controller.ControllerNode;
import dev.samsa.impl.metadata.ClusterImage;
import dev.samsa.impl.metadata.PartitionRegistration;
import dev.samsa.impl.replication.Partition;
import dev.samsa.reports.timeline.Timeline;
import dev.samsa.spec.config.Settings;
import dev.samsa.spec.invariant.Invariant;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;

/**
 * Replicated partitions end to end, in the spirit of Jepsen's Kafka workload: a KRaft quorum
 * ({@code sim.controllers}), {@code sim.brokers} brokers, one topic of {@code num.partitions}
 * partitions with {@code default.replication.factor} replicas, {@code sim.producers} producers
 * sending unique values to keys (key k is partition k) and {@code sim.consumers} consumers
 * reading every partition from the beginning. Checked after every event: the controller
 * quorum's invariants and the replicas' (log start ≤ HW ≤ LEO, HW monotonic, Log Matching below
 * the HW); at the end: every partition led and its ISR in agreement, and the history against
 * Jepsen's anomaly taxonomy, each anomaly judged against what the seed's settings promise.
 */
public final class QueueWorkload implements Workload {

    public static final String TOPIC = "queue";
    public static final int FIRST_CONTROLLER_ID = 3000;
    public static final int FIRST_CLIENT_ID = 10_000;
    public static final int ADMIN_ID = 9_999;

    @Override
    public String name() {
        return "queue";
    }

    @Override
    public String description() {
        return "Replicated partitions: producers send unique values to keys (one partition each), consumers read them all; Jepsen's Kafka anomaly checks";
    }

    @Override
    public List<String> declaredPaths() {
        return List.of("controller.topic-created", "controller.leader-elected", "controller.isr-shrink-fenced", "partition.became-leader",
                "partition.isr-shrink", "partition.isr-expand", "partition.truncated", "partition.truncated-diverging",
                "partition.not-enough-replicas", "log.duplicate-batch", "producer.batch-retried", "consumer.truncation-detected");
    }

    @Override
    public List<String> decidingSettings() {
        return List.of("acks", "min.insync.replicas", "unclean.leader.election.enable", "enable.idempotence", "inter.broker.protocol.version");
    }

    @Override
    public List<String> invariantPrefixes() {
        return List.of("queue.", "replica.", "kraft.single-leader", "kraft.epoch-monotonic", "kraft.hw-monotonic", "kraft.committed-consistent", "kraft.check-quorum");
    }

    @Override
    public WorkloadRun start(Simulation sim) {
        Settings s = sim.settings();
        int nControllers = s.getInt("sim.controllers");
        int nBrokers = s.getInt("sim.brokers");
        int nProducers = s.getInt("sim.producers");
        int nConsumers = s.getInt("sim.consumers");
        int partitions = s.getInt("num.partitions");
        int rf = s.getInt("default.replication.factor");
        if (nControllers < 1 || nBrokers < 1 || nProducers < 1 || nConsumers < 1 || partitions < 1 || partitions > 64) {
            throw new IllegalArgumentException("queue needs sim.controllers, sim.brokers, sim.producers, sim.consumers >= 1 and 1 <= num.partitions <= 64");
        }
        if (rf < 1 || rf > nBrokers) {
            throw new IllegalArgumentException("default.replication.factor=" + rf + " needs at least that many brokers (sim.brokers=" + nBrokers + ")");
        }
        List<Integer> voters = new ArrayList<>();
        for (int i = 0; i < nControllers; i++) {
            voters.add(FIRST_CONTROLLER_ID + i);
        }
        List<Integer> brokers = new ArrayList<>();
        for (int i = 0; i < nBrokers; i++) {
            brokers.add(i);
        }
        Run run = new Run(sim, voters, brokers, partitions);
        for (int id : voters) {
            sim.addNode(id, "ctrl-" + id, Role.CONTROLLER, ctx -> new ControllerNode(ctx, voters));
        }
        for (int id : brokers) {
            sim.addNode(id, "broker-" + id, Role.BROKER, ctx -> new BrokerNode(ctx, voters));
        }
        sim.addNode(ADMIN_ID, "admin", Role.CLIENT, ctx -> new TopicAdmin(ctx, voters, TOPIC, partitions, rf));
        String[] keys = recordKeys(partitions);
        for (int i = 0; i < nProducers; i++) {
            int process = i;
            sim.addNode(FIRST_CLIENT_ID + i, "producer-" + i, Role.CLIENT, ctx -> {
                QueueProducerClient c = new QueueProducerClient(ctx, process, brokers, TOPIC, keys, run.history, () -> run.issuing);
                run.producers.add(c);
                return c;
            });
        }
        for (int i = 0; i < nConsumers; i++) {
            int process = nProducers + i;
            sim.addNode(FIRST_CLIENT_ID + process, "consumer-" + i, Role.CLIENT,
                    ctx -> new QueueConsumerClient(ctx, process, brokers, TOPIC, partitions, run.history));
        }
        sim.addEventCheck(run::afterEvent);
        if (sim.tracing()) {
            sim.addEventCheck(run::traceStatus);
        }
        return run;
    }

    /** For each partition p, a record key that Kafka's default partitioner (murmur2) sends to p. */
    static String[] recordKeys(int partitions) {
        String[] keys = new String[partitions];
        int found = 0;
        for (int n = 0; found < partitions; n++) {
            String k = "key-" + n;
            int p = DefaultPartitioner.partitionForKey(k.getBytes(StandardCharsets.UTF_8), partitions);
            if (keys[p] == null) {
                keys[p] = k;
                found++;
            }
        }
        return keys;
    }

    private static final class Run implements WorkloadRun {
        final Simulation sim;
        final List<Integer> brokers;
        final List<Integer> voters;
        final int partitions;
        final QueueHistory history = new QueueHistory();
        final KraftChecks quorum;
        final ReplicaChecks replicas;
        final IsrExpansionTrigger isrExpansion;
        final ParkedFetchTrigger parkedFetch;
        final List<QueueProducerClient> producers = new ArrayList<>();
        final LeaderTimeline controllers = new LeaderTimeline();
        final PartitionTimeline partitionStates = new PartitionTimeline();
        boolean issuing = true;
        String lastSignature = "";
        QueueCheckResult result;
        QueuePromise promise;

        /** The durability budget: brokers that lost unsynced data and have not yet caught up again. */
        final BrokerTaint taint;
        /** The quorum's committed images, as the checks read them. */
        final ControllerImages images;
        int targetRotation;

        Run(Simulation sim, List<Integer> voters, List<Integer> brokers, int partitions) {
            this.sim = sim;
            this.brokers = brokers;
            this.voters = voters;
            this.images = new ControllerImages(sim, voters);
            this.partitions = partitions;
            this.quorum = new KraftChecks(sim, voters, brokers);
            this.replicas = new ReplicaChecks(sim, brokers, this::whyNotDurable);
            this.taint = new BrokerTaint(sim, brokers, this::freshImage);
            this.replicas.watchIsr(this::freshImage, taint::isTainted);
            this.isrExpansion = new IsrExpansionTrigger(sim, brokers, replicas::partitionOn);
            this.parkedFetch = new ParkedFetchTrigger(sim, brokers);
        }

        void afterEvent() {
            quorum.afterEvent();
            replicas.afterEvent();
            taint.update();
            recordTimeline();
            isrExpansion.afterEvent(quorum.currentLeader());
            parkedFetch.afterEvent();
        }

        @Override
        public void watchTriggers(java.util.function.Consumer<dev.samsa.harness.fault.FaultTrigger> nemesis) {
            isrExpansion.reportTo(nemesis);
            parkedFetch.reportTo(nemesis);
        }

        /** Leaders and ISRs for the timeline page: cheap unless the active controller or its image changed. */
        private void recordTimeline() {
            Optional<Integer> controller = quorum.currentLeader();
            controllers.observe(sim, controller);
            partitionStates.observe(sim.nowNanos(), controller,
                    controller.map(id -> ((ControllerNode) sim.node(id).orElseThrow()).image()));
        }

        void traceStatus() {
            String sig = quorum.roleSignature() + partitionSignature();
            if (!sig.equals(lastSignature)) {
                lastSignature = sig;
                sim.trace(quorum.status() + partitionStatus());
            }
        }

        private String partitionSignature() {
            StringBuilder b = new StringBuilder();
            activeImage().ifPresent(img -> img.partitions().values().forEach(p -> b.append(p.leader()).append(p.leaderEpoch()).append(p.isr())));
            return b.toString();
        }

        private String partitionStatus() {
            StringBuilder b = new StringBuilder();
            activeImage().ifPresent(img -> img.partitions().values().forEach(p -> b.append(" | ").append(p.tp()).append(" leader ").append(p.leader())
                    .append(" e").append(p.leaderEpoch()).append(" isr ").append(p.isr())));
            return b.toString();
        }

        /** The most advanced committed metadata image among the live controllers ({@link ControllerImages}). */
        Optional<ClusterImage> activeImage() {
            return images.active();
        }

        /** The most advanced image, unless every controller restarted and rebuilds an image of the past. */
        Optional<ClusterImage> freshImage() {
            return images.fresh();
        }

        String whyNotDurable() {
            Settings s = sim.settings();
            String acks = s.get("acks");
            if (!acks.equals("all") && !acks.equals("-1")) {
                return "acks=" + acks;
            }
            if (s.getBoolean("unclean.leader.election.enable")) {
                return "unclean.leader.election.enable=true";
            }
            return taint.whyNotDurable();
        }

        String whyNotIdempotent() {
            Settings s = sim.settings();
            if (!s.getBoolean("enable.idempotence")) {
                return "enable.idempotence=false";
            }
            String acks = s.get("acks");
            return acks.equals("all") || acks.equals("-1") ? "" : "acks=" + acks + " (idempotence needs acks=all)";
        }

        @Override
        public TargetOracle targetOracle() {
            return () -> {
                Optional<ClusterImage> img = activeImage();
                if (img.isEmpty() || img.get().partitions().isEmpty() || (targetRotation++ % 4) == 0) {
                    return quorum.currentLeader().map(OptionalInt::of).orElse(OptionalInt.empty());
                }
                List<PartitionRegistration> ps = new ArrayList<>(img.get().partitions().values());
                PartitionRegistration p = ps.get(targetRotation % ps.size());
                return p.hasLeader() ? OptionalInt.of(p.leader()) : OptionalInt.empty();
            };
        }

        @Override
        public FaultBudget faultBudget() {
            return taint.faultBudget();
        }

        @Override
        public boolean outsidePromise() {
            return quorum.anyControllerWiped() || taint.budgetExceeded();
        }

        @Override
        public void onPhase(Phase phase) {
            if (phase == Phase.QUIESCE) {
                issuing = false;
            }
        }

        @Override
        public void finish() {
            for (QueueProducerClient p : producers) {
                p.abandon();
            }
            Optional<ClusterImage> img = activeImage();
            if (quorum.currentLeader().isEmpty() || img.isEmpty()) {
                sim.violation(Violation.of(Invariant.KRAFT_CONVERGES, -1, "no active controller at the end of the quiesce phase"));
                return;
            }
            replicas.atEnd(img.get());
            TreeMap<Integer, Long> horizon = new TreeMap<>();
            replicas.retentionHorizon().forEach((tp, start) -> horizon.put(tp.partition(), start));
            promise = new QueuePromise(whyNotDurable().isEmpty(), whyNotDurable(), whyNotIdempotent().isEmpty(), whyNotIdempotent(),
                    finalReadsDone(img.get()), horizon);
            result = QueueChecker.check(history.ops(), promise);
            for (var a : result.anomalies()) {
                Invariant inv = Invariant.byId(a.invariantId()).orElseThrow();
                Violation v = Violation.of(inv, -1, a.evidence() + (a.expected() ? " [expected: " + a.whyExpected() + "]" : ""));
                sim.violation(a.expected() ? v.asExpected() : v);
            }
        }

        /** Did some consumer read every partition up to its leader's final high watermark? */
        private boolean finalReadsDone(ClusterImage img) {
            long[] maxRead = new long[partitions];
            java.util.Arrays.fill(maxRead, -1);
            for (QueueOp op : history.ops()) {
                for (QueueOp.Poll p : op.polls()) {
                    maxRead[p.key()] = Math.max(maxRead[p.key()], p.offset());
                }
            }
            for (PartitionRegistration reg : img.partitions().values()) {
                Optional<Partition> leader = reg.hasLeader() ? replicas.partitionOn(reg.leader(), reg.tp()) : Optional.empty();
                if (leader.isEmpty()) {
                    return false;
                }
                long hw = leader.get().log().highWatermark();
                if (hw > leader.get().log().logStartOffset() && maxRead[reg.tp().partition()] + 1 < hw) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public void writeArtifacts(java.nio.file.Path dir, long seed, String cliOptions) {
            QueuePromise p = promise == null ? new QueuePromise(whyNotDurable().isEmpty(), whyNotDurable(), whyNotIdempotent().isEmpty(),
                    whyNotIdempotent(), false, new TreeMap<>()) : promise;
            QueueHistoryJson.write(dir.resolve("history.jsonl"), new QueueHistoryJson.Header(seed, cliOptions, sim.settings().nonDefaults(), p), history.ops());
            partitionStates.write(dir.resolve("timeline.jsonl"), seed);
        }

        @Override
        public List<Timeline.Row> timelineClients() {
            return QueueTimelineRows.rows(sim, history.ops());
        }

        @Override
        public List<Timeline.Lane> timelineLanes(long endNanos) {
            List<Timeline.Lane> lanes = new ArrayList<>();
            lanes.add(controllers.lane(sim, endNanos));
            lanes.addAll(partitionStates.lanes(sim, TOPIC, endNanos));
            return lanes;
        }

        @Override
        public NavigableMap<String, Long> stats() {
            TreeMap<String, Long> m = new TreeMap<>();
            for (QueueOp op : history.ops()) {
                m.merge(op.type().name().toLowerCase() + "." + op.outcome().name().toLowerCase(), 1L, Long::sum);
                m.merge("records.sent", (long) op.sends().size(), Long::sum);
                m.merge("records.polled", (long) op.polls().size(), Long::sum);
            }
            if (result != null) {
                var c = result.counts();
                m.put("values.acked", c.valuesAcked());
                m.put("values.read", c.valuesRead());
                m.put("values.lost", c.lost());
                m.put("values.unseen", c.unseen());
                m.put("values.duplicated", c.duplicates());
            }
            return m;
        }
    }
}
