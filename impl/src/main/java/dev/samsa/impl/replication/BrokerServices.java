package dev.samsa.impl.replication;

import dev.samsa.impl.controller.ControllerMessage.BrokerState;
import dev.samsa.impl.protocol.TopicPartition;
import java.util.List;

/** What a partition needs from the broker hosting it: the metadata image's view of brokers, and the controller channel. */
interface BrokerServices {

    /** This broker's current broker epoch (KIP-903), -1 before it registered. */
    long brokerEpoch();

    /** The epoch under which {@code brokerId} is registered, -1 when it is not. */
    long registeredEpoch(int brokerId);

    /** Registered and unfenced (KIP-841: only such brokers may join an ISR or lead). */
    boolean isActive(int brokerId);

    /** Sends an AlterPartition to the active controller (retried by the replica manager until answered). */
    void alterPartition(TopicPartition tp, int leaderEpoch, int partitionEpoch, List<BrokerState> newIsr);
}
