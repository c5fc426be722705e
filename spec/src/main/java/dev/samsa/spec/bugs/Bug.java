package dev.samsa.spec.bugs;

import dev.samsa.spec.invariant.Invariant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Historical Kafka correctness bugs that {@code --bug} switches back on, one faulty rule each
 * (catalog: kafka-semantics.md §2). The implementation consults {@code ctx.bug(Bug.X)} at the
 * exact place the fix went in; nothing else changes.
 */
public enum Bug {
    KAFKA_15489(
            "C1",
            "KAFKA-15489",
            "BUG_NO_CHECK_QUORUM",
            "KRaft leader",
            "A KRaft leader that cannot reach a majority keeps acting as leader (no check-quorum); fixed in 3.7.0.",
            List.of(Invariant.KRAFT_LEADER_RESIGNS));

    private final String catalogId;
    private final String jira;
    private final String flag;
    private final String component;
    private final String description;
    private final List<Invariant> violates;

    Bug(String catalogId, String jira, String flag, String component, String description, List<Invariant> violates) {
        this.catalogId = catalogId;
        this.jira = jira;
        this.flag = flag;
        this.component = component;
        this.description = description;
        this.violates = List.copyOf(violates);
    }

    /** The entry in kafka-semantics.md §2, e.g. C1. */
    public String catalogId() {
        return catalogId;
    }

    public String jira() {
        return jira;
    }

    /** The flag name of the catalog, e.g. BUG_NO_CHECK_QUORUM. */
    public String flag() {
        return flag;
    }

    public String component() {
        return component;
    }

    public String description() {
        return description;
    }

    /** The invariants a run with this bug is expected to violate. */
    public List<Invariant> violates() {
        return violates;
    }

    /** Accepts the JIRA id (KAFKA-15489), the flag (BUG_NO_CHECK_QUORUM) or the catalog id (C1), any case. */
    public static Optional<Bug> parse(String name) {
        String n = name.trim().toUpperCase(Locale.ROOT);
        for (Bug b : values()) {
            if (b.jira.equals(n) || b.flag.equals(n) || b.catalogId.equals(n) || b.name().equals(n)) {
                return Optional.of(b);
            }
        }
        return Optional.empty();
    }
}
