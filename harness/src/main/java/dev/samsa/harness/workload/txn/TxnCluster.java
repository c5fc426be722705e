package dev.samsa.harness.workload.txn;

import dev.samsa.harness.fault.FaultBudget;
import dev.samsa.harness.fault.TargetOracle;
import dev.samsa.harness.sim.Role;
import dev.samsa.harness.sim.Simulation;
import dev.samsa.harness.workload.ControllerImages;
import dev.samsa.harness.sim.Simulation.NodeState;
import dev.samsa.harness.workload.BrokerTaint;
import dev.samsa.harness.workload.kraft.KraftChecks;
import dev.samsa.harness.workload.queue.TopicAdmin;
import dev.samsa.impl.broker.BrokerNode;
import dev.samsa.impl.controller.ControllerNode;
import dev.samsa.impl.metadata.ClusterImage;
import dev.samsa.impl.metadata.PartitionRegistration;
import dev.samsa.impl.protocol.TopicPartition;
import dev.samsa.impl.replication.Partition;
import dev.samsa.spec.config.Settings;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The servers of the txn and eos workloads: a KRaft quorum, the brokers, an admin per topic, and
 * what the workloads ask of them — the freshest committed metadata image, partition leaders'
 * last stable offsets and high watermarks, targets for targeted faults (the leaders of the
 * {@code __transaction_state} and {@code __consumer_offsets} partitions the clients' coordinators
 * live on, so coordinators move), and the durability budget ({@link BrokerTaint}, shared with the
 * queue and groups workloads).
 */
public final class TxnCluster {

    public static final int FIRST_CONTROLLER_ID = 3000;
    public static final int FIRST_ADMIN_ID = 9_990;

    final Simulation sim;
    final List<Integer> voters = new ArrayList<>();
    private final ControllerImages images;
    final List<Integer> brokers = new ArrayList<>();
    final KraftChecks quorum;
    private final BrokerTaint taint;
    private int targetRotation;
    /** Per partition of the workload's topics, the highest log start offset any replica reached. */
    private final java.util.TreeMap<TopicPartition, Long> retentionHorizon = new java.util.TreeMap<>();
    private final java.util.TreeSet<String> topics = new java.util.TreeSet<>();
    /** Internal-topic partitions whose leaders are the clients' coordinators. */
    private final List<TopicPartition> coordinatorPartitions = new ArrayList<>();

    public TxnCluster(Simulation sim, List<String> topics) {
        this.sim = sim;
        Settings s = sim.settings();
        int nControllers = s.getInt("sim.controllers");
        int nBrokers = s.getInt("sim.brokers");
        int partitions = s.getInt("num.partitions");
        int rf = s.getInt("default.replication.factor");
        if (nControllers < 1 || nBrokers < 1 || partitions < 1 || partitions > 64) {
            throw new IllegalArgumentException("needs sim.controllers, sim.brokers >= 1 and 1 <= num.partitions <= 64");
        }
        if (rf < 1 || rf > nBrokers) {
            throw new IllegalArgumentException("default.replication.factor=" + rf + " needs at least that many brokers (sim.brokers=" + nBrokers + ")");
        }
        for (int i = 0; i < nControllers; i++) {
            voters.add(FIRST_CONTROLLER_ID + i);
        }
        this.images = new ControllerImages(sim, voters);
        for (int i = 0; i < nBrokers; i++) {
            brokers.add(i);
        }
        this.quorum = new KraftChecks(sim, voters, brokers);
        this.taint = new BrokerTaint(sim, brokers, this::freshImage);
        for (int id : voters) {
            sim.addNode(id, "ctrl-" + id, Role.CONTROLLER, ctx -> new ControllerNode(ctx, voters));
        }
        for (int id : brokers) {
            sim.addNode(id, "broker-" + id, Role.BROKER, ctx -> new BrokerNode(ctx, voters));
        }
        this.topics.addAll(topics);
        for (int i = 0; i < topics.size(); i++) {
            String topic = topics.get(i);
            sim.addNode(FIRST_ADMIN_ID + i, "admin-" + topic, Role.CLIENT, ctx -> new TopicAdmin(ctx, voters, topic, partitions, rf));
        }
    }

