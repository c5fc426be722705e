package dev.samsa.harness.perf;

import dev.samsa.spec.config.Settings;
import java.util.List;

/** The sentences a perf report states about the simulated world its figures assume. */
final class ModelDescription {

    /** As in {@code sim.Network}: 1% of messages get an extra delay of up to 9× the maximum. */
    static final String SPIKES = "1% of messages get an extra delay drawn uniformly up to 9x the maximum (latency spikes of a loaded LAN)";

    private ModelDescription() {}

    static List<String> lines(Settings s, PerfSweep.Plan plan) {
        boolean flushesPerWrite = s.getLong("flush.messages") == 1;
        return List.of(
                "Cluster: 3 KRaft controllers, 3 brokers, one topic of " + PerfRun.PARTITIONS + " partitions with replication factor "
                        + PerfRun.REPLICATION_FACTOR + ", min.insync.replicas=" + s.getInt("min.insync.replicas") + "; no faults.",
                "Network: one-way latency uniform in [" + s.getLong("sim.network.latency.min.us") + ", " + s.getLong("sim.network.latency.max.us")
                        + "] us per message, FIFO per connection; " + SPIKES + ". No bandwidth limit: message size does not change its delay, "
                        + "so compression.type changes bytes on the wire, not the time these figures measure.",
                "Disk: an fsync is modelled to take " + s.getLong("sim.disk.fsync.latency.us") + " us; "
                        + (flushesPerWrite ? "brokers fsync every write (flush.messages=1)." : "brokers do not fsync per write (Kafka's default "
                                + "flush.messages and flush.ms: durability comes from replication, the OS flushes later)."),
                "CPU: handling a request takes no simulated time; the figures are protocol latency (round trips, batching, linger), not processing cost.",
                "Produce latency: acks 0, 1 and all compared at a fixed offered rate of " + PerfSweep.LATENCY_RATE
                        + " records/s with linger.ms=0 (open loop, ~100-byte keyless records, sticky partitioner); end-to-end and lag "
                        + "are from the same runs.",
                "Throughput: a closed loop keeping " + plan.outstanding() + " records in flight, acks=all with idempotence; each run warms up "
                        + plan.warmupMs() + " simulated ms, then measures " + plan.measureMs() + " simulated ms; lag is sampled every "
                        + plan.sampleMs() + " ms.");
    }
}
