package dev.samsa.impl.replication;

import dev.samsa.impl.log.AppendResult;
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

    ProduceResponse response() {
        List<PartitionProduceResponse> all = new ArrayList<>(done);
        for (Waiting w : waiting) {
            boolean ok = w.result == Errors.NONE;
            all.add(new PartitionProduceResponse(w.tp, w.result, ok ? w.append.firstOffset() : -1, w.append.logStartOffset(), -1, -1));
        }
        return new ProduceResponse(correlationId, all);
    }
}
