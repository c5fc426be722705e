package dev.samsa.impl.txn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.samsa.impl.coordinator.CoordinatorLookup;
import dev.samsa.impl.log.Record;
import dev.samsa.impl.protocol.Errors;
import dev.samsa.impl.protocol.TopicPartition;
import dev.samsa.impl.protocol.TxnMessage.AddOffsetsToTxnRequest;
import dev.samsa.impl.protocol.TxnMessage.AddOffsetsToTxnResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The __transaction_state record encoding, and AddOffsetsToTxn adding the group's offsets partition. */
class TransactionLogTest {

    @Test
    void aRecordReadsBackAsWritten() {
        TxnTransitMetadata t = new TxnTransitMetadata(1L << 62 | 5, -1, (short) 3, (short) 2, 60_000, TransactionState.ONGOING,
                List.of(new TopicPartition("a|b", 0), new TopicPartition("t", 7)), 1000, 1200);
        Record r = TransactionLog.record("id|with\\odd", t, 1200);
        assertThat(TransactionLog.parseKey(r.key())).isEqualTo("id|with\\odd");
        assertThat(TransactionLog.parseValue(r.value())).isEqualTo(t);
        TxnTransitMetadata empty = new TxnTransitMetadata(9, 8, (short) 0, (short) -1, 1, TransactionState.COMPLETE_ABORT, List.of(), -1, 5);
        assertThat(TransactionLog.parseValue(TransactionLog.record("x", empty, 5).value())).isEqualTo(empty);
        assertThat(TransactionLog.parseKey("offset|g|t|0")).isNull(); // not a transaction record
    }

    @Test
    void addOffsetsToTxnAddsTheGroupsOffsetsPartition() {
        TxnFixture f = TxnFixture.coordinator();
        long pid = f.init().producerId();
        long c = f.correlation();
        f.tc.handle(TxnFixture.CLIENT, new AddOffsetsToTxnRequest(c, TxnFixture.TXN, pid, (short) 0, "group"));
        assertThat(f.answer(TxnFixture.CLIENT, c, AddOffsetsToTxnResponse.class).error()).isEqualTo(Errors.NONE);
        TopicPartition offsets = new TopicPartition(CoordinatorLookup.GROUP_METADATA_TOPIC,
                CoordinatorLookup.partitionFor("group", f.ctx.settings.getInt("offsets.topic.num.partitions")));
        assertThat(f.md().topicPartitions()).containsExactly(offsets);
        long c2 = f.correlation();
        f.tc.handle(TxnFixture.CLIENT, new AddOffsetsToTxnRequest(c2, TxnFixture.TXN, pid, (short) 1, "group"));
        assertThat(f.answer(TxnFixture.CLIENT, c2, AddOffsetsToTxnResponse.class).error()).isEqualTo(Errors.PRODUCER_FENCED);
    }
}
