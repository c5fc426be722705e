package dev.samsa.harness.cli;

import dev.samsa.spec.bugs.Bug;
import dev.samsa.spec.config.ConfigKey;
import dev.samsa.spec.config.KafkaConfigs;
import dev.samsa.spec.invariant.Invariant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;

/** The listing commands: bugs, invariants, settings. */
final class CatalogCommands {

    private CatalogCommands() {}

    @Command(name = "bugs", mixinStandardHelpOptions = true,
            description = "List the historical Kafka bugs --bug can switch back on, and the invariant each violates.")
    static final class Bugs implements Callable<Integer> {
        @Override
        public Integer call() {
            System.out.printf("%-12s %-4s %-28s %-16s %-24s %s%n", "JIRA", "id", "flag", "component", "violates", "what the bug does");
            for (Bug b : Bug.values()) {
                System.out.printf("%-12s %-4s %-28s %-16s %-24s %s%n", b.jira(), b.catalogId(), b.flag(), b.component(),
                        b.violates().stream().map(Invariant::id).collect(Collectors.joining(",")), b.description());
            }
            return 0;
        }
    }

    @Command(name = "invariants", mixinStandardHelpOptions = true,
            description = "List every invariant samsa checks: id, when it is checked, statement, source, and where Kafka does not promise it.")
    static final class Invariants implements Callable<Integer> {
        @Override
        public Integer call() {
            for (Invariant i : Invariant.values()) {
                System.out.printf("%s  [%s]%n  %s%n  source: %s%n", i.id(), i.kind() == Invariant.Kind.EVERY_EVENT ? "after every event" : "end of run",
                        i.statement(), i.source());
                if (!i.notPromisedUnder().isEmpty()) {
                    System.out.printf("  not promised when: %s%n", i.notPromisedUnder());
                }
                System.out.println();
            }
            return 0;
        }
    }

    @Command(name = "settings", mixinStandardHelpOptions = true,
            description = "List every setting --set accepts, with Kafka's default and the values swarm runs draw from.")
    static final class Settings implements Callable<Integer> {
        @Override
        public Integer call() {
            List<ConfigKey> keys = KafkaConfigs.all();
            for (ConfigKey k : keys) {
                System.out.printf("%-42s %-10s default %-8s%s%n  %s%n", k.name(), k.scope().label(), k.defaultValue(),
                        k.swarmValues().isEmpty() ? "" : " swarm " + String.join("|", k.swarmValues()), k.description());
            }
            return 0;
        }
    }
}
