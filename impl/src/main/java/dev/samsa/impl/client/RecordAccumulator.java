package dev.samsa.impl.client;

import dev.samsa.impl.log.Record;
import dev.samsa.impl.protocol.TopicPartition;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.ListIterator;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Per-partition queues of batches waiting to be sent, like Kafka's {@code RecordAccumulator}.
 * A broker is ready when one of its partitions' first batch is full ({@code batch.size}
 * uncompressed bytes), has lingered {@code linger.ms}, or is a retry whose {@code retry.backoff.ms}
 * has passed; it is then drained: the first batch of every partition it leads (one per partition,
 * as Kafka does, so batches that have not lingered yet ride along). An idempotent partition only
 * gives a sequenced (retried) batch when it is the first unresolved one, and a new batch only
 * while its sequences are in order (see {@link TransactionManager}).
 */
final class RecordAccumulator {

    private final int batchSizeBytes;
    private final long lingerNanos;
    private final long deliveryTimeoutNanos;
    private final boolean idempotent;
    private final TreeMap<TopicPartition, ArrayDeque<ProducerBatch>> queues = new TreeMap<>();

    RecordAccumulator(int batchSizeBytes, long lingerNanos, long deliveryTimeoutNanos, boolean idempotent) {
        this.batchSizeBytes = batchSizeBytes;
        this.lingerNanos = lingerNanos;
        this.deliveryTimeoutNanos = deliveryTimeoutNanos;
        this.idempotent = idempotent;
    }

    /** Whether appending {@code record} to {@code tp} would open a new batch (sticky partitioning moves on then). */
    boolean wouldCreateNewBatch(TopicPartition tp, Record record) {
        ArrayDeque<ProducerBatch> q = queues.get(tp);
        if (q == null || q.isEmpty()) {
            return true;
        }
        ProducerBatch last = q.peekLast();
        return last.isClosed() || last.uncompressedBytes() + record.sizeBytes() > batchSizeBytes;
    }

    void append(TopicPartition tp, Record record, Callback callback, long nowNanos) {
        ArrayDeque<ProducerBatch> q = queues.computeIfAbsent(tp, k -> new ArrayDeque<>());
        ProducerBatch last = q.peekLast();
        if (last != null && last.tryAppend(record, callback, batchSizeBytes)) {
            return;
        }
        if (last != null) {
            last.close();
        }
        ProducerBatch batch = new ProducerBatch(tp, nowNanos);
        if (!batch.tryAppend(record, callback, batchSizeBytes)) {
            throw new IllegalStateException("an empty batch takes any record");
        }
        q.addLast(batch);
    }

    /** A transaction commit is flushing: every batch is ready at once (Kafka's beginFlush). Never set without transactions. */
    private boolean flushing;

    void beginFlush() {
        flushing = true;
    }

    void endFlush() {
        flushing = false;
    }

    boolean hasQueued() {
        for (ArrayDeque<ProducerBatch> q : queues.values()) {
            if (!q.isEmpty()) {
                return true;
            }
        }
        return false;
    }

    /** Removes and returns the batches never drained (no attempt yet): an aborting transaction fails them. */
    List<ProducerBatch> abortUndrained() {
        List<ProducerBatch> out = new ArrayList<>();
        for (ArrayDeque<ProducerBatch> q : queues.values()) {
            Iterator<ProducerBatch> it = q.iterator();
            while (it.hasNext()) {
                ProducerBatch b = it.next();
                if (b.attempts == 0 && !b.hasSequence()) {
                    it.remove();
                    out.add(b);
                }
            }
        }
        return out;
    }

    private boolean isReady(ProducerBatch head, int queued, long nowNanos) {
        if (head.attempts > 0) {
            return nowNanos >= head.retryNotBeforeNanos;
        }
        return flushing || queued > 1 || head.isFull(batchSizeBytes) || nowNanos - head.createdNanos >= lingerNanos;
    }

    /** When the first batch of {@code tp} becomes ready. */
    private long readyAtNanos(ProducerBatch head, int queued) {
        if (head.attempts > 0) {
            return head.retryNotBeforeNanos;
        }
        return flushing || queued > 1 || head.isFull(batchSizeBytes) ? head.createdNanos : head.createdNanos + lingerNanos;
    }

