package dev.samsa.harness.workload.queue;

import java.util.List;

/**
 * One completed operation of the queue workload, in the spirit of Jepsen's Kafka workload. Keys
 * are small integers, each mapped one-to-one to a partition of the workload's topic (key k is
 * partition k); values are unique per key and increase per producer.
 *
 * <ul>
 *   <li>{@code SEND}: {@code sends} lists the records of the operation in send order; on
 *       completion each carries the offset the broker gave it (-1 when unknown).
 *   <li>{@code POLL}: {@code polls} lists the records returned, in the order poll() returned
 *       them; {@code resets} lists the position changes the consumer made on its own during the
 *       operation (auto.offset.reset after OFFSET_OUT_OF_RANGE, truncation detected after a
 *       leader change): a poll may legitimately jump or go back there.
 *   <li>{@code ASSIGN}: {@code keys} is the consumer's new assignment (poll tracking restarts);
 *       {@code sends}/{@code polls} are empty.
 * </ul>
 *
 * @param outcome OK: happened; FAIL: definitely did not happen; INFO: unknown (timeout, crash, ...)
 * @param error the error behind a FAIL or INFO (Kafka's name), empty for OK
 */
public record QueueOp(
        int index,
        int process,
        Type type,
        long invokeNanos,
        long completeNanos,
        Outcome outcome,
        List<Integer> keys,
        List<Send> sends,
        List<Poll> polls,
        List<Reset> resets,
        String error) {

    public QueueOp {
        keys = List.copyOf(keys);
        sends = List.copyOf(sends);
        polls = List.copyOf(polls);
        resets = List.copyOf(resets);
    }

    public enum Type {
        SEND,
        POLL,
        ASSIGN
    }

    public enum Outcome {
        OK,
        FAIL,
        INFO
    }

    /** A record sent: key, value, and the offset it got (-1 when unknown). */
    public record Send(int key, long value, long offset) {}

    /** A record read: key, offset, value. */
    public record Poll(int key, long offset, long value) {}

    /** The consumer moved its position of {@code key} from {@code fromOffset} to {@code toOffset} on its own, for {@code reason}. */
    public record Reset(int key, long fromOffset, long toOffset, String reason) {}
}
