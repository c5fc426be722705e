package dev.samsa.impl.replication;

import dev.samsa.impl.protocol.ApiMessage.FetchPartition;
import dev.samsa.impl.protocol.ApiMessage.FetchRequest;
import dev.samsa.impl.protocol.TopicPartition;

/**
 * A parked fetch (Kafka's {@code DelayedFetch}). {@code connection} is how many times the
 * client's connection had closed when the request arrived: a follower's fetch outlives its
 * connection (see {@code ReplicaManager.onDisconnect}), and its answer goes out only if that
 * count has not moved since.
 */
final class DelayedFetch {
    final long id;
    final int client;
    final FetchRequest request;
    final long connection;

    DelayedFetch(long id, int client, FetchRequest request, long connection) {
        this.id = id;
        this.client = client;
        this.request = request;
        this.connection = connection;
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
