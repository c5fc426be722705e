package dev.samsa.harness.fault;

/**
 * A moment the workload saw that makes one node, or one link, worth hitting at once, named for
 * the counters ({@code fault.trigger.<name>}). The workload only reports the moment; the
 * {@link Nemesis} decides, from the seed's plan, whether and how to strike.
 *
 * @param name what the workload saw, a short label for the counters
 * @param nodeId the node to hit, or the sending end of the link to hit
 * @param peer the receiving end of the link to hit; -1 when the trigger aims at the node alone
 * @param why one line for the trace
 * @param quickPowerLoss the moment calls for a power loss of the node (its unflushed tail lost)
 *     and a restart within the leader's fetch wait: only that fault is struck, if the plan
 *     enables power loss and the budget allows it
 */
public record FaultTrigger(String name, int nodeId, int peer, String why, boolean quickPowerLoss) {

    /** Hit {@code nodeId} itself (crash, isolate, pause). */
    public static FaultTrigger node(String name, int nodeId, String why) {
        return new FaultTrigger(name, nodeId, -1, why, false);
    }

    /** Hit what {@code from} sends to {@code to} (one-way partition, clog). */
    public static FaultTrigger link(String name, int from, int to, String why) {
        return new FaultTrigger(name, from, to, why, false);
    }

    /** Power-loss {@code nodeId} and restart it quickly (see {@link #quickPowerLoss}). */
    public static FaultTrigger quickPowerLoss(String name, int nodeId, String why) {
        return new FaultTrigger(name, nodeId, -1, why, true);
    }

    public boolean aimsAtLink() {
        return peer >= 0;
    }
}
