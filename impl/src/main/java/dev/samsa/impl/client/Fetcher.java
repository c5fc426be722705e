package dev.samsa.impl.client;

import dev.samsa.impl.log.Record;
import dev.samsa.impl.log.RecordBatch;
import dev.samsa.impl.protocol.ApiMessage.FetchPartition;
import dev.samsa.impl.protocol.ApiMessage.FetchPartitionResponse;
import dev.samsa.impl.protocol.ApiMessage.FetchRequest;
import dev.samsa.impl.protocol.ApiMessage.FetchResponse;
import dev.samsa.impl.protocol.Errors;
import dev.samsa.impl.protocol.IsolationLevel;
import dev.samsa.impl.protocol.TopicPartition;
import dev.samsa.spec.config.Settings;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The consumer's fetching (Kafka's {@code Fetcher}/{@code AbstractFetch}): at most one Fetch in
 * flight per leader, covering its assigned partitions that have a valid position and no buffered
 * records (pre-fetching while the application works through the buffer). An answer is dropped for
 * a partition whose position moved since the request. Records below the position are skipped; under
 * read_committed, batches of aborted transactions are dropped (the aborted list says from which
 * offset; the producer's next control batch is its abort marker) and control batches never reach
 * the application.
 */
final class Fetcher {

    /**
     * What a fetch asked for each partition: the partition's state object (a partition unassigned
     * and assigned again gets a new one), its position version and the fetch offset. As Kafka's
     * consumer discards a response whose fetch offset is not the current position, an answer
     * only counts for the very state and position it was fetched for.
     */
    private record Sent(TopicPartitionState state, long version, long fetchOffset) {
        boolean stillCurrent(TopicPartitionState st) {
            return st == state && st.positionVersion == version && st.position == fetchOffset;
        }
    }

    private record InFlightFetch(int broker, long deadlineNanos, TreeMap<TopicPartition, Sent> versions) {}

    private final KafkaConsumer consumer;
    private final long maxWaitMs;
    private final int minBytes;
    private final int maxBytes;
    private final int partitionMaxBytes;
    private final IsolationLevel isolation;
    private final TreeMap<Long, InFlightFetch> inFlight = new TreeMap<>();

    Fetcher(KafkaConsumer consumer, Settings s) {
        this.consumer = consumer;
        this.maxWaitMs = s.getLong("fetch.max.wait.ms");
        this.minBytes = s.getInt("fetch.min.bytes");
        this.maxBytes = s.getInt("fetch.max.bytes");
        this.partitionMaxBytes = s.getInt("max.partition.fetch.bytes");
        this.isolation = s.get("isolation.level").equals("read_committed") ? IsolationLevel.READ_COMMITTED : IsolationLevel.READ_UNCOMMITTED;
    }

    void sendFetches(long now) {
        TreeSet<Integer> busy = new TreeSet<>();
        inFlight.values().forEach(f -> busy.add(f.broker()));
        TreeMap<Integer, List<TopicPartition>> byLeader = new TreeMap<>();
        consumer.assignment.forEach((tp, st) -> {
            int leader = consumer.metadata.leader(tp).leaderId();
            if (leader < 0) {
                consumer.metadata.requestUpdate();
            } else if (!busy.contains(leader) && st.isFetchable(now)) {
                byLeader.computeIfAbsent(leader, k -> new ArrayList<>()).add(tp);
            }
        });
        byLeader.forEach((broker, tps) -> send(broker, tps, now));
    }

    private void send(int broker, List<TopicPartition> tps, long now) {
        long correlationId = consumer.nextCorrelationId();
        List<FetchPartition> parts = new ArrayList<>();
        TreeMap<TopicPartition, Sent> versions = new TreeMap<>();
        for (TopicPartition tp : tps) {
            TopicPartitionState st = consumer.assignment.get(tp);
            st.fetchInFlight = true;
            versions.put(tp, new Sent(st, st.positionVersion, st.position));
            parts.add(new FetchPartition(tp, consumer.metadata.leader(tp).leaderEpoch(), st.position, -1, -1, partitionMaxBytes));
        }
        consumer.ctx.send(broker, new FetchRequest(correlationId, -1, -1, maxWaitMs, minBytes, maxBytes, isolation, parts));
        inFlight.put(correlationId, new InFlightFetch(broker, now + consumer.requestTimeoutNanos, versions));
    }

    void handleResponse(FetchResponse response, long now) {
        InFlightFetch f = inFlight.remove(response.correlationId());
        if (f == null) {
            return; // given up on already
        }
        TreeMap<TopicPartition, FetchPartitionResponse> parts = new TreeMap<>();
        response.responses().forEach(r -> parts.put(r.tp(), r));
        for (Map.Entry<TopicPartition, Sent> e : f.versions().entrySet()) {
            TopicPartitionState st = consumer.assignment.get(e.getKey());
            if (st == null || st != e.getValue().state()) {
                continue; // unassigned meanwhile (and maybe assigned again: that state fetches for itself)
            }
            st.fetchInFlight = false;
            FetchPartitionResponse r = parts.get(e.getKey());
            if (!e.getValue().stillCurrent(st) || r == null) {
                continue; // the position moved (seek, reset) since the request: stale data
            }
            Errors error = response.error() != Errors.NONE ? response.error() : r.error();
            if (error == Errors.NONE) {
                st.highWatermark = r.highWatermark();
                st.lastStableOffset = r.lastStableOffset();
                bufferRecords(e.getKey(), st, r);
            } else {
                handleError(e.getKey(), st, r, error, now);
            }
        }
    }

    private void handleError(TopicPartition tp, TopicPartitionState st, FetchPartitionResponse r, Errors error, long now) {
        switch (error) {
            case NOT_LEADER_OR_FOLLOWER, FENCED_LEADER_EPOCH, UNKNOWN_TOPIC_OR_PARTITION, LEADER_NOT_AVAILABLE -> {
                consumer.metadata.applyLeaderHint(tp, r.currentLeaderId(), r.currentLeaderEpoch());
                consumer.metadata.requestUpdate();
                st.backoffUntilNanos = now + consumer.retryBackoffNanos;
            }
            case OFFSET_OUT_OF_RANGE -> consumer.offsets.resetAfterOutOfRange(tp, st);
            default -> st.backoffUntilNanos = now + consumer.retryBackoffNanos; // UNKNOWN_LEADER_EPOCH etc.: the broker is behind
        }
    }

    private void bufferRecords(TopicPartition tp, TopicPartitionState st, FetchPartitionResponse r) {
        for (RecordBatch batch : r.batches()) {
            st.fetchedUpTo = Math.max(st.fetchedUpTo, batch.nextOffset());
        }
        boolean readCommitted = isolation == IsolationLevel.READ_COMMITTED;
        for (RecordBatch batch : AbortedTransactionFilter.returned(r.batches(), r.abortedTransactions(), readCommitted)) {
            List<Record> records = batch.records();
            for (int i = 0; i < records.size(); i++) {
                long offset = batch.baseOffset() + i;
                if (offset < st.position) {
                    continue; // the batch starts before the position
                }
                Record rec = records.get(i);
                st.buffered.add(new ConsumerRecord(tp, offset, batch.partitionLeaderEpoch(), rec.key(), rec.value(), rec.timestampMs(), rec.headers()));
            }
        }
        if (st.buffered.isEmpty() && st.fetchedUpTo > st.position) {
            st.position = st.fetchedUpTo; // only control or aborted records: step over them
        }
    }

    /** Fails fetches that timed out or whose broker disconnected: their partitions are fetched again. */
    void failFetches(long now, int disconnectedBroker) {
        Iterator<InFlightFetch> it = inFlight.values().iterator();
        while (it.hasNext()) {
            InFlightFetch f = it.next();
            if (f.broker() != disconnectedBroker && now < f.deadlineNanos()) {
                continue;
            }
            it.remove();
            consumer.metadata.requestUpdate();
            for (Map.Entry<TopicPartition, Sent> e : f.versions().entrySet()) {
                TopicPartitionState st = consumer.assignment.get(e.getKey());
                if (st != null && st == e.getValue().state()) {
                    st.fetchInFlight = false;
                    st.backoffUntilNanos = now + consumer.retryBackoffNanos;
                }
            }
        }
    }

    void addDeadlines(List<Long> deadlines) {
        inFlight.values().forEach(f -> deadlines.add(f.deadlineNanos()));
    }
}
