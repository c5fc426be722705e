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
            "a voter's disk was wiped (the quorum may have diverged for good)"),

    // ------------------------------------------------------------------ data plane: replicas (after every event, and at the end)
    REPLICA_HW_LE_LEO(
            "replica.hw-le-leo",
            Kind.EVERY_EVENT,
            "On every replica, log start offset <= high watermark <= log end offset.",
            "Kafka's UnifiedLog invariants; KAFKA-5634 (log start past the HW)",
            ""),
    REPLICA_HW_MONOTONIC(
            "replica.hw-monotonic",
            Kind.EVERY_EVENT,
            "A partition leader's high watermark never decreases while it stays leader of one epoch, and no replica ever exposes a high watermark above what its leader committed.",
            "KIP-101/KIP-320; KAFKA-14704; Kip320.tla",
            "unclean.leader.election.enable=true"),
    REPLICA_HW_REPLICATED(
            "replica.hw-replicated",
            Kind.EVERY_EVENT,
            "Whenever a partition leader moves its high watermark (the point acks=all acknowledges), at least min(min.insync.replicas, replication factor) replicas hold the log up to it.",
            "min.insync.replicas (KAFKA-1555); HW not advancing under min ISR (KAFKA-15583, Kafka 3.7); KIP-903 (a stale fetch must not count)",
            "unclean.leader.election.enable=true; in-sync replicas lost unflushed data beyond min.insync.replicas-1"),
    REPLICA_ISR_COMPLETE(
            "replica.isr-complete",
            Kind.EVERY_EVENT,
            "Every in-sync replica (in the active controller's committed ISR) holds the log up to the highest high watermark any leader of the partition reached, so any clean election keeps every committed record (leader completeness).",
            "KAFKA-7128; Vanlightly kafka-tlaplus LeaderCandidateCompletenessProperty; hachikuji StrongIsr",
            "unclean.leader.election.enable=true; a replica that lost unflushed data to power loss (until it re-registers)"),
    REPLICA_COMMITTED_CONSISTENT(
            "replica.committed-consistent",
            Kind.EVERY_EVENT,
            "Every offset below a replica's high watermark holds the same batch (producer, sequence, leader epoch) on every replica that has it: replicas never diverge below the HW (Log Matching).",
            "KIP-101, KIP-279, KIP-320; Vanlightly kafka-tlaplus LogMatchingProperty",
            "unclean.leader.election.enable=true; acks=0 or 1 (data exposed before it is on a majority); an in-sync replica lost unflushed data to power loss"),
    REPLICA_ISR_CONSISTENT(
            "replica.isr-consistent",
            Kind.END_OF_RUN,
            "After heal and quiesce, every partition has a leader and every in-sync replica holds exactly the leader's log below the high watermark.",
            "Kafka's ISR contract; hachikuji StrongIsr",
            "unclean.leader.election.enable=true"),

    // ------------------------------------------------------------------ queue workload: Jepsen's Kafka anomaly taxonomy (end of run)
    QUEUE_LOST_WRITE(
            "queue.lost-write",
            Kind.END_OF_RUN,
            "An acknowledged send at or below the highest offset any consumer read of its partition was read by somebody.",
            "Jepsen kafka lost-write; KIP-101; acks=all + min.insync.replicas",
            "acks=0 or 1; unclean.leader.election.enable=true; power loss of in-sync replicas beyond min.insync.replicas-1 before a flush"),
    QUEUE_UNSEEN(
            "queue.unseen",
            Kind.END_OF_RUN,
            "After heal and the final reads, every acknowledged send is readable by a consumer (none unseen).",
            "Jepsen kafka unseen; Kafka's durability promise",
            "acks=0 or 1; unclean.leader.election.enable=true; power loss beyond min.insync.replicas-1; records deleted by retention before anyone read them"),
    QUEUE_DUPLICATE(
            "queue.duplicate",
            Kind.END_OF_RUN,
            "No value appears at two offsets of a partition.",
            "Jepsen kafka duplicate; KIP-98 idempotent producer",
            "enable.idempotence=false (retries duplicate); and wherever durability is not promised (a lost log forgets the producer state that recognises retries)"),
    QUEUE_INCONSISTENT_OFFSETS(
            "queue.inconsistent-offsets",
            Kind.END_OF_RUN,
            "No two clients observe different values at one offset of one partition.",
            "Jepsen kafka inconsistent-offsets; Log Matching",
            "unclean.leader.election.enable=true; acks=0 or 1 with a leader change; power loss beyond min.insync.replicas-1"),
    QUEUE_NONMONOTONIC_SEND(
            "queue.nonmonotonic-send",
            Kind.END_OF_RUN,
            "A producer's successive acknowledged sends to one partition land at increasing offsets.",
            "Jepsen kafka nonmonotonic-send; max.in.flight <= 5 with idempotence keeps order",
            "enable.idempotence=false with max.in.flight.requests.per.connection > 1 (retries reorder)"),
    QUEUE_NONMONOTONIC_POLL(
            "queue.nonmonotonic-poll",
            Kind.END_OF_RUN,
            "A consumer's successive polls of one assigned partition go forward in offset order (unless it seeked).",
            "Jepsen kafka nonmonotonic-poll",
            "unclean.leader.election.enable=true (truncation makes the consumer reset)"),
    QUEUE_POLL_SKIP(
            "queue.poll-skip",
            Kind.END_OF_RUN,
            "A consumer's successive polls of one assigned partition skip no offset known to hold a record (unless it seeked or retention removed it).",
            "Jepsen kafka poll-skip",
            "unclean.leader.election.enable=true; auto.offset.reset after retention"),
    QUEUE_INT_SEND_SKIP(
            "queue.int-send-skip",
            Kind.END_OF_RUN,
            "Within one producer's batch of sends to a partition, acknowledged records sit at consecutive offsets of that partition's records."
                    + " Kafka does not promise this when producers run concurrently (their batches interleave, as Jepsen allows),"
                    + " so a skip is always reported as expected, only to make the interleaving visible.",
            "Jepsen kafka int-send-skip (allowed by Jepsen only across transactions)",
            "enable.idempotence=false"),
    QUEUE_INT_POLL_SKIP(
            "queue.int-poll-skip",
            Kind.END_OF_RUN,
            "Within one poll, the records returned for a partition are consecutive in that partition's record order.",
            "Jepsen kafka int-poll-skip / int-nonmonotonic-poll",
            ""),

    // --- consumer groups (classic protocol) ---
    GROUP_SINGLE_OWNER(
            "group.single-owner",
            Kind.END_OF_RUN,
            "No two live members of a group own the same partition at the same time (eager: never across overlapping generations;"
                    + " cooperative: a partition is revoked from its old owner before it is assigned to the new one).",
            "KIP-429; classic group protocol; KAFKA-10284; KAFKA-14639",
            ""),
    GROUP_COMMITTED_MONOTONIC(
            "group.committed-monotonic",
            Kind.END_OF_RUN,
            "A group's committed offset of a partition never moves backwards, except by an explicit seek or an auto.offset.reset.",
            "OffsetCommit fencing by generation and member",
            ""),
    GROUP_OFFSET_DURABLE(
            "group.offset-durable",
            Kind.END_OF_RUN,
            "An acknowledged offset commit stays readable (OffsetFetch) until a later commit replaces it or the group's offsets"
                    + " expire offsets.retention.minutes after the group became empty.",
            "KIP-211; KAFKA-8069",
            "offsets.topic replicas lost beyond what min.insync.replicas survives"),
    GROUP_OFFSETS_LINEARIZABLE(
            "group.offsets-linearizable",
            Kind.END_OF_RUN,
            "Each group's committed offsets, per partition, are linearizable as registers (commits write, offset fetches read).",
            "__consumer_offsets is a replicated log read and written by its leader only",
            ""),
    GROUP_AT_LEAST_ONCE(
            "group.at-least-once",
            Kind.END_OF_RUN,
            "With commits after processing, every record below a group's final committed offset was processed by some member.",
            "at-least-once processing: commit after process",
            "enable.auto.commit=true (at-most-once: auto-commit may commit records the application never finished)"),
    GROUP_NO_DELIVERY_AFTER_REVOKE(
            "group.no-delivery-after-revoke",
            Kind.END_OF_RUN,
            "Once a member commits a partition's position on revocation, it hands the application no record of that partition at or"
                    + " past the committed position (so the next owner does not process them again).",
            "KAFKA-14196; commit on revoke",
            ""),
    GROUP_DEAD_LETTER(
            "group.dead-letter",
            Kind.END_OF_RUN,
            "Every poison record processed by a group reaches the dead-letter topic with its error header.",
            "the seed article's dead-letter pattern",
            ""),
    GROUP_STABLE_AFTER_HEAL(
            "group.stable-after-heal",
            Kind.END_OF_RUN,
            "After every fault is healed, each group becomes stable with every partition assigned to a live member within a bound.",
            "classic group protocol liveness",
            ""),

    // --- transactions ---
    TXN_ABORTED_READ(
            "txn.aborted-read",
            Kind.END_OF_RUN,
            "A read_committed consumer never returns a record of an aborted transaction.",
            "KIP-98 read_committed; Jepsen G1a; KAFKA-5376",
            ""),
    TXN_NO_HANGING_TRANSACTION(
            "txn.no-hanging-transaction",
            Kind.END_OF_RUN,
            "Once no client transaction is open and faults are healed, every partition's last stable offset reaches its high watermark"
                    + " within a bound past transaction.timeout.ms (no transaction stays open on a partition forever).",
            "KIP-98 last stable offset; KAFKA-12671; KAFKA-14055",
            ""),
    TXN_INTERMEDIATE_READ(
            "txn.intermediate-read",
            Kind.END_OF_RUN,
            "A read_committed consumer never returns a record of a transaction that was still writing: no poll completes with a value"
                    + " before its transaction's last send to that partition was invoked.",
            "KIP-98 read_committed; Adya G1b; Jepsen kafka",
            "isolation.level=read_uncommitted"),
    TXN_PRECOMMITTED_READ(
            "txn.precommitted-read",
            Kind.END_OF_RUN,
            "A read_committed consumer never returns a record before its transaction's commit was requested (read of uncommitted data).",
            "KIP-98 read_committed; Jepsen precommitted-read",
            "isolation.level=read_uncommitted"),
    TXN_TORN_TRANSACTION(
            "txn.torn-transaction",
            Kind.END_OF_RUN,
            "A read_committed reader that saw a write of a committed transaction also saw every other write of it on the partitions it"
                    + " read past (transactions are atomic).",
            "KIP-98 atomic multi-partition writes; KAFKA-6119; KAFKA-17754",
            "acknowledged writes not durable (acks, unclean election, power loss beyond min.insync.replicas-1)"),
    TXN_LOST_WRITE(
            "txn.lost-write",
            Kind.END_OF_RUN,
            "Every write of a committed (acknowledged) transaction is read: none is missing below the highest offset read of its"
                    + " partition, and, once the final reads reached every partition's end, none is unread.",
            "KIP-98; Jepsen lost-write; KAFKA-6119; KAFKA-17754",
            "acknowledged writes not durable (acks, unclean election, power loss beyond min.insync.replicas-1)"),
    TXN_DUPLICATE(
            "txn.duplicate",
            Kind.END_OF_RUN,
            "No value appears at two offsets of its partition (transactional producers are idempotent).",
            "KIP-98 idempotence; Jepsen duplicate",
            "writes not durable (a lost log forgets the producer state that recognises retries)"),
    TXN_G0(
            "txn.g0",
            Kind.END_OF_RUN,
            "No cycle of write-write dependencies between transactions (write order by offsets). Kafka does not isolate writes, so"
                    + " concurrent transactions interleave and such cycles are always expected.",
            "Adya G0; Elle over offsets; Jepsen kafka allows G0",
            "always: Kafka does not isolate writes (reported as expected)"),
    TXN_G1C(
            "txn.g1c",
            Kind.END_OF_RUN,
            "No cycle of dependencies between transactions that includes a write-read edge (a transaction read another's write):"
                    + " a cycle of write-read edges alone is a violation; one that needs a write-write edge inferred from offsets is"
                    + " expected (writes are not isolated).",
            "Adya G1c; Elle over offsets; Jepsen kafka (G1c allowed with ww inference)",
            "cycles that need a write-write edge (inferred from offsets): Kafka does not isolate writes"),
    EOS_EXACTLY_ONCE(
            "eos.exactly-once",
            Kind.END_OF_RUN,
            "The consume-transform-produce loop processes every committed input exactly once: the per-region counts a read_committed"
                    + " reader sums from the output equal the counts computed from the input log.",
            "KIP-98/KIP-447 exactly-once; KAFKA-17582",
            "input or output writes not durable (acks, unclean election, power loss beyond min.insync.replicas-1)");

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
