package dev.samsa.harness.run;

import dev.samsa.harness.fault.FaultPlan;
import dev.samsa.spec.bugs.Bug;
import java.util.EnumSet;
import java.util.Map;

/** A kraft seed that fails with KAFKA-15489 switched back on, found once per test JVM. */
public final class FailingSeeds {

    private static long kraft15489 = -1;

    private FailingSeeds() {}

    public static RunSpec kraft15489Spec() {
        return new RunSpec("kraft", Map.of(), EnumSet.of(Bug.parse("KAFKA-15489").orElseThrow()), FaultPlan.Profile.SWARM);
    }

    public static synchronized long kraft15489() {
        if (kraft15489 < 0) {
            for (long seed = 0; seed < 200; seed++) {
                if (!SeedRunner.run(kraft15489Spec(), seed).passed()) {
                    kraft15489 = seed;
                    return seed;
                }
            }
            throw new AssertionError("no failing kraft seed with KAFKA-15489 in 0..199");
        }
        return kraft15489;
    }
}
