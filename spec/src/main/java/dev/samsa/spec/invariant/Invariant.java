package dev.samsa.spec.invariant;

import java.util.Optional;

/**
 * The catalog of every invariant samsa checks. Results, reports and bug flags name invariants
 * by {@link #id()}. {@link #notPromisedUnder()} says under which settings Kafka itself does
 * not promise the property, so a violation there is reported as expected, not as a bug.
 */
public enum Invariant {
    NODE_ASSERTION(
            "node.assertion",
            Kind.EVERY_EVENT,
            "No node's own assertion fails: a state machine never reaches a state its code rules out (two leaders in one epoch, truncation below the high watermark...).",
            "the implementation's preconditions",
            "the run went beyond what the configuration promises (e.g. a KRaft voter's disk was wiped)"),
    DETERMINISM(
            "sim.deterministic",
            Kind.END_OF_RUN,
            "The same seed and options give the same trace hash when run again.",
            "samsa's contract: one seed reproduces everything",
            ""),
    KRAFT_SINGLE_LEADER(
            "kraft.single-leader",
            Kind.EVERY_EVENT,
            "At most one controller is leader of any given epoch.",
            "KIP-595; Raft Election Safety; RaftEventSimulationTest.SingleLeader",
            "a voter's disk was wiped (it forgets its vote)"),
    KRAFT_EPOCH_MONOTONIC(
            "kraft.epoch-monotonic",
            Kind.EVERY_EVENT,
            "A voter's epoch never decreases, across restarts too (it is persisted before use).",
            "KIP-595 quorum-state file",
            "the voter's disk was wiped"),
    KRAFT_HW_MONOTONIC(
            "kraft.hw-monotonic",
            Kind.EVERY_EVENT,
            "A controller's high watermark never decreases within one incarnation.",
            "KIP-595; RaftEventSimulationTest.MonotonicHighWatermark",
            "a voter's disk was wiped"),
    KRAFT_COMMITTED_CONSISTENT(
            "kraft.committed-consistent",
            Kind.EVERY_EVENT,
            "Every entry below some controller's high watermark is identical (offset, epoch, record) on every controller that has it, and is never lost.",
            "KIP-595; Raft Log Matching and Leader Completeness; RaftEventSimulationTest.ConsistentCommittedData",
            "a voter's disk was wiped"),
    KRAFT_LEADER_RESIGNS(
            "kraft.check-quorum",
            Kind.EVERY_EVENT,
            "A leader that has not been fetched from by a majority of voters for controller.quorum.fetch.timeout.ms resigns (within a 50% grace).",
            "KIP-595 (fetch timeout), KAFKA-15489",
            ""),
    KRAFT_ACKED_COMMITTED_ONCE(
            "kraft.acked-committed-once",
            Kind.END_OF_RUN,
            "Every acknowledged metadata write is in the committed log exactly once, and a write acknowledged before another was invoked precedes it.",
            "KIP-595; linearizable replicated log",
            "a voter's disk was wiped"),
    KRAFT_NO_PHANTOM(
            "kraft.no-phantom-write",
            Kind.END_OF_RUN,
            "Every committed client record was written by some client, and a write that definitely failed is not committed.",
            "KIP-595",
            ""),
    KRAFT_CONVERGES(
            "kraft.converges-after-heal",
            Kind.END_OF_RUN,
            "After the faults heal, one leader is elected, every controller catches up to its high watermark and every live broker is registered and unfenced within the quiesce phase.",
            "KIP-595 liveness; KIP-631 broker lifecycle",
            "a voter's disk was wiped (the quorum may have diverged for good)");

    /** When an invariant is evaluated. */
    public enum Kind {
        /** After every simulation event, on the nodes' live state. */
        EVERY_EVENT,
        /** Once, on the history and end state after the quiesce phase. */
        END_OF_RUN
    }

    private final String id;
    private final Kind kind;
    private final String statement;
    private final String source;
    private final String notPromisedUnder;

    Invariant(String id, Kind kind, String statement, String source, String notPromisedUnder) {
        this.id = id;
        this.kind = kind;
        this.statement = statement;
        this.source = source;
        this.notPromisedUnder = notPromisedUnder;
    }

    public String id() {
        return id;
    }

    public Kind kind() {
        return kind;
    }

    public String statement() {
        return statement;
    }

    public String source() {
        return source;
    }

    /** Empty when Kafka promises it under every setting samsa runs. */
    public String notPromisedUnder() {
        return notPromisedUnder;
    }

    public static Optional<Invariant> byId(String id) {
        for (Invariant i : values()) {
            if (i.id.equals(id)) {
                return Optional.of(i);
            }
        }
        return Optional.empty();
    }
}
