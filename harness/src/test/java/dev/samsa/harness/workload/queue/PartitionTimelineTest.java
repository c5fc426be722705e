package dev.samsa.harness.workload.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.samsa.harness.workload.LeaderTimeline;
import dev.samsa.impl.metadata.ClusterImage;
import dev.samsa.impl.metadata.PartitionChangeRecord;
import dev.samsa.impl.metadata.PartitionRecord;
import dev.samsa.impl.metadata.TopicRecord;
import dev.samsa.impl.protocol.TopicPartition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PartitionTimelineTest {

    static final TopicPartition P0 = new TopicPartition("queue", 0);
    static final TopicPartition P1 = new TopicPartition("queue", 1);

    static ClusterImage image() {
        ClusterImage img = new ClusterImage();
        img.apply(0, new TopicRecord("queue", 2, 1));
        img.apply(1, new PartitionRecord(P0, List.of(0, 1, 2), List.of(0, 1, 2), 0, 0, 0));
        img.apply(2, new PartitionRecord(P1, List.of(1, 2, 0), List.of(1, 2, 0), 1, 0, 0));
        return img;
    }

    @Test
    void recordsAChangeOnlyWhenALeaderEpochOrIsrMoved() {
        PartitionTimeline t = new PartitionTimeline();
        ClusterImage img = image();
        t.observe(10, Optional.of(3000), Optional.of(img));
        assertThat(t.entries()).hasSize(2);
        t.observe(20, Optional.of(3000), Optional.of(img)); // nothing applied since
        img.skip(3); // applied, but no partition changed
        t.observe(30, Optional.of(3000), Optional.of(img));
        t.observe(35, Optional.empty(), Optional.empty()); // no active controller: the last state stands
        t.observe(40, Optional.of(3001), Optional.of(img)); // another controller with the same content
        assertThat(t.entries()).hasSize(2);
        img.apply(4, new PartitionChangeRecord(P1, 1, List.of(1, 2), 0, 1, false));
        t.observe(50, Optional.of(3001), Optional.of(img));
        assertThat(t.entries()).containsExactly(
                new PartitionTimeline.Entry(10, 0, 0, 0, List.of(0, 1, 2)),
                new PartitionTimeline.Entry(10, 1, 1, 0, List.of(1, 2, 0)),
                new PartitionTimeline.Entry(50, 1, 1, 0, List.of(1, 2)));
        img.apply(5, new PartitionChangeRecord(P0, -1, List.of(0), 1, 1, false));
        t.observe(60, Optional.of(3001), Optional.of(img));
        assertThat(t.entries()).last().isEqualTo(new PartitionTimeline.Entry(60, 0, -1, 1, List.of(0)));
    }

    @Test
    void writesOneJsonLinePerChangeAfterAHeader(@TempDir Path dir) throws Exception {
        PartitionTimeline t = new PartitionTimeline();
        t.observe(10, Optional.of(3000), Optional.of(image()));
        t.write(dir.resolve("timeline.jsonl"), 42);
        assertThat(Files.readAllLines(dir.resolve("timeline.jsonl"))).containsExactly(
                "{\"schema\":\"samsa.queue-timeline/1\",\"seed\":42}",
                "{\"atNs\":10,\"isr\":[0,1,2],\"leader\":0,\"leaderEpoch\":0,\"partition\":0}",
                "{\"atNs\":10,\"isr\":[1,2,0],\"leader\":1,\"leaderEpoch\":0,\"partition\":1}");
    }

    @Test
    void leaderTimelineKeepsOneEntryPerLeadership() {
        LeaderTimeline t = new LeaderTimeline();
        t.observe(1, -1, 0);
        t.observe(2, -1, 5); // still no leader: the epoch of nobody does not matter
        t.observe(3, 3000, 1);
        t.observe(4, 3000, 1);
        t.observe(5, 3000, 2); // re-elected in a new epoch
        t.observe(6, 3001, 2);
        assertThat(t.entries()).containsExactly(new LeaderTimeline.Entry(1, -1, -1), new LeaderTimeline.Entry(3, 3000, 1),
                new LeaderTimeline.Entry(5, 3000, 2), new LeaderTimeline.Entry(6, 3001, 2));
    }
}
