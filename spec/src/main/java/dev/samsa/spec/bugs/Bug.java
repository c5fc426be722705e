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
            List.of(Invariant.KRAFT_LEADER_RESIGNS)),
    KAFKA_1211(
            "R1",
            "KAFKA-1211",
            "BUG_HW_TRUNCATION",
            "follower truncation",
            "A replica that becomes follower (or restarts) truncates its log to its own high watermark, which lags the leader's by a fetch round, instead of asking the leader by epoch (KIP-101, fixed in 0.11.0).",
            List.of(Invariant.REPLICA_ISR_COMPLETE, Invariant.QUEUE_LOST_WRITE, Invariant.REPLICA_COMMITTED_CONSISTENT, Invariant.REPLICA_HW_MONOTONIC)),
    KAFKA_6361(
            "R2",
            "KAFKA-6361",
            "BUG_EPOCHLESS_TRUNCATION_OFFSET",
            "OffsetsForLeaderEpoch",
            "The leader answers OffsetsForLeaderEpoch(E) with the start offset of its first epoch after E even when it never had E, so a follower keeps a divergent suffix (KIP-279, fixed in 2.0.0).",
            List.of(Invariant.NODE_ASSERTION, Invariant.REPLICA_COMMITTED_CONSISTENT, Invariant.QUEUE_INCONSISTENT_OFFSETS)),
    KAFKA_7128(
            "R3",
            "KAFKA-7128",
            "BUG_ISR_JOIN_AT_STALE_HW",
            "ISR expansion",
            "A follower joins the ISR once it reaches the leader's high watermark, even when that HW lags behind the leader's epoch start offset (fixed in 2.0.1/2.1.0).",
            List.of(Invariant.REPLICA_ISR_COMPLETE, Invariant.QUEUE_LOST_WRITE, Invariant.REPLICA_COMMITTED_CONSISTENT)),
    KAFKA_7164(
            "R4",
            "KAFKA-7164",
            "BUG_SKIP_TRUNCATE_SAME_LEADER",
            "become-follower",
            "A leadership update naming the leader the replica already follows skips truncation, even when epochs were missed (fixed in 2.0.1/2.1.0).",
            List.of(Invariant.NODE_ASSERTION, Invariant.REPLICA_COMMITTED_CONSISTENT, Invariant.QUEUE_INCONSISTENT_OFFSETS)),
    KAFKA_7395(
            "R5",
            "KAFKA-7395",
            "BUG_NO_FETCH_EPOCH_FENCING",
            "fetch fencing",
            "Fetch and OffsetsForLeaderEpoch carry no current leader epoch, so a follower truncates against and replicates from a broker with stale leadership (KIP-320, fixed in 2.1.0).",
            List.of(Invariant.REPLICA_HW_MONOTONIC, Invariant.REPLICA_COMMITTED_CONSISTENT, Invariant.QUEUE_INCONSISTENT_OFFSETS)),
    KAFKA_2143(
            "R6",
            "KAFKA-2143",
            "BUG_FULL_TRUNCATE_ON_OOR",
            "out-of-range handling",
            "On OFFSET_OUT_OF_RANGE a follower whose offset is not behind the leader's log end (asked by ListOffsets after the error) wipes its whole log and refetches from the leader's log start (fixed in 0.9.0.1). Brings back that release's follower: no leader epochs, truncation to its own HW on becoming follower (KAFKA-1211's rule).",
            List.of(Invariant.REPLICA_ISR_COMPLETE, Invariant.REPLICA_HW_MONOTONIC, Invariant.QUEUE_LOST_WRITE, Invariant.REPLICA_COMMITTED_CONSISTENT)),
    KAFKA_14704(
            "R7",
            "KAFKA-14704",
            "BUG_HW_BEFORE_DIVERGENCE_TRUNCATE",
            "follower fetch handling",
            "A follower applies the high watermark of a Fetch response before truncating the diverging suffix the same response reports, exposing uncommitted data (fixed in 3.4.1/3.5.0).",
            List.of(Invariant.REPLICA_HW_MONOTONIC, Invariant.REPLICA_COMMITTED_CONSISTENT)),
    KAFKA_1555(
            "R8",
            "KAFKA-1555",
            "BUG_NO_MIN_ISR",
            "acks=all",
            "acks=all waits only for the current ISR, even when it has shrunk to the leader alone: min.insync.replicas is ignored (fixed in 0.8.2).",
            List.of(Invariant.REPLICA_HW_REPLICATED, Invariant.QUEUE_LOST_WRITE)),
    KAFKA_14139(
            "R11",
            "KAFKA-14139",
            "BUG_NO_BROKER_EPOCH_FENCING",
            "ISR membership",
            "The leader credits a Fetch to a replica without checking its broker epoch, and the controller accepts ISR members without checking theirs: a delayed fetch from a wiped broker's old incarnation brings an empty replica into the ISR (KIP-903, fixed in 3.5.0).",
            List.of(Invariant.REPLICA_HW_REPLICATED, Invariant.REPLICA_ISR_COMPLETE, Invariant.QUEUE_LOST_WRITE)),
    KAFKA_5634(
            "R12",
            "KAFKA-5634",
            "BUG_RETENTION_PAST_HW",
            "retention",
            "Retention deletes segments without regard to the high watermark, so the log start offset can pass it (fixed in 0.11.0.1).",
            List.of(Invariant.REPLICA_HW_LE_LEO, Invariant.QUEUE_LOST_WRITE)),
    KAFKA_14034(
            "P1",
            "KAFKA-14034",
            "BUG_RESET_SEQ_WITH_INFLIGHT",
            "idempotent producer",
            "On a batch's fatal failure the idempotent producer bumps its epoch and resets sequence numbers at once, while earlier batches are still in flight; their retries are then accepted as new records (duplicates).",
            List.of(Invariant.QUEUE_DUPLICATE)),
    KAFKA_14196(
            "G1",
            "KAFKA-14196",
            "BUG_FETCH_DURING_REVOKE_COMMIT",
            "consumer revoke",
            "While the commit before an eager revocation is in flight, the consumer keeps fetching and returning records of the partitions it is about to give up, which their next owner processes again (fixed in 3.2.3/3.3.0).",
            List.of(Invariant.GROUP_NO_DELIVERY_AFTER_REVOKE)),
    KAFKA_10284(
            "G2",
            "KAFKA-10284",
            "BUG_STATIC_REJOIN_NOT_PERSISTED",
            "static membership",
            "When a static member rejoins a stable group under a new member id, the coordinator replaces the id in memory only; after a coordinator fail-over the old id is back, so the fenced instance is accepted again (fixed in 2.6.1/2.7.0).",
            List.of(Invariant.GROUP_SINGLE_OWNER, Invariant.GROUP_STABLE_AFTER_HEAL)),
    KAFKA_14639(
            "G3",
            "KAFKA-14639",
            "BUG_REVOKE_AND_ASSIGN_SAME_ROUND",
            "cooperative assignor",
            "The cooperative-sticky assignor trusts only the highest-generation claim on a partition, so a partition claimed by a member that missed a rebalance can be revoked and given to another member in the same round (fixed in 3.4.1/3.5.0).",
            List.of(Invariant.GROUP_SINGLE_OWNER)),
    KAFKA_8069(
            "G4",
            "KAFKA-8069",
            "BUG_OFFSET_EXPIRE_ON_LOAD",
            "offset loading",
            "Offsets loaded on coordinator fail-over get an explicit expiry time already in the past, so the next expiry sweep deletes live offsets (fixed in 2.2.0).",
            List.of(Invariant.GROUP_OFFSET_DURABLE, Invariant.GROUP_OFFSETS_LINEARIZABLE)),
    KAFKA_5376(
            "T4",
            "KAFKA-5376",
            "BUG_DELAYED_FETCH_DROPS_ABORTED",
            "delayed fetch",
            "A read_committed fetch completed from the delayed-fetch purgatory (long poll) answers without the aborted-transaction list,"
                    + " so the consumer returns the records of an aborted transaction (fixed in 0.11.0.0).",
            List.of(Invariant.TXN_ABORTED_READ)),
    KAFKA_14055(
            "T5",
            "KAFKA-14055",
            "BUG_CLEANER_KEYS_CONTROL_BATCHES",
            "log cleaner",
            "The log cleaner looks a transaction marker's key up in the key -> latest offset map like a record's key, so a later record"
                    + " with the same key bytes removes the marker; rebuilt producer state then sees the transaction as still open"
                    + " and the last stable offset stops, and a read_committed consumer that meets an aborted transaction whose ABORT"
                    + " marker is gone drops the producer's later, committed batches (fixed in 3.0.2/3.1.2/3.2.1/3.3.0).",
            List.of(Invariant.TXN_NO_HANGING_TRANSACTION, Invariant.TXN_TORN_TRANSACTION, Invariant.TXN_LOST_WRITE, Invariant.TXN_ABORTED_READ)),
    KAFKA_17582(
            "T8",
            "KAFKA-17582",
            "BUG_NO_REWIND_ON_ABORT",
            "EOS loop",
            "The consume-transform-produce loop (an application rule, not the broker's) keeps its consumer's position after"
                    + " abortTransaction instead of seeking back to the last committed offsets, so the aborted transaction's input is"
                    + " never processed again (Jepsen 2024).",
            List.of(Invariant.EOS_EXACTLY_ONCE)),
    KAFKA_6119(
            "T1",
            "KAFKA-6119",
            "BUG_NO_EPOCH_BUMP_ON_TXN_TIMEOUT",
            "transaction coordinator",
            "The coordinator aborts a transaction that outlived transaction.timeout.ms without bumping the producer epoch, so the"
                    + " still-running producer goes on adding partitions and commits: part of its transaction was aborted, the rest"
                    + " committed (fixed in 0.11.0.2/1.0.0).",
            List.of(Invariant.TXN_TORN_TRANSACTION, Invariant.TXN_LOST_WRITE)),
    KAFKA_12671(
            "T2",
            "KAFKA-12671",
            "BUG_NO_TXN_VERIFICATION",
            "partition leader",
            "A partition leader opens a transaction for any transactional batch of the producer's current epoch without asking the"
                    + " coordinator (no KIP-890 part 1 verification), so a produce delayed past its transaction's abort opens a"
                    + " transaction no marker will ever close and the last stable offset hangs, or joins the producer's next transaction"
                    + " and is committed with it (fixed in 3.5/3.6). Such brokers ran"
                    + " transaction.version 1, so the coordinator keeps the epoch across transactions under this flag too.",
            List.of(Invariant.TXN_NO_HANGING_TRANSACTION, Invariant.TXN_ABORTED_READ)),
    KAFKA_17754(
            "T3",
            "KAFKA-17754",
            "BUG_SAME_EPOCH_ACROSS_TXNS",
            "transaction coordinator",
            "Transactions of a producer share one (producer id, epoch) (transaction.version 1: no epoch bump at EndTxn), so a delayed"
                    + " produce or EndTxn of one transaction lands in the next: aborted writes become visible, a transaction is"
                    + " committed early and torn (fixed by KIP-890 part 2 in 4.0).",
            List.of(Invariant.TXN_ABORTED_READ, Invariant.TXN_TORN_TRANSACTION, Invariant.TXN_LOST_WRITE)),
    KAFKA_10080(
            "T7",
            "KAFKA-10080",
            "BUG_DUPLICATE_TXN_COMPLETION",
            "transaction coordinator",
            "The completion of a transaction whose markers are written can run twice; the second writes that transaction's"
                    + " Complete state over the next transaction of the same id, whose markers are then never written, or are written by a later transaction that commits what the"
                    + " forgotten one's producer saw fail (fixed in 2.6.0).",
            List.of(Invariant.TXN_NO_HANGING_TRANSACTION, Invariant.TXN_TORN_TRANSACTION, Invariant.TXN_ABORTED_READ));

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
