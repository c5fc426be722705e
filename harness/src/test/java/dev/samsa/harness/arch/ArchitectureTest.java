package dev.samsa.harness.arch;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import dev.samsa.impl.archfixture.Violators;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ArchitectureTest {

    private static JavaClasses production;

    @BeforeAll
    static void importProduction() {
        production = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.samsa");
    }

    @Test
    void theProductionCodeKeepsEveryRule() {
        assertThat(production.stream().anyMatch(c -> c.getPackageName().startsWith("dev.samsa.impl"))).as("impl classes were imported").isTrue();
        for (ArchRule rule : ArchitectureRules.IMPL_RULES) {
            rule.check(production);
        }
        for (ArchRule rule : ArchitectureRules.LAYER_RULES) {
            // a module with no classes yet (reports) satisfies its layer rule vacuously
            rule.allowEmptyShould(true).check(production);
        }
    }

    private static EvaluationResult onFixture(ArchRule rule, Class<?> fixture) {
        return rule.evaluate(new ClassFileImporter().importClasses(fixture));
    }

    @Test
    void eachImplRuleFiresOnAViolatingClass() {
        assertThat(onFixture(ArchitectureRules.IMPL_HAS_NO_THREADS, Violators.StartsAThread.class).hasViolation()).isTrue();
        assertThat(onFixture(ArchitectureRules.IMPL_HAS_NO_THREADS, Violators.UsesAnExecutor.class).hasViolation()).isTrue();
        assertThat(onFixture(ArchitectureRules.IMPL_HAS_NO_WALL_CLOCK, Violators.ReadsCurrentTimeMillis.class).hasViolation()).isTrue();
        assertThat(onFixture(ArchitectureRules.IMPL_HAS_NO_WALL_CLOCK, Violators.ReadsNanoTime.class).hasViolation()).isTrue();
        assertThat(onFixture(ArchitectureRules.IMPL_HAS_NO_WALL_CLOCK, Violators.ReadsInstantNow.class).hasViolation()).isTrue();
        assertThat(onFixture(ArchitectureRules.IMPL_HAS_NO_WALL_CLOCK, Violators.ReadsSystemClock.class).hasViolation()).isTrue();
        assertThat(onFixture(ArchitectureRules.IMPL_HAS_NO_UNSEEDED_RANDOMNESS, Violators.UsesJavaUtilRandom.class).hasViolation()).isTrue();
        assertThat(onFixture(ArchitectureRules.IMPL_HAS_NO_UNSEEDED_RANDOMNESS, Violators.UsesThreadLocalRandom.class).hasViolation()).isFalse(); // caught by the thread rule instead:
        assertThat(onFixture(ArchitectureRules.IMPL_HAS_NO_THREADS, Violators.UsesThreadLocalRandom.class).hasViolation()).isTrue();
        assertThat(onFixture(ArchitectureRules.IMPL_HAS_NO_UNSEEDED_RANDOMNESS, Violators.UsesMathRandom.class).hasViolation()).isTrue();
        assertThat(onFixture(ArchitectureRules.IMPL_HAS_NO_UNSEEDED_RANDOMNESS, Violators.UsesRandomUuid.class).hasViolation()).isTrue();
        assertThat(onFixture(ArchitectureRules.IMPL_HAS_NO_IO, Violators.ReadsAFile.class).hasViolation()).isTrue();
        assertThat(onFixture(ArchitectureRules.IMPL_HAS_NO_IO, Violators.OpensASocket.class).hasViolation()).isTrue();
        assertThat(onFixture(ArchitectureRules.IMPL_HAS_NO_IO, Violators.PrintsToStdout.class).hasViolation()).isTrue();
        assertThat(onFixture(ArchitectureRules.IMPL_HAS_NO_HASH_ORDER, Violators.UsesHashMap.class).hasViolation()).isTrue();
        assertThat(onFixture(ArchitectureRules.IMPL_HAS_NO_HASH_ORDER, Violators.UsesHashSet.class).hasViolation()).isTrue();
        assertThat(onFixture(ArchitectureRules.IMPL_HAS_NO_HASH_ORDER, Violators.UsesSetOf.class).hasViolation()).isTrue();
        assertThat(onFixture(ArchitectureRules.IMPL_HAS_NO_HASH_ORDER, Violators.CollectsToSet.class).hasViolation()).isTrue();
    }

    @Test
    void theImplRulesAcceptADeterministicClass() {
        for (ArchRule rule : ArchitectureRules.IMPL_RULES) {
            assertThat(onFixture(rule, Violators.Clean.class).hasViolation()).as(rule.getDescription()).isFalse();
        }
    }

    @Test
    void theLayerRuleFiresOnAnImplClassThatReachesIntoTheHarness() {
        assertThat(onFixture(ArchitectureRules.IMPL_ONLY_ON_SPEC, Violators.ReachesIntoHarness.class).hasViolation()).isTrue();
    }
}
