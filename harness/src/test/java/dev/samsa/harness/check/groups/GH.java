package dev.samsa.harness.check.groups;

import dev.samsa.harness.check.groups.GroupOp.Offset;
import dev.samsa.harness.check.groups.GroupOp.Outcome;
import dev.samsa.harness.check.groups.GroupOp.Rec;
import dev.samsa.harness.check.groups.GroupOp.Type;
import java.util.ArrayList;
import java.util.List;

/** A tiny builder of synthetic groups histories for the checker's tests; times are in milliseconds. */
final class GH {

    static final String G = "g1";
    private static final long MS = 1_000_000L;

    final GroupHistory h = new GroupHistory();

    List<GroupOp> ops() {
        return h.ops();
    }

    GH joinStarted(int process, long atMs) {
        h.event(process, G, Type.JOIN_STARTED, atMs * MS, -1, "", "", List.of(), "test");
        return this;
    }

    GH joined(int process, long atMs, int generation, String member, Integer... partitions) {
        return joinedAs(process, atMs, generation, member, "", partitions);
    }

    GH joinedAs(int process, long atMs, int generation, String member, String instance, Integer... partitions) {
        h.event(process, G, Type.JOINED, atMs * MS, generation, member, instance, List.of(partitions), "");
        return this;
    }

    GH revoked(int process, long atMs, Integer... partitions) {
        h.event(process, G, Type.REVOKED, atMs * MS, -1, "", "", List.of(partitions), "");
        return this;
    }

    GH lost(int process, long atMs, Integer... partitions) {
        h.event(process, G, Type.LOST, atMs * MS, -1, "", "", List.of(partitions), "");
        return this;
    }

    /** The dead-letter reader jumped to {@code to} on {@code partition}. */
    GH dltReset(long atMs, int partition, long to) {
        h.add(2, "", Type.RESET, atMs * MS, atMs * MS, Outcome.OK, -1, "", "", List.of(), offsets(partition, to), List.of(), false,
                "dead-letter topic: retention");
        return this;
    }

    GH leave(int process, long atMs) {
        h.event(process, G, Type.LEAVE, atMs * MS, -1, "", "", List.of(), "unsubscribe");
        return this;
    }

    GH crash(int process, long atMs) {
        h.event(process, G, Type.CRASH, atMs * MS, -1, "", "", List.of(), "kill");
        return this;
    }

    GH commit(int process, long fromMs, long toMs, Outcome outcome, int generation, String member, boolean onRevocation, long... pairs) {
        return commitAs(process, fromMs, toMs, outcome, generation, member, "", onRevocation, pairs);
    }

    GH commitAs(int process, long fromMs, long toMs, Outcome outcome, int generation, String member, String instance, boolean onRevocation,
            long... pairs) {
        h.add(process, G, Type.COMMIT, fromMs * MS, toMs * MS, outcome, generation, member, instance, List.of(), offsets(pairs), List.of(),
                onRevocation, outcome == Outcome.OK ? "" : "REQUEST_TIMED_OUT");
        return this;
    }

    GH fetch(int process, long fromMs, long toMs, long... pairs) {
        h.add(process, G, Type.FETCH, fromMs * MS, toMs * MS, Outcome.OK, -1, "", "", List.of(), offsets(pairs), List.of(), false, "");
        return this;
    }

    GH reset(int process, long atMs, long... pairs) {
        h.add(process, G, Type.RESET, atMs * MS, atMs * MS, Outcome.OK, -1, "", "", List.of(), offsets(pairs), List.of(), false, "NO_POSITION");
        return this;
    }

    /** Records as (partition, offset, value) triples. */
    GH process(int process, long atMs, long... triples) {
        h.add(process, G, Type.PROCESS, atMs * MS, atMs * MS, Outcome.OK, -1, "", "", List.of(), List.of(), recs(triples), false, "");
        return this;
    }

    GH send(long atMs, long... triples) {
        h.add(1, "", Type.SEND, atMs * MS, atMs * MS, Outcome.OK, -1, "", "", List.of(), List.of(), recs(triples), false, "");
        return this;
    }

    GH dlt(long atMs, Rec... recs) {
        h.add(2, "", Type.DLT, atMs * MS, atMs * MS, Outcome.OK, -1, "", "", List.of(), List.of(), List.of(recs), false, "");
        return this;
    }

    static List<Offset> offsets(long... pairs) {
        List<Offset> out = new ArrayList<>();
        for (int i = 0; i < pairs.length; i += 2) {
            out.add(new Offset((int) pairs[i], pairs[i + 1]));
        }
        return out;
    }

    static List<Rec> recs(long... triples) {
        List<Rec> out = new ArrayList<>();
        for (int i = 0; i < triples.length; i += 3) {
            out.add(new Rec((int) triples[i], triples[i + 1], triples[i + 2], ""));
        }
        return out;
    }
}
