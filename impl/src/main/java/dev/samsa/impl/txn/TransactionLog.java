package dev.samsa.impl.txn;

import dev.samsa.impl.coordinator.RecordFields;
import dev.samsa.impl.log.Record;
import dev.samsa.impl.protocol.TopicPartition;
import java.util.ArrayList;
import java.util.List;

/**
 * The records of {@code __transaction_state} as text (Kafka's TransactionLogKey/Value): key
 * {@code txn|transactionalId}; value the {@link TxnTransitMetadata} fields joined by
 * {@link RecordFields}; a null value (tombstone) removes the id.
 */
public final class TransactionLog {

    static final String TXN_KEY = "txn";

    private TransactionLog() {}

    public static String key(String transactionalId) {
        return RecordFields.join(TXN_KEY, transactionalId);
    }

    /** The transactional id of a key, or null when the key is not a transaction record's. */
    public static String parseKey(String key) {
        List<String> f = RecordFields.split(key);
        return f.size() == 2 && TXN_KEY.equals(f.get(0)) ? f.get(1) : null;
    }

    public static Record record(String transactionalId, TxnTransitMetadata t, long nowMs) {
        List<String> tps = new ArrayList<>();
        for (TopicPartition tp : t.topicPartitions()) {
            tps.add(RecordFields.join(tp.topic(), Integer.toString(tp.partition())));
        }
        String v = RecordFields.join(Long.toString(t.producerId()), Long.toString(t.prevProducerId()), Short.toString(t.producerEpoch()),
                Short.toString(t.lastProducerEpoch()), Long.toString(t.txnTimeoutMs()), t.state().name(), RecordFields.list(tps),
                Long.toString(t.txnStartTimestampMs()), Long.toString(t.txnLastUpdateTimestampMs()));
        return new Record(key(transactionalId), v, nowMs);
    }

    public static TxnTransitMetadata parseValue(String value) {
        List<String> f = RecordFields.split(value);
        List<TopicPartition> tps = new ArrayList<>();
        for (String s : RecordFields.unlist(f.get(6))) {
            List<String> p = RecordFields.split(s);
            tps.add(new TopicPartition(p.get(0), Integer.parseInt(p.get(1))));
        }
        return new TxnTransitMetadata(Long.parseLong(f.get(0)), Long.parseLong(f.get(1)), Short.parseShort(f.get(2)),
                Short.parseShort(f.get(3)), Long.parseLong(f.get(4)), TransactionState.valueOf(f.get(5)), tps,
                Long.parseLong(f.get(7)), Long.parseLong(f.get(8)));
    }
}
