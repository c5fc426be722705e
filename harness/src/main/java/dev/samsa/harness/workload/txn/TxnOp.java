package dev.samsa.harness.workload.txn;

import java.util.List;

/**
 * One completed operation of the {@code txn} or {@code eos} workload, after Jepsen's Kafka
 * transactional operations. Keys are small integers, each one partition of a topic (the txn
 * workload: key k is partition k of {@code txn}; eos: key k is partition k of the input topic,
 * key {@code 1000 + k} partition k of the output topic). Values are unique per key.
 *
 * <ul>
 *   <li>{@code TXN}: one transaction of a transactional producer: {@code writes} in send order,
 *       each with the offset the partition leader gave it (-1 when unknown) and when its send
 *       was invoked; {@code reads} the input a consume-transform-produce transaction consumed;
 *       {@code commitNanos} when commitTransaction was invoked (-1: never, e.g. aborted on
 *       purpose or the producer crashed first). Outcome OK: committed; FAIL: aborted, definitely
 *       never visible; INFO: unknown (the commit timed out, the producer crashed...).
 *   <li>{@code SEND}: non-transactional writes (the eos workload's order producer).
 *   <li>{@code POLL}: what a reader's poll returned, in order; {@code resets} the position changes
 *       its consumer made on its own (auto.offset.reset, truncation after a leader change).
 *   <li>{@code CRASH}: a process crashed and restarts with the same transactional.id (no reads or
 *       writes; its open transaction is recorded as its own INFO or FAIL TXN).
 * </ul>
 *
 * @param error Kafka's error name behind a FAIL or INFO, or why a transaction was aborted
 */
public record TxnOp(
        int index,
        int process,
        Type type,
        long invokeNanos,
        long completeNanos,
        Outcome outcome,
        List<Write> writes,
        List<Read> reads,
        List<Reset> resets,
        long commitNanos,
        String error) {

    public TxnOp {
        writes = List.copyOf(writes);
        reads = List.copyOf(reads);
        resets = List.copyOf(resets);
    }

    public enum Type {
        TXN,
        SEND,
        POLL,
        CRASH
    }

    public enum Outcome {
        OK,
        FAIL,
        INFO
    }

    /** A record written: key, value, the offset it got (-1 when unknown), and when its send was invoked. */
    public record Write(int key, long value, long offset, long sendNanos) {}

    /** A record read: key, offset, value. */
    public record Read(int key, long offset, long value) {}

    /** The consumer moved its position of {@code key} from {@code fromOffset} to {@code toOffset} on its own. */
    public record Reset(int key, long fromOffset, long toOffset, String reason) {}

    /** e.g. {@code process 3 op #17 (txn ok)}: how evidence names an operation. */
    public String describe() {
        return "process " + process + " op #" + index + " (" + type.name().toLowerCase(java.util.Locale.ROOT) + " "
                + outcome.name().toLowerCase(java.util.Locale.ROOT) + ")";
    }
}
