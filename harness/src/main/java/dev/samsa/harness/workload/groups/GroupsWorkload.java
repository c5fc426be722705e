package dev.samsa.harness.workload.groups;

import dev.samsa.harness.check.groups.GroupPromise;
import dev.samsa.harness.sim.Role;
import dev.samsa.harness.sim.Simulation;
import dev.samsa.harness.workload.Workload;
import dev.samsa.harness.workload.WorkloadRun;
import dev.samsa.harness.workload.queue.TopicAdmin;
import dev.samsa.impl.broker.BrokerNode;
import dev.samsa.impl.controller.ControllerNode;
import dev.samsa.spec.config.Settings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Consumer groups end to end: a KRaft quorum, {@code sim.brokers} brokers, a topic of
 * {@code num.partitions} partitions fed by one producer, and {@code sim.groups} consumer groups
 * of {@code sim.group.members} members each, which subscribe, poll, process and commit as
 * {@code sim.groups.processing} says (auto-commit, commit after processing, or commit after
 * processing with poison records sent to a dead-letter topic). Besides the nemesis's faults on
 * servers (a group coordinator fails over when its {@code __consumer_offsets} partition's leader
 * moves), members crash and restart, leave and rejoin, and stall. The history is checked
 * against the group invariants ({@code group.*}).
 */
public final class GroupsWorkload implements Workload {

    public static final String TOPIC = "events";
    public static final int FIRST_CONTROLLER_ID = 3000;
    public static final int ADMIN_ID = 9_999;
    public static final int DLT_ADMIN_ID = 9_998;
    public static final int PRODUCER_ID = 10_000;
    public static final int DLT_SERVICE_ID = 10_001;
    public static final int DLT_READER_ID = 10_002;
    public static final int FIRST_MEMBER_ID = 10_100;
    /** A replacement process of member id M (same group.instance.id) is node M + this. */
    public static final int FIRST_REPLACEMENT_OFFSET = 50;
    /** A value v is poison when (v / 100) % this == 0 (dead-letter processing only). */
    static final int POISON_EVERY = 7;

    @Override
    public String name() {
        return "groups";
    }

    @Override
    public String description() {
        return "Consumer groups: members subscribe, process and commit under broker and client faults; single owner, committed offsets, at least once, dead letters";
    }

    @Override
    public List<String> declaredPaths() {
        return List.of("group.load", "group.commit-fenced", "group.session-timeout-removed-member", "group.rebalance-timeout-removed-member",
                "group.static-member-replaced", "group.offsets-expired", "consumer.cooperative-revoke", "consumer.poll-timeout-leave",
                "consumer.heartbeat-generation-lost", "consumer.commit-sync-retry", "consumer.leader-metadata-changed");
    }

    @Override
    public List<String> invariantPrefixes() {
        return List.of("group.", "kraft.single-leader", "kraft.epoch-monotonic", "kraft.hw-monotonic", "kraft.committed-consistent", "kraft.check-quorum");
    }

    @Override
    public List<String> decidingSettings() {
        return List.of("sim.groups.processing", "partition.assignment.strategy", "sim.group.static", "session.timeout.ms");
    }

    /** Groups need longer than queue to converge after the heal (a rebalance waits for stragglers' sessions); 5 partitions of __consumer_offsets instead of 50 keep brokers quick. */
    @Override
    public Map<String, String> settingDefaults() {
        return Map.of("sim.quiesce.ms", "60000", "offsets.topic.num.partitions", "5");
    }

    static String groupName(int g) {
        return "group-" + g;
    }

    static int memberId(int g, int i) {
        return FIRST_MEMBER_ID + g * 100 + i;
    }

    @Override
    public WorkloadRun start(Simulation sim) {
        Settings s = sim.settings();
        int nControllers = s.getInt("sim.controllers");
        int nBrokers = s.getInt("sim.brokers");
        int partitions = s.getInt("num.partitions");
        int rf = s.getInt("default.replication.factor");
        int groups = s.getInt("sim.groups");
        int members = s.getInt("sim.group.members");
        if (nControllers < 1 || nBrokers < 1 || partitions < 1 || partitions > 64 || groups < 1 || groups > 9 || members < 1 || members > 50) {
            throw new IllegalArgumentException("groups needs sim.controllers, sim.brokers >= 1, 1 <= num.partitions <= 64, 1 <= sim.groups <= 9, 1 <= sim.group.members <= 50");
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
        List<String> groupNames = new ArrayList<>();
        for (int g = 0; g < groups; g++) {
            groupNames.add(groupName(g));
        }
        String processing = s.get("sim.groups.processing");
        boolean deadLetter = processing.equals(GroupPromise.DEAD_LETTER);
        GroupPromise base = new GroupPromise(TOPIC, partitions, groupNames, processing, s.get("partition.assignment.strategy"),
                s.getBoolean("sim.group.static"), deadLetter ? POISON_EVERY : 0, "", "", false, -1, "not decided yet", List.of());
        GroupsRun run = new GroupsRun(sim, voters, brokers, base);
        for (int id : voters) {
            sim.addNode(id, "ctrl-" + id, Role.CONTROLLER, ctx -> new ControllerNode(ctx, voters));
        }
        for (int id : brokers) {
            sim.addNode(id, "broker-" + id, Role.BROKER, ctx -> new BrokerNode(ctx, voters));
        }
        sim.addNode(ADMIN_ID, "admin", Role.CLIENT, ctx -> new TopicAdmin(ctx, voters, TOPIC, partitions, rf));
        if (deadLetter) {
            sim.addNode(DLT_ADMIN_ID, "admin-dlt", Role.CLIENT, ctx -> new TopicAdmin(ctx, voters, TOPIC + ".DLT", partitions, rf));
        }
        sim.addNode(PRODUCER_ID, "producer", Role.CLIENT,
                ctx -> new GroupsProducer(ctx, PRODUCER_ID, brokers, TOPIC, partitions, run.history, () -> run.issuing));
        if (deadLetter) {
            sim.addNode(DLT_SERVICE_ID, "dead-letters", Role.CLIENT, ctx -> new DeadLetterService(ctx, brokers, TOPIC + ".DLT"));
            sim.addNode(DLT_READER_ID, "dlt-reader", Role.CLIENT, ctx -> {
                DeadLetterReader r = new DeadLetterReader(ctx, DLT_READER_ID, brokers, TOPIC + ".DLT", partitions, run.history);
                run.deadLetterReader = r;
                return r;
            });
        }
        for (int g = 0; g < groups; g++) {
            String group = groupName(g);
            for (int i = 0; i < members; i++) {
                int id = memberId(g, i);
                String instance = base.staticMembership() ? group + "-instance-" + i : "";
                sim.addNode(id, group + "-member-" + i, Role.CLIENT, ctx -> {
                    GroupMember m = new GroupMember(ctx, id, group, instance, brokers, TOPIC, partitions, base, run.history, DLT_SERVICE_ID);
                    run.members.put(id, m);
                    return m;
                });
                int replacement = id + FIRST_REPLACEMENT_OFFSET;
                String replacementName = group + "-member-" + i + "-replacement";
                run.replacements.put(id, () -> sim.addNode(replacement, replacementName, Role.CLIENT, ctx -> {
                    GroupMember m = new GroupMember(ctx, replacement, group, instance, brokers, TOPIC, partitions, base, run.history, DLT_SERVICE_ID);
                    run.members.put(replacement, m);
                    return m;
                }));
            }
        }
        sim.addEventCheck(run::afterEvent);
        return run;
    }
}
