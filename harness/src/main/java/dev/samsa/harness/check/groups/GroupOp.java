package dev.samsa.harness.check.groups;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * One entry of a {@code groups} history: what a member (or the producer, or the final
 * dead-letter reader) did, with simulated invocation and completion times. Members are client
 * processes; a process keeps its number across crashes and restarts, while its {@code memberId}
 * (given by the coordinator) changes.
 *
 * @param index dense position in the history
 * @param process the client process (node id)
 * @param group the consumer group ({@code ""} for the producer and the dead-letter reader)
 * @param type what happened
 * @param invokeNs when it started (simulated nanoseconds)
 * @param completeNs when it ended; equal to {@code invokeNs} for instant events
 * @param outcome {@code OK}, {@code FAIL} (definitely not applied) or {@code INFO} (unknown)
 * @param generation the group generation the member was in ({@code -1} when none)
 * @param memberId the member id the coordinator gave ({@code ""} when none)
 * @param instanceId {@code group.instance.id} of a static member ({@code ""} for a dynamic one)
 * @param partitions JOINED: the new assignment; REVOKED / LOST: the partitions given up;
 *     FETCH: the partitions asked for
 * @param offsets COMMIT: the offsets committed; FETCH: what was read ({@code -1}: no committed
 *     offset); RESET: the new position
 * @param records PROCESS: the records handed to the application, in order; SEND: the records
 *     the producer wrote (acknowledged, with their offsets); DLT: the dead-letter records read at the end
 * @param onRevocation COMMIT: sent on revocation (before giving the partitions up)
 * @param detail a reason (JOIN_STARTED), the error name behind a fail or info, or a fault's name
 */
public record GroupOp(
        int index,
        int process,
        String group,
        Type type,
        long invokeNs,
        long completeNs,
        Outcome outcome,
        int generation,
        String memberId,
        String instanceId,
        List<Integer> partitions,
        List<Offset> offsets,
        List<Rec> records,
        boolean onRevocation,
        String detail) {

    public GroupOp {
        partitions = List.copyOf(partitions);
        offsets = List.copyOf(offsets);
        records = List.copyOf(records);
        if (completeNs < invokeNs) {
            throw new IllegalArgumentException("op " + index + " completes before it is invoked");
        }
    }

    public enum Type {
        /** The member (re)joins its group: onJoinStarted. */
        JOIN_STARTED,
        /** The member got a generation and its assignment: onJoined. */
        JOINED,
        /** onPartitionsRevoked returned. */
        REVOKED,
        /** onPartitionsLost (the member learnt it was no longer in the generation) or a fatal error. */
        LOST,
        /** Records handed to the application and processed. */
        PROCESS,
        /** An offset commit, from send to completion (explicit or automatic). */
        COMMIT,
        /** A committed() call: reads the group's committed offsets. */
        FETCH,
        /** A position the consumer changed on its own (auto.offset.reset). */
        RESET,
        /** The member's process was killed: everything it owned is gone with it. */
        CRASH,
        /** The member left the group on purpose (unsubscribe / close). */
        LEAVE,
        /** The member stopped polling for a while (a client fault). */
        STALL,
        /** The producer's acknowledged records of the topic. */
        SEND,
        /** The dead-letter topic's records, read at the end. */
        DLT
    }

    public enum Outcome {
        OK,
        FAIL,
        INFO
    }

    /** A partition's offset; {@code -1} stands for "no committed offset". On disk: {@code [partition, offset]}. */
    @JsonFormat(shape = JsonFormat.Shape.ARRAY)
    @JsonPropertyOrder({"partition", "offset"})
    public record Offset(int partition, long offset) {}

    /**
     * A record: partition and offset in its topic, its value, and the dead-letter error header
     * ({@code ""} elsewhere). On disk: {@code [partition, offset, value, header]}.
     */
    @JsonFormat(shape = JsonFormat.Shape.ARRAY)
    @JsonPropertyOrder({"partition", "offset", "value", "header"})
    public record Rec(int partition, long offset, long value, String header) {}

    @JsonIgnore
    public boolean instant() {
        return invokeNs == completeNs;
    }
}
