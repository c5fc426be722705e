package dev.samsa.harness.fault;

import java.util.List;

/**
 * A moment the workload saw that makes one node, or one link, worth hitting at once, named for
 * the counters ({@code fault.trigger.<name>}). The workload only reports the moment; the
 * {@link Nemesis} decides, from the seed's plan, whether and how to strike.
 *
 * @param name what the workload saw, a short label for the counters
 * @param nodeId the node to hit, or the sending end of the link to hit
 * @param peer the receiving end of the link to hit; -1 when the trigger aims at the node alone
 * @param why one line for the trace
 * @param families the only families the moment calls for, in the order tried; empty for the
 *     Nemesis's usual choice
 * @param maxOutageMs the longest outage the moment allows (from 5 ms); 0 for the usual outages
 */
public record FaultTrigger(String name, int nodeId, int peer, String why, List<FaultFamily> families, long maxOutageMs) {

    /** Hit {@code nodeId} itself (crash, isolate, pause). */
    public static FaultTrigger node(String name, int nodeId, String why) {
        return new FaultTrigger(name, nodeId, -1, why, List.of(), 0);
    }

    /** Hit what {@code from} sends to {@code to} (one-way partition, clog). */
    public static FaultTrigger link(String name, int from, int to, String why) {
        return new FaultTrigger(name, from, to, why, List.of(), 0);
    }

    /**
     * Power {@code nodeId} off (its unflushed tail lost) and back on within {@code maxOutageMs}:
     * only that fault is struck, if the plan enables power loss and the budget allows it.
     */
    public static FaultTrigger quickPowerLoss(String name, int nodeId, long maxOutageMs, String why) {
        return new FaultTrigger(name, nodeId, -1, why, List.of(FaultFamily.POWER_LOSS), maxOutageMs);
    }

    /** Pause {@code nodeId} (a long GC), if the plan enables pauses and the budget allows it. */
    public static FaultTrigger pause(String name, int nodeId, String why) {
        return new FaultTrigger(name, nodeId, -1, why, List.of(FaultFamily.PAUSE), 0);
    }

    public boolean aimsAtLink() {
        return peer >= 0;
    }
}
