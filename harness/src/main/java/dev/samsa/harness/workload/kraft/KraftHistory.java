package dev.samsa.harness.workload.kraft;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The kraft workload's history: operations in completion order. */
final class KraftHistory {

    private final ArrayList<KraftOp> ops = new ArrayList<>();

    void add(int process, KraftOp.Type type, long invoke, long complete, KraftOp.Outcome outcome, long writeId, long offset,
            long readFrom, List<Long> read, String error) {
        ops.add(new KraftOp(ops.size(), process, type, invoke, complete, outcome, writeId, offset, readFrom, List.copyOf(read), error));
    }

    List<KraftOp> ops() {
        return Collections.unmodifiableList(ops);
    }
}
