package dev.samsa.harness.fault;

/**
 * A moment the workload saw that makes one node worth hitting at once, named for the counters
 * ({@code fault.trigger.<name>}): e.g. {@code isr-expanded}, the leader of a partition whose
 * ISR the controller just grew while the leader's high watermark still lags the start of its
 * epoch (KAFKA-7128's window). The workload only reports the moment; the {@link Nemesis}
 * decides, from the seed's plan, whether and how to strike.
 *
 * @param name what the workload saw, a short label for the counters
 * @param nodeId the node to hit
 * @param why one line for the trace
 */
public record FaultTrigger(String name, int nodeId, String why) {}
