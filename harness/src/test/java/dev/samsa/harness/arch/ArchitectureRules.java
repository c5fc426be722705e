package dev.samsa.harness.arch;

import static com.tngtech.archunit.base.DescribedPredicate.describe;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.type;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaCall;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.lang.ArchRule;
import java.util.List;

/**
 * The rules that keep samsa what it is. {@code impl} is sans-IO and deterministic; modules
 * depend only downwards. Each rule is shown to fire on a violating fixture in
 * {@code dev.samsa.impl.archfixture}.
 */
final class ArchitectureRules {

    private ArchitectureRules() {}

    private static final String IMPL = "dev.samsa.impl..";

    static final ArchRule IMPL_HAS_NO_THREADS = noClasses().that().resideInAPackage(IMPL)
            .should().dependOnClassesThat(type(Thread.class).or(resideInAnyPackage("java.util.concurrent..")))
            .as("impl uses no threads, executors or concurrent collections (nodes are single-threaded state machines)");

    static final ArchRule IMPL_HAS_NO_WALL_CLOCK = noClasses().that().resideInAPackage(IMPL)
            .should().callMethod(System.class, "currentTimeMillis")
            .orShould().callMethod(System.class, "nanoTime")
            .orShould().callMethodWhere(describe("a java.time now() or system clock",
                    (JavaCall<?> call) -> call.getTargetOwner().getPackageName().equals("java.time")
                            && (call.getName().equals("now") || call.getName().startsWith("system"))))
            .as("impl reads no wall clock (time comes from Context.nowNanos)");

    static final ArchRule IMPL_HAS_NO_UNSEEDED_RANDOMNESS = noClasses().that().resideInAPackage(IMPL)
            .should().dependOnClassesThat(type(java.util.Random.class).or(type(java.security.SecureRandom.class))
                    .or(type(java.util.SplittableRandom.class)))
            .orShould().callMethod(Math.class, "random")
            .orShould().callMethod(StrictMath.class, "random")
            .orShould().callMethod(java.util.UUID.class, "randomUUID")
            .as("impl draws randomness only from Context.random (a seeded RandomStream)");

    static final ArchRule IMPL_HAS_NO_IO = noClasses().that().resideInAPackage(IMPL)
            .should().dependOnClassesThat(resideInAnyPackage("java.nio.file..", "java.net..", "java.nio.channels..")
                    .or(describe("java.io files", (JavaClass c) -> c.getPackageName().equals("java.io")
                            && (c.getSimpleName().startsWith("File") || c.getSimpleName().equals("RandomAccessFile")))))
            .orShould().accessField(System.class, "out")
            .orShould().accessField(System.class, "err")
            .orShould().accessField(System.class, "in")
            .as("impl does no file, socket or console I/O (disk and network come through Context)");

    static final ArchRule IMPL_HAS_NO_HASH_ORDER = noClasses().that().resideInAPackage(IMPL)
            .should().dependOnClassesThat(type(java.util.HashMap.class).or(type(java.util.HashSet.class))
                    .or(type(java.util.Hashtable.class)).or(type(java.util.IdentityHashMap.class)).or(type(java.util.WeakHashMap.class)))
            .orShould().callMethodWhere(describe("Set.of/Map.of/copyOf or a hashing Collector (iteration order varies by JVM)",
                    (JavaCall<?> call) -> {
                        String owner = call.getTargetOwner().getFullName();
                        String name = call.getName();
                        return ((owner.equals("java.util.Set") || owner.equals("java.util.Map"))
                                        && (name.equals("of") || name.equals("copyOf") || name.equals("ofEntries")))
                                || (owner.equals("java.util.stream.Collectors")
                                        && List.of("toSet", "toMap", "groupingBy", "toUnmodifiableSet", "toUnmodifiableMap", "partitioningBy").contains(name));
                    }))
            .as("impl never iterates a hash-ordered collection (HashMap/HashSet order differs between JDKs)");

    static final List<ArchRule> IMPL_RULES = List.of(
            IMPL_HAS_NO_THREADS, IMPL_HAS_NO_WALL_CLOCK, IMPL_HAS_NO_UNSEEDED_RANDOMNESS, IMPL_HAS_NO_IO, IMPL_HAS_NO_HASH_ORDER);

    // ---- module layering (DEVELOPERS.md): lin <- spec <- impl <- harness; reports alone; bench on top

    static final ArchRule LIN_IS_STANDALONE = noClasses().that().resideInAPackage("dev.samsa.lin..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.samsa.spec..", "dev.samsa.impl..", "dev.samsa.harness..", "dev.samsa.reports..", "dev.samsa.bench..")
            .as("linearizability depends on no other samsa module");

    static final ArchRule SPEC_ONLY_ON_LIN = noClasses().that().resideInAPackage("dev.samsa.spec..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.samsa.impl..", "dev.samsa.harness..", "dev.samsa.reports..", "dev.samsa.bench..")
            .as("spec depends only on linearizability");

    static final ArchRule IMPL_ONLY_ON_SPEC = noClasses().that().resideInAPackage(IMPL)
            .should().dependOnClassesThat().resideInAnyPackage("dev.samsa.lin..", "dev.samsa.harness..", "dev.samsa.reports..", "dev.samsa.bench..")
            .as("impl depends only on spec");

    static final ArchRule REPORTS_STANDALONE = noClasses().that().resideInAPackage("dev.samsa.reports..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.samsa.lin..", "dev.samsa.spec..", "dev.samsa.impl..", "dev.samsa.harness..", "dev.samsa.bench..")
            .as("reports depends on no other samsa module (its own input records)");

    static final ArchRule HARNESS_NOT_ON_BENCH = noClasses().that().resideInAPackage("dev.samsa.harness..")
            .should().dependOnClassesThat().resideInAPackage("dev.samsa.bench..")
            .as("harness does not depend on benchmarks");

    static final List<ArchRule> LAYER_RULES = List.of(LIN_IS_STANDALONE, SPEC_ONLY_ON_LIN, IMPL_ONLY_ON_SPEC, REPORTS_STANDALONE, HARNESS_NOT_ON_BENCH);
}