    public List<Integer> brokers() {
        return brokers;
    }

    /** Kafka's coordinator partition for a key: abs(hashCode) % partitions of the internal topic. */
    public void watchCoordinator(String internalTopic, String partitionCountKey, String key) {
        int n = Math.max(1, sim.settings().getInt(partitionCountKey));
        int p = (key.hashCode() & 0x7fffffff) % n;
        TopicPartition tp = new TopicPartition(internalTopic, p);
        if (!coordinatorPartitions.contains(tp)) {
            coordinatorPartitions.add(tp);
        }
    }

    public void afterEvent() {
        quorum.afterEvent();
        taint.update();
        trackLogStarts();
    }

    /** Retention may delete records before anyone read them: remember how far each partition's log start went. */
    private void trackLogStarts() {
        for (int b : brokers) {
            if (sim.state(b) == NodeState.DOWN) {
                continue;
            }
            for (Partition p : ((BrokerNode) sim.node(b).orElseThrow()).replicaManager().partitions().values()) {
                long start = p.log().logStartOffset();
                if (start > 0 && topics.contains(p.topicPartition().topic())) {
                    retentionHorizon.merge(p.topicPartition(), start, Math::max);
                }
            }
        }
    }

    java.util.TreeMap<TopicPartition, Long> retentionHorizon() {
        return retentionHorizon;
    }

    /** The most advanced committed image among live controllers. */
    Optional<ClusterImage> activeImage() {
        return images.active();
    }

    private Optional<ClusterImage> freshImage() {
        return images.fresh();
    }

    /** The partition object on its leader (per the active image), if that broker is up and leads it. */
    Optional<Partition> leaderPartition(TopicPartition tp) {
        Optional<PartitionRegistration> reg = activeImage().flatMap(img -> img.partition(tp));
        if (reg.isEmpty() || !reg.get().hasLeader() || sim.state(reg.get().leader()) == NodeState.DOWN) {
            return Optional.empty();
        }
        Partition p = ((BrokerNode) sim.node(reg.get().leader()).orElseThrow()).replicaManager().partitions().get(tp);
        return p != null && p.role() == Partition.Role.LEADER ? Optional.of(p) : Optional.empty();
    }

    TargetOracle targetOracle(List<TopicPartition> dataPartitions) {
        return () -> {
            Optional<ClusterImage> img = activeImage();
            int turn = targetRotation++;
            if (img.isEmpty() || turn % 4 == 0) {
                return quorum.currentLeader().map(OptionalInt::of).orElse(OptionalInt.empty());
            }
            List<TopicPartition> pool = turn % 4 == 1 || coordinatorPartitions.isEmpty() ? dataPartitions : coordinatorPartitions;
            if (pool.isEmpty()) {
                return OptionalInt.empty();
            }
            Optional<PartitionRegistration> p = img.get().partition(pool.get((turn / 4) % pool.size()));
            return p.isPresent() && p.get().hasLeader() ? OptionalInt.of(p.get().leader()) : OptionalInt.empty();
        };
    }

    /** The brokers leading the internal-topic partitions the clients' coordinators live on, per the active image. */
    List<Integer> coordinatorLeaders() {
        List<Integer> out = new ArrayList<>();
        Optional<ClusterImage> img = activeImage();
        for (TopicPartition tp : coordinatorPartitions) {
            Optional<PartitionRegistration> p = img.flatMap(i -> i.partition(tp));
            if (p.isPresent() && p.get().hasLeader() && !out.contains(p.get().leader())) {
                out.add(p.get().leader());
            }
        }
        return out;
    }

    FaultBudget faultBudget() {
        return taint.faultBudget();
    }

    boolean outsidePromise() {
        return quorum.anyControllerWiped() || taint.budgetExceeded();
    }

    /** Why acknowledged writes may be lost in this run, empty when Kafka promises they are not. */
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
}
