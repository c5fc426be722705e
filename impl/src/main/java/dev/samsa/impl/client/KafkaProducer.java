package dev.samsa.impl.client;

import dev.samsa.impl.log.Record;
import dev.samsa.impl.node.Message;
import dev.samsa.impl.node.Context;
import dev.samsa.impl.node.Timer;
import dev.samsa.impl.protocol.ApiMessage;
import dev.samsa.impl.protocol.ApiMessage.InitProducerIdResponse;
import dev.samsa.impl.protocol.ApiMessage.MetadataResponse;
import dev.samsa.impl.protocol.ApiMessage.PartitionBatch;
import dev.samsa.impl.protocol.ApiMessage.PartitionProduceResponse;
import dev.samsa.impl.protocol.ApiMessage.ProduceRequest;
import dev.samsa.impl.protocol.ApiMessage.ProduceResponse;
import dev.samsa.impl.protocol.Errors;
import dev.samsa.impl.protocol.TopicPartition;
import dev.samsa.spec.config.Settings;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Kafka's producer as a sans-IO component a client node hosts: {@link #send} puts a record into
 * the {@link RecordAccumulator}; the sender loop ({@link #runOnce}, Kafka's {@code Sender}) keeps
 * metadata fresh, gets a producer id when idempotent, drains ready batches into one
 * ProduceRequest per broker (at most {@code max.in.flight.requests.per.connection} unanswered),
 * and completes, retries or fails batches from the answers. Retry and expiry rules are in
 * {@link ProducerResponses}.
 *
 * <p>Idempotent iff {@code enable.idempotence} and {@code acks=all} (simplified: Kafka rejects
 * an explicit enable.idempotence=true with other acks; here the producer then just runs
 * non-idempotent, as Kafka does when idempotence was not set explicitly).
 *
 * <p>Simplified: a record whose topic has no metadata yet waits in the producer (Kafka's send
 * blocks up to {@code max.block.ms}) and fails with REQUEST_TIMED_OUT, never sent, after
 * {@code delivery.timeout.ms}; no {@code max.request.size} / {@code buffer.memory} limits.
 */
public final class KafkaProducer {

    /** The producer's only timer: wake the sender loop at {@code atNanos}. */
    public record Wakeup(long atNanos) implements Timer {}

    /** A ProduceRequest awaiting its answer. */
    record InFlightRequest(long correlationId, int broker, List<ProducerBatch> batches, long deadlineNanos) {}

    private record Waiting(ProducerRecord record, Callback callback, long createdNanos) {}

    final Context ctx;
    final short acks;
    final boolean idempotent;
    final int retries;
    final long retryBackoffNanos;
    final long deliveryTimeoutNanos;
    final long requestTimeoutNanos;
    private final int maxInFlight;
    private final String compression;
    private final List<Integer> bootstrap;
    private final Partitioner partitioner;

    final Metadata metadata;
    final RecordAccumulator accumulator;
    final TransactionManager txn;
    final boolean transactional;
    /** The transactional requests; null unless transactional. */
    private final TransactionalRequests txnRequests;
    final TreeMap<Long, InFlightRequest> inFlight = new TreeMap<>();
    private final ProducerResponses responses;
    private final List<Waiting> waiting = new ArrayList<>();
    private final TreeSet<Long> wakeups = new TreeSet<>();
    private long nextCorrelationId = 1;
    private int nextInitBroker;
    private int pending;

    public KafkaProducer(Context ctx, List<Integer> bootstrapBrokers, Partitioner partitioner) {
        this(ctx, bootstrapBrokers, partitioner, ctx.settings());
    }

    /**
     * A producer with its own settings; a non-empty {@code transactional.id} makes it transactional
     * (idempotent, acks=all required, as in Kafka).
     */
    public KafkaProducer(Context ctx, List<Integer> bootstrapBrokers, Partitioner partitioner, Settings s) {
        this.ctx = ctx;
        String acksSetting = s.get("acks");
        this.acks = acksSetting.equals("all") ? -1 : Short.parseShort(acksSetting);
        String transactionalId = s.get("transactional.id");
        this.transactional = transactionalId != null && !transactionalId.isEmpty();
        if (transactional && acks != -1) {
            throw new IllegalArgumentException("a transactional producer needs acks=all");
        }
        this.idempotent = (s.getBoolean("enable.idempotence") || transactional) && acks == -1;
        this.retries = s.getInt("retries");
        this.retryBackoffNanos = s.getMsAsNanos("retry.backoff.ms");
        this.deliveryTimeoutNanos = s.getMsAsNanos("delivery.timeout.ms");
        this.requestTimeoutNanos = s.getMsAsNanos("request.timeout.ms");
        int configuredInFlight = s.getInt("max.in.flight.requests.per.connection");
        this.maxInFlight = idempotent ? Math.min(configuredInFlight, 5) : configuredInFlight;
        this.compression = s.get("compression.type");
        Compression.ratio(compression); // rejects an unknown codec at construction
        this.bootstrap = List.copyOf(bootstrapBrokers);
        this.partitioner = partitioner;
        this.metadata = new Metadata(bootstrapBrokers, s.getMsAsNanos("metadata.max.age.ms"), retryBackoffNanos, requestTimeoutNanos);
        this.accumulator = new RecordAccumulator(s.getInt("batch.size"), s.getMsAsNanos("linger.ms"), deliveryTimeoutNanos, idempotent);
        this.txn = new TransactionManager(ctx, retryBackoffNanos, requestTimeoutNanos, transactional ? transactionalId : null);
        this.txnRequests = transactional ? new TransactionalRequests(this, txn, (int) s.getLong("transaction.timeout.ms")) : null;
        this.responses = new ProducerResponses(this);
    }

    // ================================================================== transactions (KIP-98)

    /** Gets the producer id and epoch for the transactional id (fencing older instances); {@code done} gets NONE or the error. */
    public void initTransactions(Consumer<Errors> done) {
        requireTransactional().initTransactions(done);
        runOnce();
    }

    public void beginTransaction() {
        requireTransactional().beginTransaction();
    }

    /** Adds the consumer's offsets to the transaction: they commit with it (KIP-447 fencing by {@code group}). */
    public void sendOffsetsToTransaction(Map<TopicPartition, OffsetAndMetadata> offsets, ConsumerGroupMetadata group, Consumer<Errors> done) {
        requireTransactional().sendOffsetsToTransaction(new TreeMap<>(offsets), group, done);
        runOnce();
    }

    /** Flushes the transaction's batches, then EndTxn(COMMIT). An error: abort ({@link TransactionManager#isFatal} false) or close. */
    public void commitTransaction(Consumer<Errors> done) {
        requireTransactional().commitTransaction(done);
        runOnce();
    }

    /** Fails the batches not sent yet, waits for the others, then EndTxn(ABORT). */
    public void abortTransaction(Consumer<Errors> done) {
        requireTransactional().abortTransaction(done);
        runOnce();
    }

    /** Whether {@code error} from a transactional operation leaves this producer unusable (Kafka's fatal errors). */
    public static boolean isFatal(Errors error) {
        return TransactionManager.isFatal(error);
    }

    private TransactionalRequests requireTransactional() {
        if (txnRequests == null) {
            throw new IllegalStateException("not a transactional producer (no transactional.id)");
        }
        return txnRequests;
    }

    /** Queues a record; {@code callback} runs once with its outcome. */
    public void send(ProducerRecord record, Callback callback) {
        if (transactional) {
            Errors e = txnRequests.checkSend();
            if (e != Errors.NONE) {
                callback.onCompletion(new SendResult(null, -1, e, false));
                return;
            }
        }
        pending++;
        Callback counted = result -> {
            pending--;
            callback.onCompletion(result);
        };
        long ts = record.timestampMs() < 0 ? ctx.wallClockMs() : record.timestampMs();
        ProducerRecord stamped = new ProducerRecord(record.topic(), record.partition(), record.key(), record.value(), ts);
        metadata.addTopic(record.topic());
        waiting.add(new Waiting(stamped, counted, ctx.nowNanos()));
        runOnce();
    }

    /** Records sent and not completed yet. */
    public int pendingCount() {
        return pending;
    }

    /** Any message for this producer: the transactional requests' answers (group and transaction protocols) too. */
    public void onMessage(int from, Message message) {
        if (message instanceof ApiMessage a) {
            onMessage(from, a);
        } else if (txnRequests != null && txnRequests.onResponse(message, ctx.nowNanos())) {
            runOnce();
        }
    }

    public void onMessage(int from, ApiMessage message) {
        long now = ctx.nowNanos();
        if (transactional) {
            if (txnRequests.onResponse(message, now)) {
                runOnce();
            } else if (message.kind() != ApiMessage.Kind.INIT_PRODUCER_ID_RESPONSE) {
                onApiMessage(message, now);
            }
            return;
        }
        onApiMessage(message, now);
    }

    private void onApiMessage(ApiMessage message, long now) {
        switch (message.kind()) {
            case METADATA_RESPONSE -> metadata.handleResponse((MetadataResponse) message, now);
            case PRODUCE_RESPONSE -> responses.handleProduceResponse((ProduceResponse) message);
            case INIT_PRODUCER_ID_RESPONSE -> {
                if (txn.isInitInFlight(message.correlationId())) {
                    txn.handleInitResponse((InitProducerIdResponse) message, now);
                }
            }
            default -> { } // not for a producer
        }
        runOnce();
    }

    /** Returns true if {@code timer} was this producer's. */
    public boolean onTimer(Timer timer) {
        if (!(timer instanceof Wakeup w)) {
            return false;
        }
        wakeups.remove(w.atNanos());
        runOnce();
        return true;
    }

    public void onDisconnect(int peer) {
        long now = ctx.nowNanos();
        metadata.onDisconnect(peer, now);
        txn.onDisconnect(peer, now);
        if (txnRequests != null) {
            txnRequests.onDisconnect(peer, now);
        }
        responses.failRequests(r -> r.broker() == peer, Errors.NETWORK_EXCEPTION);
        runOnce();
    }

    /** One turn of the sender loop; every event ends with one. */
    void runOnce() {
        long now = ctx.nowNanos();
        metadata.checkTimeout(now);
        txn.checkTimeout(now);
        if (txnRequests != null) {
            txnRequests.checkTimeout(now);
        }
        responses.failRequests(r -> now >= r.deadlineNanos(), Errors.REQUEST_TIMED_OUT);
        responses.expireBatches(now);
        expireWaiting(now);
        placeWaiting();
        if (metadata.updateDue(now)) {
            var request = metadata.newRequest(nextCorrelationId++, now);
            ctx.send(metadata.inFlightBroker(), request);
        }
        if (transactional) {
            txnRequests.run(now);
        } else if (idempotent) {
            txn.maybeBumpEpoch();
            if (txn.initDue(now)) {
                int broker = bootstrap.get(nextInitBroker++ % bootstrap.size());
                ctx.send(broker, txn.newInitRequest(nextCorrelationId++, broker, now));
            }
        }
        if (!idempotent || txn.hasProducerId()) {
            sendProduceRequests(now);
        }
        scheduleWakeup(now);
    }

    private void placeWaiting() {
        Iterator<Waiting> it = waiting.iterator();
        while (it.hasNext()) {
            Waiting w = it.next();
            OptionalInt count = metadata.partitionCount(w.record().topic());
            if (count.isEmpty()) {
                continue;
            }
            it.remove();
            place(w.record(), w.callback(), count.getAsInt());
        }
    }

    private void place(ProducerRecord pr, Callback callback, int partitions) {
        Record record = new Record(pr.key(), pr.value(), pr.timestampMs());
        int p;
        if (pr.partition().isPresent()) {
            p = pr.partition().getAsInt();
            if (p < 0 || p >= partitions) {
                callback.onCompletion(new SendResult(null, -1, Errors.UNKNOWN_TOPIC_OR_PARTITION, false));
                return;
            }
        } else {
            p = choosePartition(pr, record, partitions);
        }
        TopicPartition tp = new TopicPartition(pr.topic(), p);
        if (transactional) {
            if (txn.hasError() || txn.state() == TransactionManager.State.ABORTING_TRANSACTION) {
                Errors e = txn.hasError() ? txn.lastError() : Errors.TRANSACTION_ABORTABLE;
                callback.onCompletion(new SendResult(tp, -1, e, false)); // its transaction is ending without it
                return;
            }
            txn.maybeAddPartition(tp);
        }
        accumulator.append(tp, record, callback, ctx.nowNanos());
    }

    /** Kafka's partitioner, moving a sticky keyless partition on when it would open a new batch (KIP-480). */
    private int choosePartition(ProducerRecord pr, Record record, int partitions) {
        Optional<byte[]> key = pr.key() == null ? Optional.empty() : Optional.of(pr.key().getBytes(StandardCharsets.UTF_8));
        int p = partitioner.partition(pr.topic(), key, partitions);
        if (key.isEmpty() && accumulator.wouldCreateNewBatch(new TopicPartition(pr.topic(), p), record)) {
            partitioner.onNewBatch(pr.topic(), p);
            p = partitioner.partition(pr.topic(), key, partitions);
        }
        return p;
    }

    private void expireWaiting(long now) {
        Iterator<Waiting> it = waiting.iterator();
        while (it.hasNext()) {
            Waiting w = it.next();
            if (now - w.createdNanos() >= deliveryTimeoutNanos) {
                it.remove();
                ctx.reached("producer.batch-expired");
                w.callback().onCompletion(new SendResult(null, -1, Errors.REQUEST_TIMED_OUT, false));
            }
        }
    }

    private void sendProduceRequests(long now) {
        TreeSet<TopicPartition> noLeader = new TreeSet<>();
        TreeSet<Integer> nodes = accumulator.readyNodes(now, metadata, noLeader);
        if (!noLeader.isEmpty()) {
            metadata.requestUpdate();
        }
        for (int node : nodes) {
            if (inFlightTo(node) >= maxInFlight) {
                continue;
            }
            List<ProducerBatch> batches = accumulator.drain(node, now, metadata, txn);
            if (batches.isEmpty()) {
                continue;
            }
            sendProduceRequest(node, batches, now);
        }
    }

    private void sendProduceRequest(int node, List<ProducerBatch> batches, long now) {
        long correlationId = nextCorrelationId++;
        List<PartitionBatch> parts = new ArrayList<>();
        for (ProducerBatch b : batches) {
            b.attempts++;
            b.inFlight = true;
            parts.add(new PartitionBatch(b.tp, b.toRecordBatch(compression)));
        }
        // a transactional producer names its id: the leader verifies a first transactional write with its coordinator (KIP-890)
        String txnId = transactional ? txn.transactionalId : "";
        ctx.send(node, new ProduceRequest(correlationId, acks, requestTimeoutNanos / 1_000_000, parts, txnId));
        if (acks == 0) {
            for (ProducerBatch b : batches) { // fire and forget: done once on the wire, outcome unknown
                b.inFlight = false;
                b.maybeAppended = true;
                b.complete(-1);
            }
            return;
        }
        inFlight.put(correlationId, new InFlightRequest(correlationId, node, batches, now + requestTimeoutNanos));
    }

    private int inFlightTo(int node) {
        int n = 0;
        for (InFlightRequest r : inFlight.values()) {
            n += r.broker() == node ? 1 : 0;
        }
        return n;
    }

    /** Wakes the loop at the earliest future deadline; a deadline already passed is blocked on an answer that will wake us. */
    private void scheduleWakeup(long now) {
        // a running minimum, not a list of boxed deadlines: this runs on every send (hot path)
        long next = earliestFuture(now, Long.MAX_VALUE, accumulator.nextDeadlineNanos(now));
        next = earliestFuture(now, next, metadata.nextDeadlineNanos(now));
        if (transactional) {
            next = earliestFuture(now, next, txnRequests.nextDeadlineNanos());
        } else if (idempotent) {
            next = earliestFuture(now, next, txn.nextDeadlineNanos());
        }
        for (InFlightRequest r : inFlight.values()) {
            next = earliestFuture(now, next, r.deadlineNanos());
            for (ProducerBatch b : r.batches()) {
                if (!b.isDone()) {
                    next = earliestFuture(now, next, b.createdNanos + deliveryTimeoutNanos);
                }
            }
        }
        for (Waiting w : waiting) {
            next = earliestFuture(now, next, w.createdNanos() + deliveryTimeoutNanos);
        }
        if (next != Long.MAX_VALUE && wakeups.floor(next) == null) {
            wakeups.add(next);
            ctx.setTimer(next - now, new Wakeup(next));
        }
    }

    /** {@code deadline} if it is after {@code now} and before {@code best}, else {@code best}. */
    private static long earliestFuture(long now, long best, long deadline) {
        return deadline > now && deadline < best ? deadline : best;
    }

    long nextCorrelationId() {
        return nextCorrelationId++;
    }

    /** Records placed or waiting for metadata, or batches in flight: what a commit or abort waits for. */
    boolean hasIncompleteBatches() {
        return !waiting.isEmpty() || !inFlight.isEmpty() || accumulator.hasQueued();
    }

    /** Fails the batches never drained (Kafka's abortUndrainedBatches); retried ones run to their outcome. */
    void abortUndrainedBatches(Errors error) {
        for (ProducerBatch b : accumulator.abortUndrained()) {
            ctx.reached("producer.txn-batch-aborted");
            b.fail(error);
        }
    }

    /** For tests: the batches of unanswered requests, by correlation id. */
    Map<Long, InFlightRequest> inFlightRequests() {
        return inFlight;
    }
}
