package dev.samsa.impl.replication;

import dev.samsa.impl.log.AppendResult;
import dev.samsa.impl.node.Context;
import dev.samsa.impl.protocol.ApiMessage.PartitionProduceResponse;
import dev.samsa.impl.protocol.ApiMessage.ProduceResponse;
import dev.samsa.impl.protocol.Errors;
import dev.samsa.impl.protocol.TopicPartition;
import java.util.ArrayList;
import java.util.List;

/** A parked acks=all produce. */
final class DelayedProduce {
    static final class Waiting {
        final TopicPartition tp;
        final long requiredOffset;
        final int leaderEpoch;
        final AppendResult append;
        Errors result;

        Waiting(TopicPartition tp, long requiredOffset, int leaderEpoch, AppendResult append) {
            this.tp = tp;
            this.requiredOffset = requiredOffset;
            this.leaderEpoch = leaderEpoch;
            this.append = append;
        }
    }

    final long id;
    final int client;
    final long correlationId;
    final List<PartitionProduceResponse> done;
    final List<Waiting> waiting;
    /** Set for a coordinator's internal append: called instead of answering a client. */
    ReplicaManager.AppendCallback callback;
    boolean completed;

    DelayedProduce(long id, int client, long correlationId, List<PartitionProduceResponse> done, List<Waiting> waiting) {
        this.id = id;
        this.client = client;
        this.correlationId = correlationId;
        this.done = done;
        this.waiting = waiting;
    }

    boolean involves(TopicPartition tp) {
        for (Waiting w : waiting) {
            if (w.tp.equals(tp) && w.result == null) {
                return true;
            }
        }
        return false;
    }

    /** Answers the client, or calls the internal append's callback; once. */
    void complete(Context ctx) {
        if (completed) {
            return;
        }
        completed = true;
        if (callback == null) {
            ctx.send(client, response());
        } else {
            Waiting w = waiting.get(0);
            callback.onComplete(w.result, w.append.firstOffset());
        }
    }

    ProduceResponse response() {
        List<PartitionProduceResponse> all = new ArrayList<>(done);
        for (Waiting w : waiting) {
            boolean ok = w.result == Errors.NONE;
            all.add(new PartitionProduceResponse(w.tp, w.result, ok ? w.append.firstOffset() : -1, w.append.logStartOffset(), -1, -1));
        }
        return new ProduceResponse(correlationId, all);
    }
}
