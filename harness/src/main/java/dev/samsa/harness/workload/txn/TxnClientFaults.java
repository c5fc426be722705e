package dev.samsa.harness.workload.txn;

import dev.samsa.harness.fault.FaultChain;
import dev.samsa.harness.sim.CrashKind;
import dev.samsa.harness.sim.Simulation;
import dev.samsa.harness.sim.Simulation.NodeState;
import dev.samsa.impl.node.RandomStream;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Faults of the transactional clients, from their own random stream, during the fault phase at
 * exponential intervals of mean {@code sim.txn.client.faults.ms}: a client is killed and restarts
 * 0.2-3 s later with the same {@code transactional.id} (its new producer fences the old epoch), or
 * is paused for 0.5 s to {@code transaction.timeout.ms} + 2 s and wakes up as a zombie whose
 * transaction the coordinator may have aborted meanwhile. Counted as {@code fault.client-crash}
 * and {@code fault.client-pause}. Also restarts a client that asks for it (after a fatal error).
 */
public final class TxnClientFaults {

    private final Simulation sim;
    private final RandomStream random;
    /** The live client object of each faultable process (updated on every restart). */
    private final TreeMap<Integer, TxnClient> clients = new TreeMap<>();
    /** Nodes that live and die with a client's process (its producer's own connection), started before it. */
    private final TreeMap<Integer, List<Integer>> companions = new TreeMap<>();
    private long endNs;
    private boolean healed;

    private final TxnHistory history;

    public TxnClientFaults(Simulation sim, TxnHistory history) {
        this.sim = sim;
        this.history = history;
        this.random = sim.stream("txn-client-faults");
    }

    public void register(int id, TxnClient client) {
        clients.put(id, client);
    }

    /** {@code companion} is part of client {@code id}'s process: crashed, paused, resumed and restarted with it (restarted first). */
    public void companion(int id, int companion) {
        companions.computeIfAbsent(id, k -> new ArrayList<>()).add(companion);
    }

    /** The nodes of client {@code id}'s process: its companions (an eos processor's producer) and itself. */
    public List<Integer> processOf(int id) {
        List<Integer> ids = new ArrayList<>(companions.getOrDefault(id, List.of()));
        ids.add(id);
        return ids;
    }

    /** The faultable clients by node id. */
    public java.util.SortedMap<Integer, TxnClient> clientsById() {
        return java.util.Collections.unmodifiableSortedMap(clients);
    }

    public java.util.Collection<TxnClient> clients() {
        return clients.values();
    }

    public void start(long phaseNanos) {
        long meanMs = sim.settings().getLong("sim.txn.client.faults.ms");
        if (meanMs <= 0) {
            return;
        }
        endNs = sim.nowNanos() + phaseNanos;
        next(meanMs);
    }

    private void next(long meanMs) {
        FaultChain.start(sim, random, meanMs, endNs, () -> !healed, this::inject);
    }

    private void inject() {
        List<Integer> up = new ArrayList<>();
        for (int id : clients.keySet()) {
            if (sim.state(id) == NodeState.UP) {
                up.add(id);
            }
        }
        if (up.isEmpty()) {
            return;
        }
        int id = up.get(random.nextInt(up.size()));
        if (random.nextInt(10) < 6) {
            crash(id, "crashed", random.nextLong(200_000_000L, 3_000_000_000L));
            sim.count("fault.client-crash");
        } else {
            long max = sim.settings().getMsAsNanos("transaction.timeout.ms") + 2_000_000_000L;
            long pauseNs = random.nextLong(500_000_000L, Math.max(500_000_001L, max));
            for (int n : processOf(id)) {
                if (sim.state(n) == NodeState.UP) {
                    sim.pause(n);
                }
            }
            sim.count("fault.client-pause");
            sim.schedule(pauseNs, () -> {
                for (int n : processOf(id)) {
                    if (sim.state(n) == NodeState.PAUSED) {
                        sim.resume(n);
                    }
                }
            });
        }
    }

    /** A client asked for a new incarnation (its producer was fenced or stuck): restart it soon, outside its own handler. */
    public void restartSoon(int id) {
        sim.schedule(0, () -> {
            if (sim.state(id) == NodeState.UP) {
                crash(id, "restarted after a fatal error", random.nextLong(50_000_000L, 500_000_000L));
                sim.count("client.restart");
            }
        });
    }

    private void crash(int id, String why, long downNs) {
        TxnClient c = clients.get(id);
        if (c != null) {
            c.abandon(why);
            history.add(c.process(), TxnOp.Type.CRASH, sim.nowNanos(), sim.nowNanos(), TxnOp.Outcome.INFO, List.of(), List.of(), List.of(), -1, why);
        }
        for (int n : processOf(id)) {
            if (sim.state(n) != NodeState.DOWN) {
                sim.crash(n, CrashKind.KILL);
            }
        }
        sim.schedule(downNs, () -> restartProcess(id));
    }

    /** The heal phase: no more client faults; every paused client wakes, every crashed one restarts. */
    public void heal() {
        healed = true;
        for (int id : clients.keySet()) {
            for (int n : processOf(id)) {
                if (sim.state(n) == NodeState.PAUSED) {
                    sim.resume(n);
                }
            }
            restartProcess(id);
        }
    }

    private void restartProcess(int id) {
        for (int n : processOf(id)) {
            if (sim.state(n) == NodeState.DOWN) {
                sim.restart(n);
            }
        }
    }
}
