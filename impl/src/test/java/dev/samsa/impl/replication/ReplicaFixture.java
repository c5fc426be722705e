package dev.samsa.impl.replication;

import dev.samsa.impl.controller.ControllerMessage;
import dev.samsa.impl.log.EpochEndOffset;
import dev.samsa.impl.log.Record;
import dev.samsa.impl.log.RecordBatch;
import dev.samsa.impl.metadata.ClusterImage;
import dev.samsa.impl.metadata.MetadataRecord;
import dev.samsa.impl.metadata.PartitionChangeRecord;
import dev.samsa.impl.metadata.PartitionRecord;
import dev.samsa.impl.metadata.PartitionRegistration;
import dev.samsa.impl.metadata.RegisterBrokerRecord;
import dev.samsa.impl.metadata.TopicRecord;
import dev.samsa.impl.metadata.UnfenceBrokerRecord;
import dev.samsa.impl.node.Timer;
import dev.samsa.impl.protocol.ApiMessage;
import dev.samsa.impl.protocol.ApiMessage.FetchPartition;
import dev.samsa.impl.protocol.ApiMessage.FetchPartitionResponse;
import dev.samsa.impl.protocol.ApiMessage.FetchRequest;
import dev.samsa.impl.protocol.ApiMessage.PartitionBatch;
import dev.samsa.impl.protocol.ApiMessage.ProduceRequest;
import dev.samsa.impl.protocol.IsolationLevel;
import dev.samsa.impl.protocol.TopicPartition;
import dev.samsa.impl.testing.TestContext;
import dev.samsa.spec.bugs.Bug;
import java.util.ArrayList;
import java.util.List;

/**
 * One broker's {@link ReplicaManager} on a {@link TestContext}, fed metadata through a real
 * {@link ClusterImage}: brokers 0, 1 and 2 registered (epochs 0, 1, 2) and unfenced, topic
 * {@code t} with two partitions on all three. The broker under test is {@code self}; requests
 * from other brokers and clients are handed in by the test, answers read from the outbox.
 */
final class ReplicaFixture {

    static final String TOPIC = "t";
    static final TopicPartition TP = new TopicPartition(TOPIC, 0);
    static final TopicPartition TP1 = new TopicPartition(TOPIC, 1);
    static final int CLIENT = 100;

    final TestContext ctx;
    final ClusterImage image = new ClusterImage();
    final List<ControllerMessage> toController = new ArrayList<>();
    long brokerEpoch;
    long nextOffset;
    ReplicaManager rm;
    private long nextCorrelation = 1;

    ReplicaFixture(int self, Bug... bugs) {
        ctx = new TestContext(self);
        for (Bug b : bugs) {
            ctx.bugs.add(b);
        }
        for (int b = 0; b < 3; b++) {
            apply(new RegisterBrokerRecord(b, 1000 + b)); // offset b: broker b's epoch is b
        }
        for (int b = 0; b < 3; b++) {
            apply(new UnfenceBrokerRecord(b, b));
        }
        apply(new TopicRecord(TOPIC, 2));
        brokerEpoch = self;
    }

    ReplicaFixture set(String key, String value) {
        ctx.settings = ctx.settings.with(key, value);
        return this;
    }

    /** Builds the replica manager (after settings are final). */
    ReplicaFixture start() {
        rm = new ReplicaManager(ctx, new ReplicaManager.Host() {
            @Override
            public ClusterImage image() {
                return image;
            }

            @Override
            public long brokerEpoch() {
                return brokerEpoch;
            }

            @Override
            public void sendToController(ControllerMessage m) {
                toController.add(m);
            }
        });
        rm.start();
        return this;
    }

    long apply(MetadataRecord r) {
        long offset = nextOffset++;
        image.apply(offset, r);
        return offset;
    }

    /** Creates partition {@code tp} on all three brokers and hands it to the replica manager. */
    void create(TopicPartition tp, int leader, List<Integer> isr) {
        long offset = apply(new PartitionRecord(tp, List.of(0, 1, 2), isr, leader, 0, 0));
        rm.onPartitionChange(image.partition(tp).orElseThrow(), offset);
    }

    /** A new partition state through the metadata log: a new leader epoch when the leader changes. */
    void change(TopicPartition tp, int leader, int leaderEpoch, List<Integer> isr) {
        PartitionRegistration old = image.partition(tp).orElseThrow();
        long offset = apply(new PartitionChangeRecord(tp, leader, isr, leaderEpoch, old.partitionEpoch() + 1, false));
        rm.onPartitionChange(image.partition(tp).orElseThrow(), offset);
    }

    Partition partition(TopicPartition tp) {
        return rm.partitions().get(tp);
    }

    static RecordBatch batch(String... values) {
        List<Record> rs = new ArrayList<>();
        for (String v : values) {
            rs.add(new Record(null, v, 0));
        }
        return RecordBatch.of(rs);
    }

    long produce(short acks, TopicPartition tp, String... values) {
        return produce(acks, List.of(new PartitionBatch(tp, batch(values))));
    }

    long produce(short acks, List<PartitionBatch> batches) {
        long c = nextCorrelation++;
        rm.handle(CLIENT, new ProduceRequest(c, acks, 30_000, batches));
        return c;
    }

    /** A follower's fetch that is answered at once (no wait), under the follower's registered broker epoch. */
    void followerFetch(int follower, TopicPartition tp, long offset, int lastFetchedEpoch) {
        followerFetch(follower, follower, tp, partition(tp).leaderEpoch(), offset, lastFetchedEpoch);
    }

    void followerFetch(int follower, long brokerEpochOfFollower, TopicPartition tp, int currentEpoch, long offset, int lastFetchedEpoch) {
        rm.handle(follower, new FetchRequest(nextCorrelation++, follower, brokerEpochOfFollower, 0, 1, 1 << 20, IsolationLevel.READ_UNCOMMITTED,
                List.of(new FetchPartition(tp, currentEpoch, offset, lastFetchedEpoch, 0, 1 << 20))));
    }

    void consumerFetch(TopicPartition tp, long offset) {
        rm.handle(CLIENT, new FetchRequest(nextCorrelation++, -1, -1, 0, 1, 1 << 20, IsolationLevel.READ_UNCOMMITTED,
                List.of(new FetchPartition(tp, -1, offset, -1, 0, 1 << 20))));
    }

    /** The last message of {@code type} sent, to anybody. */
    <T extends ApiMessage> T last(Class<T> type) {
        List<T> l = ctx.sent(type);
        if (l.isEmpty()) {
            throw new AssertionError("no " + type.getSimpleName() + " was sent; outbox " + ctx.outbox);
        }
        return l.get(l.size() - 1);
    }

    FetchPartitionResponse lastFetch() {
        return last(ApiMessage.FetchResponse.class).responses().get(0);
    }

    /** Moves the clock to {@code ms} and fires the replica manager's timers that came due. */
    void advanceToMs(long ms) {
        for (Timer t : ctx.advanceTo(ms * 1_000_000L)) {
            rm.onTimer((ReplicationTimer) t);
        }
    }

    /** Batches of {@code epoch}, one record each, appended to {@code tp}'s log as a follower would (offsets from its LEO). */
    void appendAsFollower(TopicPartition tp, int epoch, String... values) {
        var log = partition(tp).log();
        List<RecordBatch> bs = new ArrayList<>();
        long o = log.logEndOffset();
        for (String v : values) {
            bs.add(batch(v).assign(o++, epoch));
        }
        log.appendAsFollower(bs, 0);
    }

    static EpochEndOffset end(int epoch, long offset) {
        return new EpochEndOffset(epoch, offset);
    }
}
