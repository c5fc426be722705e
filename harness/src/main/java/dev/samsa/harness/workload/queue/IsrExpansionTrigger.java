package dev.samsa.harness.workload.queue;

import dev.samsa.harness.fault.FaultTrigger;
import dev.samsa.harness.sim.Simulation;
import dev.samsa.harness.sim.Simulation.NodeState;
import dev.samsa.impl.controller.ControllerNode;
import dev.samsa.impl.metadata.PartitionChangeRecord;
import dev.samsa.impl.metadata.PartitionRegistration;
import dev.samsa.impl.raft.LogEntry;
import dev.samsa.impl.raft.RaftView;
import dev.samsa.impl.replication.Partition;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Consumer;

/**
 * Watches for KAFKA-7128's window and reports it as a {@link FaultTrigger} named
 * {@code isr-expanded}: the active controller has just appended an AlterPartition's change that
 * adds a replica to a partition's ISR under the same leader and leader epoch, while that leader's
 * high watermark is still below the start offset of its epoch (a newly elected leader whose HW
 * lags what its predecessor committed). Losing the leader at this moment — before the new member
 * has fetched the records between that HW and the epoch start — is what elects an incomplete
 * replica if the leader admitted it too early; with the fix, the member already holds them and
 * the same fault is harmless.
 *
 * <p>Everything it reads is state the harness sees anyway: the controller's metadata log and the
 * leader's log (high watermark, leader-epoch cache). It reports each appended change once.
 */
final class IsrExpansionTrigger {

    static final String NAME = "isr-expanded";

    private final Simulation sim;
    /** The live partition on a broker, if up and hosting it. */
    private final BiFunction<Integer, dev.samsa.impl.protocol.TopicPartition, Optional<Partition>> partitionOn;
    private Consumer<FaultTrigger> nemesis;
    private int controller = -1;
    /** The next offset of {@link #controller}'s metadata log to look at. */
    private long nextOffset;

    IsrExpansionTrigger(Simulation sim, BiFunction<Integer, dev.samsa.impl.protocol.TopicPartition, Optional<Partition>> partitionOn) {
        this.sim = sim;
        this.partitionOn = partitionOn;
    }

    void reportTo(Consumer<FaultTrigger> nemesis) {
        this.nemesis = nemesis;
    }

    /** After every event: looks at what the active controller appended since the last look. */
    void afterEvent(Optional<Integer> activeController) {
        if (nemesis == null || activeController.isEmpty() || sim.state(activeController.get()) != NodeState.UP) {
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
            nemesis.accept(new FaultTrigger(NAME, change.leader(), change.tp() + " isr " + committed.isr() + " -> " + change.isr()
                    + " under leader " + change.leader() + " e" + change.leaderEpoch() + " with hw " + hw + " below the epoch start " + start));
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
