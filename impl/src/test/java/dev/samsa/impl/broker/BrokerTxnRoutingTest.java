package dev.samsa.impl.broker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.samsa.impl.protocol.ApiMessage.InitProducerIdRequest;
import dev.samsa.impl.protocol.ApiMessage.InitProducerIdResponse;
import dev.samsa.impl.protocol.Errors;
import dev.samsa.impl.protocol.TxnMessage.EndTxnRequest;
import dev.samsa.impl.protocol.TxnMessage.EndTxnResponse;
import dev.samsa.impl.testing.TestContext;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Transactional requests reach the transaction coordinator; an idempotent InitProducerId stays with the replica manager. */
class BrokerTxnRoutingTest {

    @Test
    void aTransactionalInitProducerIdGoesToTheCoordinatorAndAnIdempotentOneDoesNot() {
        TestContext ctx = new TestContext(0);
        BrokerNode broker = new BrokerNode(ctx, List.of(3000));
        broker.onMessage(100, new InitProducerIdRequest(1, "tx", -1, (short) -1));
        // the coordinator of "tx" is not this broker (it leads no __transaction_state partition)
        assertThat(ctx.sent(InitProducerIdResponse.class)).singleElement()
                .satisfies(r -> assertThat(r.error()).isEqualTo(Errors.NOT_COORDINATOR));
        broker.onMessage(100, new InitProducerIdRequest(2, "", -1, (short) -1));
        // not registered yet: the replica manager's own answer for idempotent producers
        assertThat(ctx.sent(InitProducerIdResponse.class).get(1).error()).isEqualTo(Errors.COORDINATOR_NOT_AVAILABLE);
        broker.onMessage(100, new EndTxnRequest(3, "tx", 5, (short) 0, true));
        assertThat(ctx.sent(EndTxnResponse.class)).singleElement()
                .satisfies(r -> assertThat(r.error()).isEqualTo(Errors.NOT_COORDINATOR));
        assertThat(broker.transactionCoordinator().shards()).isEmpty();
    }
}
