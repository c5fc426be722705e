package dev.samsa.impl.replication;

import static dev.samsa.impl.replication.ReplicaFixture.TP;
import static org.assertj.core.api.Assertions.assertThat;

import dev.samsa.impl.controller.ControllerMessage.AlterPartitionRequest;
import dev.samsa.impl.controller.ControllerMessage.BrokerState;
import dev.samsa.impl.metadata.RegisterBrokerRecord;
import dev.samsa.impl.metadata.UnfenceBrokerRecord;
import dev.samsa.impl.protocol.ApiMessage.FetchResponse;
import dev.samsa.spec.bugs.Bug;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A follower's Fetch parked in the leader's purgatory outlives its connection, as in Kafka: it
 * completes, is credited, and is answered to no one. KAFKA-14139's schedule follows from it.
 */
class ParkedFollowerFetchTest {

    /** Fetches with the maximum wait (500 ms), as a follower's fetcher sends them. */
    private static void parkedFetch(ReplicaFixture f, int follower, long brokerEpoch, long offset) {
        f.rm.handle(follower, new dev.samsa.impl.protocol.ApiMessage.FetchRequest(900 + offset, follower, brokerEpoch, 500, 1, 1 << 20,
                dev.samsa.impl.protocol.IsolationLevel.READ_UNCOMMITTED,
                List.of(new dev.samsa.impl.protocol.ApiMessage.FetchPartition(TP, f.partition(TP).leaderEpoch(), offset, 0, 0, 1 << 20))));
    }

    private static long fetchResponsesTo(ReplicaFixture f, int node) {
        return f.ctx.outbox.stream().filter(s -> s.to() == node && s.message() instanceof FetchResponse).count();
    }

    /**
     * Leader 0, ISR [0, 1, 2], log end 2. Broker 2's fetch at 2 is parked; broker 2 crashes
     * (disconnect), re-registers under a new epoch with a shorter log, leaves the ISR and is
     * unfenced; then a record arrives and the parked fetch completes.
     */
    private static ReplicaFixture staleFetchCompletesAfterReRegistration(Bug... bugs) {
        ReplicaFixture f = PartitionTest.leader(List.of(0, 1, 2), bugs);
        f.produce((short) 1, TP, "a");
        f.produce((short) 1, TP, "b");
        f.followerFetch(1, TP, 2, 0);
        parkedFetch(f, 2, 2, 2);
        assertThat(fetchResponsesTo(f, 2)).as("parked: nothing to read at the log end").isZero();
        f.rm.onDisconnect(2);
        long newEpoch = f.apply(new RegisterBrokerRecord(2, 2002));
        f.apply(new UnfenceBrokerRecord(2, newEpoch));
        f.toController.clear();
        f.change(TP, 0, 0, List.of(0, 1)); // the controller took the new incarnation out of the ISR
        f.followerFetch(1, TP, 2, 0);
        f.produce((short) 1, TP, "c"); // data: the parked fetch completes
        return f;
    }

    @Test
    void aParkedFollowerFetchCompletesAfterADisconnectButIsNotAnswered() {
        ReplicaFixture f = PartitionTest.leader(List.of(0, 1, 2));
        f.produce((short) 1, TP, "a");
        f.followerFetch(1, TP, 1, 0);
        parkedFetch(f, 2, 2, 0); // broker 2 has nothing yet: answered at once, with data
        assertThat(fetchResponsesTo(f, 2)).isEqualTo(1);
        parkedFetch(f, 2, 2, 1); // at the log end: parked
        assertThat(f.partition(TP).log().highWatermark()).as("credited on arrival").isEqualTo(1);
        f.rm.onDisconnect(2);
        f.produce((short) 1, TP, "b");
        f.followerFetch(1, TP, 2, 0);
        f.advanceToMs(1_000); // past replica.fetch.wait.max.ms
        assertThat(fetchResponsesTo(f, 2)).as("its connection is gone").isEqualTo(1);
        // a fetch that arrives on the new connection is answered as usual
        parkedFetch(f, 2, 2, 2);
        assertThat(fetchResponsesTo(f, 2)).isEqualTo(1);
        f.produce((short) 1, TP, "c");
        assertThat(fetchResponsesTo(f, 2)).isEqualTo(2);
    }

    @Test
    void aConsumerFetchParkedOnADeadConnectionIsDropped() {
        ReplicaFixture f = PartitionTest.leader(List.of(0));
        f.rm.handle(ReplicaFixture.CLIENT, new dev.samsa.impl.protocol.ApiMessage.FetchRequest(7, -1, -1, 500, 1, 1 << 20,
                dev.samsa.impl.protocol.IsolationLevel.READ_UNCOMMITTED,
                List.of(new dev.samsa.impl.protocol.ApiMessage.FetchPartition(TP, -1, 0, -1, 0, 1 << 20))));
        f.rm.onDisconnect(ReplicaFixture.CLIENT);
        f.advanceToMs(1_000);
        assertThat(f.ctx.outbox.stream().filter(s -> s.message() instanceof FetchResponse).count()).isZero();
    }

    @Test
    void aStaleIncarnationsParkedFetchNeverLeadsToAnIsrExpansion() {
        ReplicaFixture f = staleFetchCompletesAfterReRegistration();
        assertThat(fetchResponsesTo(f, 2)).isZero();
        assertThat(f.toController).as("KIP-903: the leader does not credit a fetch of broker epoch 2").isEmpty();
        f.advanceToMs(1_000);
        assertThat(f.toController).isEmpty();
    }

    @Test
    void withKafka14139AStaleIncarnationsParkedFetchBringsItBackIntoTheIsr() {
        ReplicaFixture f = staleFetchCompletesAfterReRegistration(Bug.KAFKA_14139);
        assertThat(fetchResponsesTo(f, 2)).isZero();
        assertThat(f.toController).as("an AlterPartition was sent").isNotEmpty();
        AlterPartitionRequest r = (AlterPartitionRequest) f.toController.get(f.toController.size() - 1);
        assertThat(r.newIsr().stream().map(BrokerState::brokerId).toList()).containsExactly(0, 1, 2);
        assertThat(r.newIsr().stream().filter(b -> b.brokerId() == 2).findFirst().orElseThrow().brokerEpoch())
                .as("the previous incarnation's epoch").isEqualTo(2);
    }
}
