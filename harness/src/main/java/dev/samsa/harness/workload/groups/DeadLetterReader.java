package dev.samsa.harness.workload.groups;

import dev.samsa.harness.check.groups.GroupHistory;
import dev.samsa.harness.check.groups.GroupOp;
import dev.samsa.impl.client.ConsumerRecord;
import dev.samsa.impl.client.KafkaConsumer;
import dev.samsa.impl.node.Context;
import dev.samsa.impl.node.Message;
import dev.samsa.impl.node.Node;
import dev.samsa.impl.node.Timer;
import dev.samsa.impl.protocol.ApiMessage;
import dev.samsa.impl.protocol.TopicPartition;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the dead-letter topic from the beginning once the quiesce phase starts (assigned, no
 * group) and records what it finds; the checker reads the error headers to tell which group sent
 * what. (Reading it only at the end also keeps it clear of the fault phase: in seed 64 a reader
 * started at time 0 never fetched two partitions whose leader was killed as it looked them up.)
 */
final class DeadLetterReader implements Node {

    private record Think(long seq) implements Timer {}

    private final Context ctx;
    private final int process;
    private final String topic;
    private final int partitions;
    private final GroupHistory history;
    private final KafkaConsumer consumer;
    private long seq;
    private long lastPollNs = -1;
    /** Dead-letter partitions whose start this reader has seen. */
    private final java.util.TreeSet<Integer> startSeen = new java.util.TreeSet<>();

    DeadLetterReader(Context ctx, int process, List<Integer> brokers, String deadLetterTopic, int partitions, GroupHistory history) {
        this.ctx = ctx;
        this.process = process;
        this.topic = deadLetterTopic;
        this.partitions = partitions;
        this.history = history;
        this.consumer = new KafkaConsumer(ctx, brokers);
    }

    @Override
    public void onStart() {}

    /** Starts reading (at the quiesce phase). */
    void begin() {
        List<TopicPartition> tps = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            tps.add(new TopicPartition(topic, p));
        }
        consumer.assign(tps);
        consumer.seekToBeginning(tps);
        ctx.setTimer(50_000_000L, new Think(++seq));
    }

    private void onPolled(List<ConsumerRecord> records) {
        lastPollNs = ctx.nowNanos();
        // a partition whose first readable offset is past 0 lost its oldest dead letters to retention
        for (ConsumerRecord r : records) {
            if (startSeen.add(r.tp().partition()) && r.offset() > 0) {
                skipped(r.tp().partition(), r.offset(), "log starts at " + r.offset());
            }
        }
        for (int p = 0; p < partitions; p++) {
            var pos = consumer.position(new TopicPartition(topic, p));
            if (!startSeen.contains(p) && pos.isPresent() && pos.getAsLong() > 0) {
                startSeen.add(p);
                skipped(p, pos.getAsLong(), "log starts at " + pos.getAsLong());
            }
        }
        if (!records.isEmpty()) {
            List<GroupOp.Rec> recs = new ArrayList<>();
            for (ConsumerRecord r : records) {
                recs.add(parse(r));
            }
            long now = ctx.nowNanos();
            history.add(process, "", GroupOp.Type.DLT, now, now, GroupOp.Outcome.OK, -1, "", "", List.of(), List.of(), recs, false, "");
        }
        ctx.setTimer(ctx.random().nextLong(10_000_000L, 50_000_000L), new Think(++seq));
    }

    private void skipped(int partition, long to, String why) {
        long now = ctx.nowNanos();
        history.add(process, "", GroupOp.Type.RESET, now, now, GroupOp.Outcome.OK, -1, "", "", List.of(), List.of(new GroupOp.Offset(partition, to)),
                List.of(), false, "dead-letter topic: " + why + " (retention)");
    }

    /** The source partition and offset come from the error header ({@code source=P@O}); the value is the original one. */
    static GroupOp.Rec parse(ConsumerRecord r) {
        String h = r.headers();
        int partition = -1;
        long offset = -1;
        int at = h.indexOf("source=");
        if (at >= 0) {
            int end = h.indexOf(';', at);
            String src = h.substring(at + "source=".length(), end < 0 ? h.length() : end);
            int sep = src.indexOf('@');
            partition = Integer.parseInt(src.substring(0, sep));
            offset = Long.parseLong(src.substring(sep + 1));
        }
        return new GroupOp.Rec(partition, offset, Long.parseLong(r.value()), h);
    }

    /** When this reader last completed a poll ({@code -1}: never). */
    long lastPollNs() {
        return lastPollNs;
    }

    @Override
    public void onMessage(int from, Message message) {
        if (message instanceof ApiMessage a) {
            consumer.onMessage(from, a);
        }
    }

    @Override
    public void onTimer(Timer timer) {
        if (timer instanceof Think t) {
            if (t.seq() == seq && consumer.assignment().size() > 0) {
                consumer.poll(100, (records, resets) -> {
                    for (var r : resets) {
                        if (r.fromOffset() >= 0 && r.toOffset() > r.fromOffset()) { // jumped over records retention deleted before they were read
                            skipped(r.tp().partition(), r.toOffset(), r.reason());
                        }
                    }
                    onPolled(records);
                });
            }
        } else {
            consumer.onTimer(timer);
        }
    }

    @Override
    public void onDisconnect(int peer) {
        consumer.onDisconnect(peer);
    }
}
