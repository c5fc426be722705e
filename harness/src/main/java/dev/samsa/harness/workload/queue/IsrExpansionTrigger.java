package dev.samsa.harness.workload.queue;

import dev.samsa.harness.fault.FaultTrigger;
import dev.samsa.harness.sim.Simulation;
import dev.samsa.harness.sim.Simulation.NodeState;
import dev.samsa.impl.broker.BrokerNode;
import dev.samsa.impl.controller.ControllerNode;
import dev.samsa.impl.metadata.PartitionChangeRecord;
import dev.samsa.impl.metadata.PartitionRegistration;
import dev.samsa.impl.raft.LogEntry;
import dev.samsa.impl.raft.RaftView;
import dev.samsa.impl.replication.Partition;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.function.Consumer;

/**
 * Watches for KAFKA-7128's window — a leader growing its ISR while its high watermark is still
 * below the start offset of its epoch (a newly elected leader whose HW lags what its predecessor
 * committed) — and reports two moments of it as {@link FaultTrigger}s:
 * <ul>
 *   <li>{@code isr-expanding}, aimed at the link from the leader to the joining replica: the
 *       leader has just proposed the expansion (its AlterPartition is in flight). The Fetch
 *       response that would bring the joiner the records between the HW and the epoch start is
 *       in flight too; cutting that link (or crashing or pausing the joiner) keeps the joiner
 *       without them while the controller commits it into the ISR.
 *   <li>{@code isr-expanded}, aimed at the leader: the active controller has just appended the
 *       expansion. Losing the leader now elects the joiner next.
 * </ul>
 * {@code isr-expanded} also fires when a joiner's log ends below the leader's high watermark
 * (KAFKA-14139: a leader credited it with the log end of its previous incarnation).
 * If the leader admitted a replica below its epoch start (the bug), the ISR now holds a replica
 * without committed records; with the fix the joiner already holds them and the same faults are
 * harmless. Everything read here is state the harness sees anyway (the controller's metadata log,
 * the leader's partition state and log); each moment is reported once.
 */
final class IsrExpansionTrigger {

    static final String NAME = "isr-expanded";
    static final String PROPOSED = "isr-expanding";

    private final Simulation sim;
    private final List<Integer> brokers;
    /** Per broker and partition: the proposal last reported ("partition epoch:maximal ISR"), so each is reported once. */
    private final TreeMap<String, String> reportedProposals = new TreeMap<>();
    /** The live partition on a broker, if up and hosting it. */
    private final BiFunction<Integer, dev.samsa.impl.protocol.TopicPartition, Optional<Partition>> partitionOn;
    private Consumer<FaultTrigger> nemesis;
    private int controller = -1;
    /** The next offset of {@link #controller}'s metadata log to look at. */
    private long nextOffset;

    IsrExpansionTrigger(Simulation sim, List<Integer> brokers, BiFunction<Integer, dev.samsa.impl.protocol.TopicPartition, Optional<Partition>> partitionOn) {
        this.sim = sim;
        this.brokers = brokers;
        this.partitionOn = partitionOn;
    }

    void reportTo(Consumer<FaultTrigger> nemesis) {
        this.nemesis = nemesis;
    }

    /** After every event: looks at the leaders' proposals and at what the active controller appended since the last look. */
    void afterEvent(Optional<Integer> activeController) {
        if (nemesis == null) {
            return;
        }
        for (int b : brokers) {
            if (sim.state(b) == NodeState.UP) {
                for (Partition p : ((BrokerNode) sim.node(b).orElseThrow()).replicaManager().partitions().values()) {
                    if (p.role() == Partition.Role.LEADER && p.alterPending()) {
                        checkProposal(b, p);
                    }
                }
            }
        }
        if (activeController.isEmpty() || sim.state(activeController.get()) != NodeState.UP) {
            return;
        }
        ControllerNode c = (ControllerNode) sim.node(activeController.get()).orElseThrow();
        RaftView log = c.raft();
        long end = log.logEndOffset();
        if (activeController.get() != controller || end < nextOffset) {
            controller = activeController.get(); // a new active controller: only what it appends from now on
            nextOffset = end;
            return;
        }
        for (; nextOffset < end; nextOffset++) {
            LogEntry e = log.entryAt(nextOffset);
            if (e.record() instanceof PartitionChangeRecord change) {
                c.image().partition(change.tp()).ifPresent(committed -> check(committed, change));
            }
        }
    }

