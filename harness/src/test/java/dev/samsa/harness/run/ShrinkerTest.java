package dev.samsa.harness.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.samsa.harness.fault.FaultPlan;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ShrinkerTest {

    @Test
    void aFailingKraftSeedShrinksToFewerFaultsThatStillFail() {
        long seed = FailingSeeds.kraft15489();
        RunSpec spec = FailingSeeds.kraft15489Spec();
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Shrinker.Outcome o = new Shrinker(new Shrinker.Options(spec, seed, 40, 2, new PrintStream(log, true, StandardCharsets.UTF_8))).run();

        assertThat(o.original().passed()).isFalse();
        assertThat(o.shrunk()).isPresent();
        assertThat(o.runs()).isLessThanOrEqualTo(40);
        assertThat(o.schedule().faultCount()).isLessThan(o.startFaults());
        assertThat(log.toString(StandardCharsets.UTF_8)).contains("shrink: " + o.startFaults() + " -> ");
        // The final spec and schedule reproduce the shrunk failure on their own, bit for bit.
        SeedResult again = SeedRunner.run(o.spec(), seed);
        assertThat(again.traceHash()).isEqualTo(o.shrunk().get().traceHash());
        assertThat(again.violatedInvariants()).containsAnyElementsOf(o.target());
    }

    @Test
    void aPassingSeedHasNothingToShrink() {
        RunSpec spec = new RunSpec("kraft", Map.of("sim.faults.ms", "2000"), Set.of(), FaultPlan.Profile.NONE);
        Shrinker.Outcome o = new Shrinker(new Shrinker.Options(spec, 1, 10, 1, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))).run();
        assertThat(o.original().passed()).isTrue();
        assertThat(o.shrunk()).isEmpty();
        assertThat(o.runs()).isEqualTo(1);
    }
}
