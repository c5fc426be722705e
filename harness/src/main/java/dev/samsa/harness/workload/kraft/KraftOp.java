package dev.samsa.harness.workload.kraft;

import java.util.List;

/**
 * One completed operation of a kraft client: a metadata write (with its writeId and, when
 * acknowledged, the offset) or a read of committed entries from {@code readFrom} (the writeId
 * at each offset read, or -1 for entries that are not client records).
 */
record KraftOp(
        int index,
        int process,
        Type type,
        long invokeNanos,
        long completeNanos,
        Outcome outcome,
        long writeId,
        long offset,
        long readFrom,
        List<Long> readWriteIds,
        String error) {

    enum Type {
        WRITE,
        READ
    }

    /** ok: happened; fail: definitely did not happen; info: unknown. */
    enum Outcome {
        OK,
        FAIL,
        INFO
    }
}