    private void checkProposal(int broker, Partition p) {
        List<Integer> maximal = p.maximalIsr();
        String signature = p.partitionEpoch() + ":" + maximal;
        String key = broker + " " + p.topicPartition();
        if (signature.equals(reportedProposals.get(key))) {
            return;
        }
        reportedProposals.put(key, signature);
        long hw = p.log().highWatermark();
        long start = epochStartOffset(p.log().epochEntries(), p.leaderEpoch());
        if (hw >= start) {
            return;
        }
        for (int m : maximal) {
            if (!p.isr().contains(m)) {
                long joinerLeo = partitionOn.apply(m, p.topicPartition()).map(x -> x.log().logEndOffset()).orElse(-1L);
                nemesis.accept(FaultTrigger.link(PROPOSED, broker, m, p.topicPartition() + " isr " + p.isr() + " -> " + maximal + " proposed by leader "
                        + broker + " e" + p.leaderEpoch() + " with hw " + hw + " below the epoch start " + start + "; the joiner's log ends at " + joinerLeo));
                return;
            }
        }
    }

    private void check(PartitionRegistration committed, PartitionChangeRecord change) {
        if (!expandsIsr(committed, change)) {
            return;
        }
        Optional<Partition> leader = partitionOn.apply(change.leader(), change.tp());
        if (leader.isEmpty() || leader.get().role() != Partition.Role.LEADER || leader.get().leaderEpoch() != change.leaderEpoch()) {
            return;
        }
        long hw = leader.get().log().highWatermark();
        long start = epochStartOffset(leader.get().log().epochEntries(), change.leaderEpoch());
        if (hw < start) {
            nemesis.accept(FaultTrigger.node(NAME, change.leader(), change.tp() + " isr " + committed.isr() + " -> " + change.isr()
                    + " under leader " + change.leader() + " e" + change.leaderEpoch() + " with hw " + hw + " below the epoch start " + start));
            return;
        }
        for (int m : change.isr()) {
            if (committed.isr().contains(m)) {
                continue;
            }
            long joinerLeo = partitionOn.apply(m, change.tp()).map(x -> x.log().logEndOffset()).orElse(-1L);
            if (joinerLeo < hw) {
                // the joiner lacks committed records (KAFKA-14139: credited with a previous incarnation's log end)
                nemesis.accept(FaultTrigger.node(NAME, change.leader(), change.tp() + " isr " + committed.isr() + " -> " + change.isr()
                        + " under leader " + change.leader() + " e" + change.leaderEpoch() + " with hw " + hw + " while joiner " + m
                        + "'s log ends at " + joinerLeo));
                return;
            }
        }
    }

    /** Does {@code change} add a replica to the ISR without changing the leader or its epoch? */
    static boolean expandsIsr(PartitionRegistration committed, PartitionChangeRecord change) {
        return change.leader() >= 0 && change.leader() == committed.leader() && change.leaderEpoch() == committed.leaderEpoch()
                && change.isr().containsAll(committed.isr()) && change.isr().size() > committed.isr().size();
    }

    /** The start offset of {@code epoch} in a leader-epoch cache ({epoch, start} pairs); -1 when it has none. */
    static long epochStartOffset(List<long[]> entries, int epoch) {
        for (long[] e : entries) {
            if (e[0] == epoch) {
                return e[1];
            }
        }
        return -1;
    }
}
