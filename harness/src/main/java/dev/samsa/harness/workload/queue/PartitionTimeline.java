package dev.samsa.harness.workload.queue;

import dev.samsa.harness.run.Json;
import dev.samsa.harness.sim.Simulation;
import dev.samsa.impl.metadata.ClusterImage;
import dev.samsa.impl.metadata.PartitionRegistration;
import dev.samsa.reports.timeline.Timeline;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Each partition's leader, leader epoch and ISR over time, as the active controller's committed
 * image says, for the seed's timeline page and {@code timeline.jsonl}. Looking costs two
 * comparisons per event: the partitions are only compared when the active controller or its
 * image's applied offset changed. Bounded by {@link #MAX_ENTRIES}.
 *
 * <p>{@code timeline.jsonl}, schema {@code samsa.queue-timeline/1}: a header line
 * {@code {"schema":"samsa.queue-timeline/1","seed":S}}, then one line per change,
 * {@code {"atNs":T,"partition":P,"leader":L,"leaderEpoch":E,"isr":[...]}} (leader -1: offline).
 */
final class PartitionTimeline {

    static final String SCHEMA = "samsa.queue-timeline/1";
    static final int MAX_ENTRIES = 50_000;

    record Entry(long atNanos, int partition, int leader, int leaderEpoch, List<Integer> isr) {
        Entry {
            isr = List.copyOf(isr);
        }
    }

    private final List<Entry> entries = new ArrayList<>();
    private final TreeMap<Integer, Entry> last = new TreeMap<>();
    private int lastController = -1;
    private long lastApplied = -2;

    void observe(long nowNanos, Optional<Integer> controller, Optional<ClusterImage> image) {
        if (controller.isEmpty() || image.isEmpty()) {
            return; // no active controller: the last known state stands
        }
        ClusterImage img = image.get();
        if (controller.get() == lastController && img.appliedOffset() == lastApplied) {
            return;
        }
        lastController = controller.get();
        lastApplied = img.appliedOffset();
        for (PartitionRegistration p : img.partitions().values()) {
            Entry before = last.get(p.tp().partition());
            if (before == null || before.leader() != p.leader() || before.leaderEpoch() != p.leaderEpoch() || !before.isr().equals(p.isr())) {
                Entry e = new Entry(nowNanos, p.tp().partition(), p.leader(), p.leaderEpoch(), p.isr());
                last.put(e.partition(), e);
                if (entries.size() < MAX_ENTRIES) {
                    entries.add(e);
                }
            }
        }
    }

    List<Entry> entries() {
        return List.copyOf(entries);
    }

    void write(Path file, long seed) {
        StringBuilder b = new StringBuilder();
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("schema", SCHEMA);
        header.put("seed", seed);
        b.append(Json.line(header)).append('\n');
        for (Entry e : entries) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("atNs", e.atNanos());
            m.put("partition", e.partition());
            m.put("leader", e.leader());
            m.put("leaderEpoch", e.leaderEpoch());
            m.put("isr", e.isr());
            b.append(Json.line(m)).append('\n');
        }
        Json.writeStringAtomically(file, b.toString());
    }

    /** One lane per partition: a span per (leader, epoch, ISR), colored by the leader. */
    List<Timeline.Lane> lanes(Simulation sim, String topic, long endNanos) {
        TreeMap<Integer, List<Entry>> byPartition = new TreeMap<>();
        for (Entry e : entries) {
            byPartition.computeIfAbsent(e.partition(), k -> new ArrayList<>()).add(e);
        }
        List<Timeline.Lane> lanes = new ArrayList<>();
        byPartition.forEach((p, es) -> {
            List<Timeline.Span> spans = new ArrayList<>();
            for (int i = 0; i < es.size(); i++) {
                Entry e = es.get(i);
                long to = i + 1 < es.size() ? es.get(i + 1).atNanos() : endNanos;
                List<String> isr = new ArrayList<>();
                e.isr().forEach(id -> isr.add(sim.name(id)));
                if (e.leader() < 0) {
                    spans.add(new Timeline.Span(e.atNanos(), to, "offline", "no leader, epoch " + e.leaderEpoch() + ", isr " + isr, "none"));
                } else {
                    String leader = sim.name(e.leader());
                    spans.add(new Timeline.Span(e.atNanos(), to, leader + " e" + e.leaderEpoch() + " isr " + e.isr(),
                            "leader " + leader + ", epoch " + e.leaderEpoch() + ", isr " + isr, leader));
                }
            }
            lanes.add(new Timeline.Lane(topic + "-" + p, spans));
        });
        return lanes;
    }
}
