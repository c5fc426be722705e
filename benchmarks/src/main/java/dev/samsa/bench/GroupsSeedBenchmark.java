package dev.samsa.bench;

import dev.samsa.harness.fault.FaultPlan;
import dev.samsa.harness.run.RunSpec;
import dev.samsa.harness.run.SeedResult;
import dev.samsa.harness.run.SeedRunner;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One default {@code groups} seed: 3 controllers, 3 brokers, a producer, 1 or 2 groups of 3
 * members (swarm), 80 simulated seconds (5 warm-up, 40 faults, 5 heal, 30 quiesce), the group
 * checks and the register linearizability check at the end; with swarm faults (and client
 * faults) or none. Seeds cycle so the average covers many fault plans and drawn settings.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar GroupsSeedBenchmark -wi 2 -w 5 -i 5 -r 5 -f 1</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(1)
@State(Scope.Thread)
public class GroupsSeedBenchmark {

    @Param({"swarm", "none"})
    public String faults;

    private RunSpec spec;
    private long seed;

    @Setup
    public void setUp() {
        Map<String, String> settings = faults.equals("none") ? Map.of("sim.group.client.faults.ms", "0") : Map.of();
        spec = new RunSpec("groups", settings, Set.of(), FaultPlan.Profile.parse(faults));
    }

    @Benchmark
    public boolean oneSeed() {
        SeedResult r = SeedRunner.run(spec, seed++ % 1000);
        return r.passed();
    }
}
