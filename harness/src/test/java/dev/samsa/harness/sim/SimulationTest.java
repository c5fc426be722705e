package dev.samsa.harness.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.samsa.harness.sim.TestNodes.Ping;
import dev.samsa.harness.sim.TestNodes.Recorder;
import dev.samsa.harness.sim.TestNodes.Tick;
import dev.samsa.impl.node.Context;
import dev.samsa.impl.node.TimerHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class SimulationTest {

    private final TreeMap<Integer, Recorder> nodes = new TreeMap<>();
    private final TreeMap<Integer, Context> contexts = new TreeMap<>();

    private Simulation withNodes(long seed, int... ids) {
        Simulation sim = TestNodes.sim(seed);
        for (int id : ids) {
            sim.addNode(id, "n" + id, Role.BROKER, ctx -> {
                Recorder r = new Recorder(ctx);
                nodes.put(ctx.nodeId(), r);
                contexts.put(ctx.nodeId(), ctx);
                return r;
            });
        }
        sim.runUntil(0);
        return sim;
    }

    @Test
    void messagesOnOneConnectionArriveInSendOrder() {
        for (long seed = 0; seed < 20; seed++) {
            nodes.clear();
            Simulation sim = withNodes(seed, 1, 2);
            for (int i = 0; i < 200; i++) {
                contexts.get(1).send(2, new Ping(1, i));
            }
            sim.runUntil(1_000_000_000L);
            List<Integer> got = new ArrayList<>();
            nodes.get(2).received.forEach(p -> got.add(p.n()));
            assertThat(got).hasSize(200).isSorted();
        }
    }

    @Test
    void messagesOnDifferentConnectionsMayOvertakeEachOther() {
        // 1 sends to 3 and then 2 sends to 3, at the same instant, many times over many seeds:
        // some seed must deliver 2's message first, since nothing orders two connections.
        boolean overtaken = false;
        for (long seed = 0; seed < 50 && !overtaken; seed++) {
            nodes.clear();
            Simulation sim = withNodes(seed, 1, 2, 3);
            contexts.get(1).send(3, new Ping(1, 0));
            contexts.get(2).send(3, new Ping(2, 0));
            sim.runUntil(1_000_000_000L);
            overtaken = nodes.get(3).received.get(0).from() == 2;
        }
        assertThat(overtaken).isTrue();
    }

    @Test
    void aPartitionDropsMessagesInFlightAndTellsBothEnds() {
        Simulation sim = withNodes(7, 1, 2);
        for (int i = 0; i < 10; i++) {
            contexts.get(1).send(2, new Ping(1, i));
        }
        sim.partition(List.of(1), List.of(2), false);
        sim.runUntil(1_000_000_000L);
        assertThat(nodes.get(2).received).isEmpty();
        assertThat(nodes.get(1).log).contains("disconnect 2");
        assertThat(nodes.get(2).log).contains("disconnect 1");
        // while partitioned, new sends are dropped too; after heal they flow again
        contexts.get(1).send(2, new Ping(1, 99));
        sim.runUntil(2_000_000_000L);
        assertThat(nodes.get(2).received).isEmpty();
        sim.healPartitions();
        contexts.get(1).send(2, new Ping(1, 100));
        sim.runUntil(3_000_000_000L);
        assertThat(nodes.get(2).received).extracting(Ping::n).containsExactly(100);
    }

    // txn seed 160: broker-2's fetch to broker-0 (down and partitioned) was dropped; broker-0
    // restarted and parked a follower fetch at broker-2; the drop's timeout then told broker-2
    // alone that the connection closed, so broker-2 never answered and broker-0 waited 30 s.
    @Test
    void aConnectionTimeoutAfterThePeerRestartedTellsTheNewIncarnationToo() {
        Simulation sim = withNodes(11, 1, 2);
        sim.crash(2, CrashKind.KILL);
        sim.partition(List.of(1), List.of(2), false);
        sim.runUntil(1_000_000L);
        contexts.get(1).send(2, new Ping(1, 1)); // dropped: times out a second later
        sim.restart(2);
        sim.healPartitions();
        sim.runUntil(2_000_000L);
        Recorder second = nodes.get(2);
        contexts.get(2).send(1, new Ping(2, 2)); // on the connection the timeout is about to close
        nodes.get(1).log.clear();
        sim.runUntil(2_000_000_000L);
        assertThat(nodes.get(1).log).contains("disconnect 2");
        assertThat(second.log).contains("disconnect 1");
    }

    @Test
    void aConnectionTimeoutAfterTheSenderRestartedTellsBothEnds() {
        Simulation sim = withNodes(12, 1, 2);
        sim.partition(List.of(1), List.of(2), false);
        sim.runUntil(1_000_000L);
        contexts.get(1).send(2, new Ping(1, 1)); // dropped: both ends time out a second later
        sim.crash(1, CrashKind.KILL);
        sim.restart(1);
        sim.healPartitions();
        sim.runUntil(2_000_000L);
        Recorder second = nodes.get(1);
        nodes.get(2).log.clear();
        sim.runUntil(2_000_000_000L);
        assertThat(nodes.get(2).log).contains("disconnect 1");
        assertThat(second.log).contains("disconnect 2");
    }

    @Test
    void aOneWayPartitionDropsOnlyOneDirection() {
        Simulation sim = withNodes(3, 1, 2);
        sim.partition(List.of(1), List.of(2), true);
        contexts.get(1).send(2, new Ping(1, 1));
        contexts.get(2).send(1, new Ping(2, 2));
        sim.runUntil(1_000_000_000L);
        assertThat(nodes.get(2).received).isEmpty();
        assertThat(nodes.get(1).received).extracting(Ping::n).containsExactly(2);
    }

    @Test
    void aCrashDropsInFlightMessagesAndTimersAndARestartBuildsANewNodeOverTheSameDisk() {
        Simulation sim = withNodes(1, 1, 2);
        Recorder first = nodes.get(2);
        contexts.get(2).disk().append("f", "kept", 4);
        contexts.get(2).setTimer(500_000_000L, new Tick(1));
        contexts.get(1).send(2, new Ping(1, 1));
        sim.crash(2, CrashKind.KILL);
        assertThat(sim.node(2)).isEmpty();
        sim.runUntil(1_000_000_000L);
        assertThat(first.log).containsExactly("start");
        assertThat(nodes.get(1).log).contains("disconnect 2");
        sim.restart(2);
        sim.runUntil(2_000_000_000L);
        Recorder second = nodes.get(2);
        assertThat(second).isNotSameAs(first);
        assertThat(second.log).containsExactly("start");
        assertThat(sim.disk(2).readAll("f")).containsExactly("kept");
        assertThat(sim.incarnation(2)).isEqualTo(2);
    }

    @Test
    void aWipeGivesAnEmptyDisk() {
        Simulation sim = withNodes(1, 1);
        contexts.get(1).disk().append("f", "x", 1);
        contexts.get(1).disk().fsync("f");
        sim.crash(1, CrashKind.WIPE);
        sim.restart(1);
        assertThat(sim.disk(1).files()).isEmpty();
    }

    @Test
    void aPausedNodeHandlesNothingUntilResumedThenEverythingInArrivalOrder() {
        Simulation sim = withNodes(5, 1, 2);
        sim.pause(2);
        contexts.get(2).setTimer(1_000_000L, new Tick(7));
        for (int i = 0; i < 5; i++) {
            contexts.get(1).send(2, new Ping(1, i));
        }
        sim.runUntil(3_000_000_000L);
        assertThat(nodes.get(2).log).containsExactly("start");
        assertThat(nodes.get(1).log).doesNotContain("disconnect 2");
        sim.resume(2);
        sim.runUntil(3_000_000_001L);
        assertThat(nodes.get(2).received).extracting(Ping::n).containsExactly(0, 1, 2, 3, 4);
        assertThat(nodes.get(2).log).contains("timer 7");
    }

    @Test
    void aCancelledTimerNeverFires() {
        Simulation sim = withNodes(1, 1);
        TimerHandle h = contexts.get(1).setTimer(10, new Tick(1));
        contexts.get(1).setTimer(20, new Tick(2));
        h.cancel();
        sim.runUntil(100);
        assertThat(nodes.get(1).log).containsExactly("start", "timer 2");
    }

    @Test
    void eventsAtTheSameInstantRunInTheOrderTheyWereScheduled() {
        Simulation sim = withNodes(1, 1);
        for (int i = 0; i < 50; i++) {
            contexts.get(1).setTimer(1000, new Tick(i));
        }
        sim.runUntil(2000);
        List<String> expected = new ArrayList<>();
        expected.add("start");
        for (int i = 0; i < 50; i++) {
            expected.add("timer " + i);
        }
        assertThat(nodes.get(1).log).isEqualTo(expected);
    }

    @Test
    void anFsyncDelaysWhatTheHandlerSendsAfterIt() {
        Simulation sim = withNodes(1, 1);
        Context c = contexts.get(1);
        long before = c.nowNanos();
        c.disk().append("f", "x", 1);
        c.disk().fsync("f");
        // outside an event the charge accumulates on the context; the next dispatch resets it
        assertThat(c.nowNanos() - before).isEqualTo(sim.settings().getLong("sim.disk.fsync.latency.us") * 1000);
        c.disk().fsync("f"); // nothing unsynced: free
        assertThat(c.nowNanos() - before).isEqualTo(sim.settings().getLong("sim.disk.fsync.latency.us") * 1000);
    }

    @Test
    void badUseIsAProgrammerErrorWithAClearMessage() {
        Simulation sim = withNodes(1, 1);
        assertThatThrownBy(() -> sim.restart(1)).hasMessageContaining("is not down");
        assertThatThrownBy(() -> contexts.get(1).send(42, new Ping(1, 1))).hasMessageContaining("unknown node 42");
        assertThatThrownBy(() -> sim.addNode(1, "again", Role.BROKER, Recorder::new)).hasMessageContaining("added twice");
    }
}
