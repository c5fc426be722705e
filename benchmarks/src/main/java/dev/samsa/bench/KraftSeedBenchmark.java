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
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One default {@code kraft} seed: 3 controllers, 3 brokers, 3 clients, 60 simulated seconds
 * (5 warm-up, 40 faults, 5 heal, 10 quiesce), with swarm faults. Seeds cycle so the average
 * covers many fault plans. Goal: under one wall second per seed.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar KraftSeedBenchmark</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(1)
@State(Scope.Thread)
public class KraftSeedBenchmark {

    @Param({"swarm", "none"})
    public String faults;

    private RunSpec spec;
    private long seed;

    @org.openjdk.jmh.annotations.Setup
    public void setUp() {
        spec = new RunSpec("kraft", Map.of(), Set.of(), FaultPlan.Profile.parse(faults));
    }

    @Benchmark
    public boolean oneSeed() {
        SeedResult r = SeedRunner.run(spec, seed++ % 1000);
        return r.passed();
    }
}
