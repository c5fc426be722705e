package dev.samsa.impl.replication;

import dev.samsa.impl.protocol.ApiMessage.FetchPartition;
import dev.samsa.impl.protocol.ApiMessage.FetchRequest;
import dev.samsa.impl.protocol.TopicPartition;

/** A parked fetch. */
final class DelayedFetch {
    final long id;
    final int client;
    final FetchRequest request;

    DelayedFetch(long id, int client, FetchRequest request) {
        this.id = id;
        this.client = client;
        this.request = request;
    }

    boolean involves(TopicPartition tp) {
        for (FetchPartition fp : request.partitions()) {
            if (fp.tp().equals(tp)) {
                return true;
            }
        }
        return false;
    }
}
