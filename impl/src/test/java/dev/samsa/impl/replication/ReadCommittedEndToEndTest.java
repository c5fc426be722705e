package dev.samsa.impl.replication;

import static dev.samsa.impl.replication.ReplicaFixture.CLIENT;
import static dev.samsa.impl.replication.ReplicaFixture.TP;
import static org.assertj.core.api.Assertions.assertThat;

import dev.samsa.impl.client.KafkaConsumer;
import dev.samsa.impl.node.Timer;
import dev.samsa.impl.protocol.ApiMessage;
import dev.samsa.impl.protocol.TxnMessage.WritableTxnMarker;
import dev.samsa.impl.protocol.TxnMessage.WriteTxnMarkersRequest;
import dev.samsa.impl.testing.TestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * A read_committed {@link KafkaConsumer} against a real partition leader (broker 0 alone in the
 * ISR), messages handed between the two directly: the consumer returns committed records only,
 * never aborted or control records, stops at an open transaction and ends past the last marker.
 */
class ReadCommittedEndToEndTest {

    final ReplicaFixture broker = TxnPartitionTest.soloLeader();
    final TestContext client = new TestContext(CLIENT);
    KafkaConsumer consumer;
    int toBroker;
    int toClient;
    long nextMarkerCorrelation = 1000;

    /** Delivers every message each side sent to the other until both are quiet. */
    void pump() {
        boolean moved = true;
        while (moved) {
            moved = false;
            while (toBroker < client.outbox.size()) {
                broker.rm.handle(CLIENT, (ApiMessage) client.outbox.get(toBroker++).message());
                moved = true;
            }
            while (toClient < broker.ctx.outbox.size()) {
                TestContext.Sent s = broker.ctx.outbox.get(toClient++);
                if (s.to() == CLIENT && s.message() instanceof ApiMessage m) {
                    consumer.onMessage(0, m);
                    moved = true;
                }
            }
        }
    }

    /** One poll: what it returned, after letting its timeout pass if nothing came. */
    List<String> poll() {
        List<String> out = new ArrayList<>();
        boolean[] done = {false};
        consumer.poll(1000, (records, resets) -> {
            records.forEach(r -> out.add(r.value()));
            done[0] = true;
        });
        pump();
        if (!done[0]) {
            for (Timer t : client.advanceTo(client.now + 2_000_000_000L)) {
                consumer.onTimer(t);
            }
            pump();
        }
        assertThat(done[0]).isTrue();
        return out;
    }

    void marker(long pid, boolean commit) {
        broker.rm.handleTxn(2, new WriteTxnMarkersRequest(nextMarkerCorrelation++,
                List.of(new WritableTxnMarker(pid, (short) 0, commit, List.of(TP), 0))));
    }

    @Test
    void theConsumerReadsCommittedRecordsOnlyAndWaitsAtAnOpenTransaction() {
        client.settings = client.settings.with("isolation.level", "read_committed").with("auto.offset.reset", "earliest");
        broker.produce((short) 1, TP, "a"); // 0
        TxnPartitionTest.produceTxn(broker, 7, 0, "b", "c"); // 1..2
        broker.produce((short) 1, TP, "d"); // 3
        marker(7, false); // 4: ABORT
        TxnPartitionTest.produceTxn(broker, 8, 0, "e"); // 5
        marker(8, true); // 6: COMMIT
        TxnPartitionTest.produceTxn(broker, 9, 0, "f"); // 7: open
        broker.produce((short) 1, TP, "g"); // 8
        consumer = new KafkaConsumer(client, List.of(0));
        consumer.assign(List.of(TP));
        pump();

        List<String> seen = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            seen.addAll(poll());
        }
        assertThat(seen).containsExactly("a", "d", "e");
        assertThat(consumer.position(TP)).isEqualTo(OptionalLong.of(7)); // the LSO: pid 9's transaction is open

        marker(9, true); // 9: COMMIT: the parked fetch completes
        pump();
        for (int i = 0; i < 2; i++) {
            seen.addAll(poll());
        }
        assertThat(seen).containsExactly("a", "d", "e", "f", "g");
        assertThat(consumer.position(TP)).isEqualTo(OptionalLong.of(10));
    }
}
