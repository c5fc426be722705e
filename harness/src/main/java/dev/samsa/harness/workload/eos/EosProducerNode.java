package dev.samsa.harness.workload.eos;

import dev.samsa.harness.workload.txn.TxnProducer;
import dev.samsa.impl.node.Context;
import dev.samsa.impl.node.Message;
import dev.samsa.impl.node.Node;
import dev.samsa.impl.node.Timer;
import java.util.List;

/**
 * The transactional producer of an eos processor, on a connection of its own: the processor's
 * consumer and producer would otherwise share one node's channels and correlation ids (Kafka
 * gives each client its own connections). It lives and dies with its processor (the client
 * faults crash, pause and restart both), which drives it directly.
 */
final class EosProducerNode implements Node {

    final TxnProducer producer;

    EosProducerNode(Context ctx, List<Integer> brokers, String transactionalId) {
        this.producer = new TxnProducer(ctx, brokers, transactionalId);
    }

    @Override
    public void onStart() {}

    @Override
    public void onMessage(int from, Message message) {
        producer.onMessage(from, message);
    }

    @Override
    public void onTimer(Timer timer) {
        producer.onTimer(timer);
    }

    @Override
    public void onDisconnect(int peer) {
        producer.onDisconnect(peer);
    }
}
