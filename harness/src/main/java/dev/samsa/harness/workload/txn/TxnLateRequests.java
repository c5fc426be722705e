package dev.samsa.harness.workload.txn;

import dev.samsa.harness.fault.FaultChain;
import dev.samsa.harness.sim.Simulation;
import dev.samsa.harness.sim.Simulation.NodeState;
import dev.samsa.impl.node.RandomStream;
import dev.samsa.impl.protocol.ApiMessage.ProduceRequest;
import dev.samsa.impl.protocol.TxnMessage.EndTxnRequest;
import dev.samsa.impl.protocol.TxnMessage.WriteTxnMarkersRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Late-request faults of the txn and eos workloads ({@link Simulation#deliverLate}), from their
 * own random stream, at exponential intervals of mean {@code sim.txn.late.requests.ms} during the
 * fault phase. Each is one of:
 * <ul>
 *   <li>{@code produce-stall}: a producer with a transaction open finds its produce path stalled
 *       (a slow link, a broker whose request queue is stuck) for longer than its delivery timeout
 *       (at most {@link #MAX_STALL_NANOS}): its batches expire, the transaction is aborted, and
 *       the stalled Produce requests are handled after the abort (KAFKA-12671's schedule);
 *   <li>{@code end-txn}: a producer's next EndTxn is handled {@code request.timeout.ms} + 0.2-3 s
 *       after it was sent, when the retry has ended that transaction and the next one may be open
 *       (KAFKA-17754's);
 *   <li>{@code markers}: the next WriteTxnMarkers of a broker leading a coordinator partition is
 *       handled 0.2-4 s after the coordinator's request timeout ({@code request.timeout.ms}), once the retry completed the
 *       transaction and the producer's next one is likely open: its answer completes the old one
 *       again where a faulty coordinator lets it (KAFKA-10080's).
 * </ul>
 * Counted as {@code fault.late-request.<kind>}; the messages picked as {@code net.late.<kind>}.
 */
final class TxnLateRequests {

    /** A stall longer than this outlives the client's patience (TxnProducerClient restarts after a stuck operation). */
    static final long MAX_STALL_NANOS = TxnProducerClient.OP_TIMEOUT_NANOS - 1_000_000_000L;
    /** How long an armed one-shot fault waits for its request before lapsing. */
    private static final long ARMED_NANOS = 10_000_000_000L;

    private final Simulation sim;
    private final TxnClientFaults clients;
    private final TxnCluster cluster;
    private final RandomStream random;
    private long endNs;
    /**
     * Every late request arrives by then: the end of the heal phase, while the clients still run
     * transactions (a late request finds the next transaction open) and long before the run
     * checks that everything settled.
     */
    private long latestArrivalNs;
    private boolean healed;

    TxnLateRequests(Simulation sim, TxnClientFaults clients, TxnCluster cluster) {
        this.sim = sim;
        this.clients = clients;
        this.cluster = cluster;
        this.random = sim.stream("txn-late-requests");
    }

    void start(long phaseNanos) {
        long meanMs = sim.settings().getLong("sim.txn.late.requests.ms");
        if (meanMs <= 0) {
            return;
        }
        endNs = sim.nowNanos() + phaseNanos;
        latestArrivalNs = endNs + sim.settings().getMsAsNanos("sim.heal.ms");
        next(meanMs);
    }

    void heal() {
        healed = true;
    }

    private void next(long meanMs) {
        FaultChain.start(sim, random, meanMs, endNs, () -> !healed, this::inject);
    }

    private void inject() {
        // a marker request late past the coordinator's WriteTxnMarkers timeout (request.timeout.ms, as in Kafka's
        // TransactionMarkerChannelManager) fits only in the part of the fault phase that leaves time for it
        long markerTimeout = sim.settings().getMsAsNanos("request.timeout.ms");
        boolean markersFit = armedFor(markerTimeout + 4_000_000_000L) > 0;
        int kind = random.nextInt(markersFit ? 3 : 2);
        if (kind == 2) {
            List<Integer> coordinators = cluster.coordinatorLeaders();
            if (coordinators.isEmpty()) {
                sim.count("fault.late-request.skipped");
                return;
            }
            int broker = coordinators.get(random.nextInt(coordinators.size()));
            long delay = markerTimeout + random.nextLong(200_000_000L, 4_000_000_000L);
            long armed = armedFor(delay);
            sim.deliverLate(broker, (to, m) -> m instanceof WriteTxnMarkersRequest, armed, 1, delay, 0, "markers");
            count("markers", sim.name(broker) + "'s next WriteTxnMarkers arrives " + delay / 1_000_000 + " ms late");
            return;
        }
        List<Integer> candidates = new ArrayList<>();
        for (Map.Entry<Integer, TxnClient> e : clients.clientsById().entrySet()) {
            if (sim.state(e.getKey()) == NodeState.UP && (kind == 1 || e.getValue().transactionOpen())) {
                candidates.add(e.getKey());
            }
        }
        if (candidates.isEmpty()) {
            return;
        }
        int client = candidates.get(random.nextInt(candidates.size()));
        if (kind == 0) {
            long delivery = sim.settings().getMsAsNanos("delivery.timeout.ms");
            long stall = Math.min(delivery, MAX_STALL_NANOS) + random.nextLong(500_000_000L, 3_000_000_000L);
            long release = sim.nowNanos() + stall;
            if (release > latestArrivalNs - 100_000_000L) {
                sim.count("fault.late-request.skipped");
                return;
            }
            for (int n : clients.processOf(client)) {
                sim.deliverLate(n, (to, m) -> m instanceof ProduceRequest r && !r.transactionalId().isEmpty(), stall, Integer.MAX_VALUE, 0, release,
                        "produce-stall");
            }
            count("produce-stall", sim.name(client) + "'s produce requests stall for " + stall / 1_000_000 + " ms");
        } else {
            long delay = sim.settings().getMsAsNanos("request.timeout.ms") + random.nextLong(200_000_000L, 3_000_000_000L);
            long armed = armedFor(delay);
            if (armed <= 0) {
                sim.count("fault.late-request.skipped");
                return;
            }
            for (int n : clients.processOf(client)) {
                sim.deliverLate(n, (to, m) -> m instanceof EndTxnRequest, armed, 1, delay, 0, "end-txn");
            }
            count("end-txn", sim.name(client) + "'s next EndTxn arrives " + delay / 1_000_000 + " ms late");
        }
    }

    /** How long a one-shot fault may wait for its request so that it still arrives by {@link #latestArrivalNs} (the network adds at most 0.1 s). */
    private long armedFor(long delayNanos) {
        return Math.min(ARMED_NANOS, latestArrivalNs - sim.nowNanos() - delayNanos - 100_000_000L);
    }

    private void count(String kind, String why) {
        sim.count("fault.late-request." + kind);
        sim.trace("FAULT late-request " + kind + ": " + why);
    }
}