    /** Brokers with a ready batch; partitions without a known leader are added to {@code noLeader}. */
    TreeSet<Integer> readyNodes(long nowNanos, Metadata metadata, TreeSet<TopicPartition> noLeader) {
        TreeSet<Integer> nodes = new TreeSet<>();
        queues.forEach((tp, q) -> {
            if (q.isEmpty()) {
                return;
            }
            int leader = metadata.leader(tp).leaderId();
            if (leader < 0) {
                noLeader.add(tp);
            } else if (isReady(q.peekFirst(), q.size(), nowNanos)) {
                nodes.add(leader);
            }
        });
        return nodes;
    }

    /** Takes at most one batch per partition led by {@code node}; sequences new ones when idempotent. */
    List<ProducerBatch> drain(int node, long nowNanos, Metadata metadata, TransactionManager txn) {
        List<ProducerBatch> out = new ArrayList<>();
        queues.forEach((tp, q) -> {
            ProducerBatch head = q.peekFirst();
            if (head == null || metadata.leader(tp).leaderId() != node) {
                return;
            }
            if (head.attempts > 0 && nowNanos < head.retryNotBeforeNanos) {
                return; // backing off
            }
            if (idempotent && !mayDrain(head, txn)) {
                return;
            }
            q.pollFirst();
            head.close();
            if (idempotent && !head.hasSequence()) {
                txn.assignSequence(head);
            }
            out.add(head);
        });
        return out;
    }

    private static boolean mayDrain(ProducerBatch head, TransactionManager txn) {
        if (!txn.isSendToPartitionAllowed(head.tp)) {
            return false; // transactional: not added to the transaction yet (AddPartitionsToTxn pending)
        }
        return head.hasSequence() ? txn.isFirstIncomplete(head) : txn.canDrainNew(head.tp);
    }

    /**
     * Puts a batch back for a retry: at the front, and for an idempotent producer in sequence order
     * ahead of any batch with a larger or no sequence, so retries go out in order.
     */
    void reenqueue(ProducerBatch batch) {
        ArrayDeque<ProducerBatch> q = queues.computeIfAbsent(batch.tp, k -> new ArrayDeque<>());
        if (!idempotent || !batch.hasSequence()) {
            q.addFirst(batch);
            return;
        }
        List<ProducerBatch> list = new ArrayList<>(q);
        ListIterator<ProducerBatch> it = list.listIterator();
        while (it.hasNext()) {
            ProducerBatch b = it.next();
            if (!b.hasSequence() || b.baseSequence > batch.baseSequence) {
                it.previous();
                break;
            }
        }
        it.add(batch);
        q.clear();
        q.addAll(list);
    }

    /** Removes and returns queued batches whose delivery.timeout.ms has passed since creation. */
    List<ProducerBatch> expire(long nowNanos) {
        List<ProducerBatch> expired = new ArrayList<>();
        for (ArrayDeque<ProducerBatch> q : queues.values()) {
            Iterator<ProducerBatch> it = q.iterator();
            while (it.hasNext()) {
                ProducerBatch b = it.next();
                if (nowNanos - b.createdNanos >= deliveryTimeoutNanos) {
                    it.remove();
                    expired.add(b);
                }
            }
        }
        return expired;
    }

    /** The earliest future moment a batch becomes ready or expires, or Long.MAX_VALUE. */
    long nextDeadlineNanos(long nowNanos) {
        long next = Long.MAX_VALUE;
        for (ArrayDeque<ProducerBatch> q : queues.values()) {
            ProducerBatch head = q.peekFirst();
            if (head == null) {
                continue;
            }
            long ready = readyAtNanos(head, q.size());
            if (ready > nowNanos) {
                next = Math.min(next, ready);
            }
            for (ProducerBatch b : q) {
                next = Math.min(next, b.createdNanos + deliveryTimeoutNanos);
            }
        }
        return next;
    }

    int queuedBatches(TopicPartition tp) {
        ArrayDeque<ProducerBatch> q = queues.get(tp);
        return q == null ? 0 : q.size();
    }
}
