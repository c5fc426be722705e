package dev.samsa.harness.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.samsa.harness.sim.TestNodes.Ping;
import dev.samsa.impl.node.Context;
import dev.samsa.impl.node.Message;
import dev.samsa.impl.node.Node;
import dev.samsa.impl.node.Timer;
import dev.samsa.impl.protocol.ApiMessage.MetadataRequest;
import dev.samsa.impl.protocol.ApiMessage.MetadataResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The late-request fault of the kernel ({@link Simulation#deliverLate}), with and without it armed. */
class LateMessagesTest {

    private static final long SECOND = 1_000_000_000L;

    /** Logs what arrives (with the arrival time) and answers a MetadataRequest with a response and a ping. */
    static final class Server implements Node {
        final Context ctx;
        final List<String> log = new ArrayList<>();

        Server(Context ctx) {
            this.ctx = ctx;
        }

        @Override
        public void onStart() {}

        @Override
        public void onMessage(int from, Message message) {
            if (message instanceof MetadataRequest r) {
                log.add("req " + r.correlationId() + " @" + ctx.nowNanos());
                ctx.send(from, new MetadataResponse(r.correlationId(), List.of(), List.of()));
                ctx.send(from, new Ping(ctx.nodeId(), (int) r.correlationId()));
            } else if (message instanceof MetadataResponse r) {
                log.add("resp " + r.correlationId());
            } else if (message instanceof Ping p) {
                log.add("ping " + p.n());
            }
        }

        @Override
        public void onTimer(Timer timer) {}

        @Override
        public void onDisconnect(int peer) {
            log.add("disconnect " + peer);
        }
    }

    private final TreeMap<Integer, Server> nodes = new TreeMap<>();
    private final TreeMap<Integer, Context> contexts = new TreeMap<>();

    private Simulation twoNodes(long seed) {
        Simulation sim = TestNodes.sim(seed);
        for (int id : new int[] {1, 2}) {
            sim.addNode(id, "n" + id, Role.BROKER, ctx -> {
                Server s = new Server(ctx);
                nodes.put(ctx.nodeId(), s);
                contexts.put(ctx.nodeId(), ctx);
                return s;
            });
        }
        sim.runUntil(0);
        return sim;
    }

    private static long arrival(List<String> log, String what) {
        for (String l : log) {
            if (l.startsWith(what + " @")) {
                return Long.parseLong(l.substring(l.indexOf('@') + 1));
            }
        }
        return -1;
    }

    @Test
    void withoutTheFaultARequestInFlightDiesWithItsConnection() {
        Simulation sim = twoNodes(1);
        contexts.get(1).send(2, new MetadataRequest(7, List.of()));
        sim.partition(List.of(1), List.of(2), false);
        sim.runUntil(SECOND);
        sim.healPartitions();
        sim.runUntil(10 * SECOND);
        assertThat(nodes.get(2).log.stream().filter(l -> l.startsWith("req")).toList()).isEmpty();
    }

    @Test
    void aPickedRequestArrivesLateOutsideItsChannelsOrderAndSurvivesADisconnect() {
        Simulation sim = twoNodes(1);
        sim.deliverLate(1, (to, m) -> m instanceof MetadataRequest, SECOND, 1, 5 * SECOND, 0, "test");
        contexts.get(1).send(2, new MetadataRequest(7, List.of())); // picked: 5 s late
        contexts.get(1).send(2, new MetadataRequest(8, List.of())); // the rule is spent: on time
        sim.partition(List.of(1), List.of(2), false); // the connection breaks: 8 is lost, 7 is not
        sim.runUntil(SECOND);
        sim.healPartitions();
        contexts.get(1).send(2, new MetadataRequest(9, List.of())); // a new connection: overtakes 7
        sim.runUntil(10 * SECOND);
        List<String> reqs = nodes.get(2).log.stream().filter(l -> l.startsWith("req")).map(l -> l.substring(0, l.indexOf(" @"))).toList();
        assertThat(reqs).containsExactly("req 9", "req 7");
        assertThat(arrival(nodes.get(2).log, "req 7")).isGreaterThanOrEqualTo(5 * SECOND);
        // the answer to 7 went to a closed connection: lost; the server's other message to 1 is not
        assertThat(nodes.get(1).log).contains("resp 9", "ping 9", "ping 7").doesNotContain("resp 7");
        assertThat(sim.counters()).containsEntry("net.late.test", 1L).containsEntry("net.late.delivered-after-disconnect", 1L)
                .containsEntry("net.late.answer-lost", 1L);
    }

    @Test
    void aLateRequestOnAnIntactConnectionIsAnswered() {
        Simulation sim = twoNodes(2);
        sim.deliverLate(1, (to, m) -> m instanceof MetadataRequest, SECOND, 1, 3 * SECOND, 0, "test");
        contexts.get(1).send(2, new MetadataRequest(7, List.of()));
        sim.runUntil(10 * SECOND);
        assertThat(nodes.get(1).log).contains("resp 7", "ping 7");
        assertThat(sim.counters()).containsEntry("net.late.delivered", 1L).doesNotContainKey("net.late.answer-lost");
    }

    @Test
    void aStallReleasesWhatItHeldInSendOrderAndOnlyWhatItPicks() {
        Simulation sim = twoNodes(3);
        sim.deliverLate(1, (to, m) -> m instanceof MetadataRequest, 2 * SECOND, Integer.MAX_VALUE, 0, 4 * SECOND, "stall");
        for (int i = 0; i < 5; i++) {
            contexts.get(1).send(2, new MetadataRequest(i, List.of()));
        }
        contexts.get(1).send(2, new Ping(1, 42)); // not picked: on time
        sim.runUntil(3 * SECOND);
        contexts.get(1).send(2, new MetadataRequest(99, List.of())); // after the armed window: on time
        sim.runUntil(10 * SECOND);
        List<String> log = nodes.get(2).log;
        List<String> order = log.stream().map(l -> l.contains(" @") ? l.substring(0, l.indexOf(" @")) : l).toList();
        assertThat(order).containsExactly("ping 42", "req 99", "req 0", "req 1", "req 2", "req 3", "req 4");
        assertThat(arrival(log, "req 0")).isGreaterThanOrEqualTo(4 * SECOND);
    }

    @Test
    void aPickedRequestIsLostWhenItsReceiverCrashesAndWaitsWhenItIsPaused() {
        Simulation sim = twoNodes(4);
        sim.deliverLate(1, (to, m) -> m instanceof MetadataRequest, SECOND, 2, 2 * SECOND, 0, "test");
        contexts.get(1).send(2, new MetadataRequest(7, List.of()));
        sim.runUntil(SECOND);
        sim.crash(2, CrashKind.KILL);
        sim.restart(2);
        sim.runUntil(5 * SECOND);
        assertThat(nodes.get(2).log.stream().filter(l -> l.startsWith("req")).toList()).isEmpty();
        assertThat(sim.counters()).containsEntry("net.late.lost", 1L);

        sim.deliverLate(1, (to, m) -> m instanceof MetadataRequest, SECOND, 1, 2 * SECOND, 0, "test");
        contexts.get(1).send(2, new MetadataRequest(8, List.of()));
        sim.pause(2);
        sim.runUntil(9 * SECOND);
        assertThat(nodes.get(2).log.stream().filter(l -> l.startsWith("req")).toList()).isEmpty();
        sim.resume(2);
        sim.runUntil(10 * SECOND);
        assertThat(arrival(nodes.get(2).log, "req 8")).isEqualTo(9 * SECOND);
    }

    @Test
    void theSameSeedGivesTheSameLateDeliveries() {
        long[] hashes = new long[2];
        for (int run = 0; run < 2; run++) {
            nodes.clear();
            Simulation sim = twoNodes(5);
            sim.deliverLate(1, (to, m) -> m instanceof MetadataRequest, SECOND, 3, SECOND, 0, "test");
            for (int i = 0; i < 6; i++) {
                contexts.get(1).send(2, new MetadataRequest(i, List.of()));
            }
            sim.runUntil(5 * SECOND);
            hashes[run] = sim.traceHash();
        }
        assertThat(hashes[0]).isEqualTo(hashes[1]);
    }
}
