package dev.samsa.harness.workload;

import dev.samsa.harness.sim.Simulation;
import dev.samsa.impl.controller.ControllerNode;
import dev.samsa.reports.timeline.Timeline;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Who was the active controller when, recorded after every event for the seed's timeline page:
 * one entry per change of (leader, epoch). A period with no leader up is an entry with leader -1.
 * Bounded by {@link #MAX_ENTRIES}: a run that changes leaders more often keeps its first ones.
 */
public final class LeaderTimeline {

    public static final int MAX_ENTRIES = 10_000;

    /** From {@code atNanos} on, {@code leader} (-1: none) led {@code epoch}. */
    public record Entry(long atNanos, int leader, int epoch) {}

    private final List<Entry> entries = new ArrayList<>();
    private int lastLeader = -2;
    private int lastEpoch = -2;

    /** Records a change of the active controller ({@code leader}, as the quorum checks see it). */
    public void observe(Simulation sim, Optional<Integer> leader) {
        int epoch = leader.isPresent() ? ((ControllerNode) sim.node(leader.get()).orElseThrow()).raft().epoch() : -1;
        observe(sim.nowNanos(), leader.orElse(-1), epoch);
    }

    /** Records {@code leader} (-1: none) leading {@code epoch} at {@code nowNanos}, if that is a change. */
    public void observe(long nowNanos, int leader, int epoch) {
        int e = leader < 0 ? -1 : epoch;
        if ((leader != lastLeader || e != lastEpoch) && entries.size() < MAX_ENTRIES) {
            lastLeader = leader;
            lastEpoch = e;
            entries.add(new Entry(nowNanos, leader, e));
        }
    }

    public List<Entry> entries() {
        return List.copyOf(entries);
    }

    /** The lane "active controller": one span per leadership, colored by the leader. */
    public Timeline.Lane lane(Simulation sim, long endNanos) {
        List<Timeline.Span> spans = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            long to = i + 1 < entries.size() ? entries.get(i + 1).atNanos() : endNanos;
            if (e.leader() < 0) {
                spans.add(new Timeline.Span(e.atNanos(), to, "none", "no controller leads", "none"));
            } else {
                String name = sim.name(e.leader());
                spans.add(new Timeline.Span(e.atNanos(), to, name + " e" + e.epoch(), name + " leads epoch " + e.epoch(), name));
            }
        }
        return new Timeline.Lane("active controller", spans);
    }
}
