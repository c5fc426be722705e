package dev.samsa.impl.group;

import static org.assertj.core.api.Assertions.assertThat;

import dev.samsa.impl.log.Record;
import dev.samsa.impl.protocol.GroupMessage.Assignment;
import dev.samsa.impl.protocol.GroupMessage.Subscription;
import dev.samsa.impl.protocol.TopicPartition;
import java.util.List;
import org.junit.jupiter.api.Test;

class GroupRecordsTest {

    @Test
    void groupMetadataRoundTrips() {
        var tp = new TopicPartition("orders-x", 3);
        var m1 = new GroupRecords.StoredMember("m|1", null, 10_000, 30_000, new Subscription(List.of("orders-x", "b"), List.of(tp), 4),
                new Assignment(List.of(tp)));
        var m2 = new GroupRecords.StoredMember("m2", "inst", 6_000, 9_000, null, Assignment.EMPTY);
        var g = new GroupRecords.StoredGroup("consumer", 7, "range", "m|1", 1234, List.of(m1, m2));
        Record r = GroupRecords.groupMetadata("grp|1", g, 5);
        assertThat(GroupRecords.parseKey(r.key())).containsExactly("group", "grp|1");
        assertThat(GroupRecords.parseGroup(r.value())).isEqualTo(g);
        var empty = new GroupRecords.StoredGroup("", 2, null, null, 99, List.of());
        assertThat(GroupRecords.parseGroup(GroupRecords.groupMetadata("g", empty, 0).value())).isEqualTo(empty);
    }

    @Test
    void offsetCommitRoundTripsAndTombstonesHaveNoValue() {
        var tp = new TopicPartition("t", 1);
        var o = new OffsetAndMetadata(42, 3, "meta|data", 1000, -1);
        Record r = GroupRecords.offsetCommit("g", tp, o, 1000);
        assertThat(GroupRecords.parseKey(r.key())).containsExactly("offset", "g", "t", "1");
        assertThat(GroupRecords.parseOffset(r.value())).isEqualTo(o);
        Record t = GroupRecords.offsetTombstone("g", tp, 2000);
        assertThat(t.key()).isEqualTo(r.key());
        assertThat(t.isTombstone()).isTrue();
    }
}
