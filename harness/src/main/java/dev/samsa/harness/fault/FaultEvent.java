package dev.samsa.harness.fault;

import dev.samsa.harness.sim.CrashKind;
import java.util.List;
import java.util.StringJoiner;

/**
 * One fault the {@link Nemesis} injected (or, replaying a {@link FaultSchedule}, is to inject):
 * when, what, on which nodes, and when it is undone. {@link Kind#NONE} records a draw that found
 * nothing to hit (no eligible target, a partition already in place): it injects nothing, but
 * it was an event of the run, so a replay that keeps it stays bit for bit the same.
 *
 * <p>Node lists by kind: crashes and pauses, {@code nodes = [target]}; partitions, see
 * {@link Variant}; clogs, {@code nodes = [a, b]} (both directions are clogged).
 *
 * @param atNanos simulated time of the injection
 * @param family the family whose draw produced the event (for {@link Kind#NONE}, the family
 *     whose draw came up empty)
 * @param variant the partition's shape; null for every other kind
 * @param factor the clog's latency multiplier; 0 for every other kind
 * @param untilNanos when the fault is undone on its own (restart, resume, partition healed,
 *     clog expired), unless the heal phase comes first; 0 for {@link Kind#NONE}
 */
public record FaultEvent(
        long atNanos,
        Kind kind,
        FaultFamily family,
        Variant variant,
        List<Integer> nodes,
        List<Integer> others,
        int factor,
        long untilNanos) {

    /** What the event does; the label is its name in the schedule's text format. */
    public enum Kind {
        KILL("kill", FaultFamily.KILL),
        POWER_LOSS("power-loss", FaultFamily.POWER_LOSS),
        POWER_LOSS_TORN("power-loss-torn", FaultFamily.POWER_LOSS),
        WIPE("wipe", FaultFamily.WIPE),
        PAUSE("pause", FaultFamily.PAUSE),
        PARTITION("partition", FaultFamily.PARTITION),
        CLOG("clog", FaultFamily.CLOG),
        NONE("none", null);

        private final String label;
        private final FaultFamily family;

        Kind(String label, FaultFamily family) {
            this.label = label;
            this.family = family;
        }

        public String label() {
            return label;
        }

        public boolean isCrash() {
            return this == KILL || this == POWER_LOSS || this == POWER_LOSS_TORN || this == WIPE;
        }

        public CrashKind crashKind() {
            return switch (this) {
                case KILL -> CrashKind.KILL;
                case POWER_LOSS -> CrashKind.POWER_LOSS;
                case POWER_LOSS_TORN -> CrashKind.POWER_LOSS_TORN;
                case WIPE -> CrashKind.WIPE;
                default -> throw new IllegalStateException(label + " is not a crash");
            };
        }

        public static Kind parse(String s) {
            for (Kind k : values()) {
                if (k.label.equals(s)) {
                    return k;
                }
            }
            throw new IllegalArgumentException("unknown fault kind '" + s + "'");
        }
    }

    /** The shapes of a partition, and what {@code nodes} and {@code others} hold for each. */
    public enum Variant {
        /** {@code nodes = [lone]}: cut off from every other node, both ways. */
        ISOLATE("isolate"),
        /** {@code nodes | others}: no traffic between the two groups, either way. */
        HALVES("halves"),
        /** {@code nodes} in ring order: each reaches only its two neighbours (one-way blocks). */
        RING("ring"),
        /** {@code nodes -/-> others}: traffic from the first group to the second is dropped. */
        ONE_WAY("one-way");

        private final String label;

        Variant(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        public static Variant parse(String s) {
            for (Variant v : values()) {
                if (v.label.equals(s)) {
                    return v;
                }
            }
            throw new IllegalArgumentException("unknown partition variant '" + s + "' (isolate, halves, ring, one-way)");
        }
    }

    public FaultEvent {
        nodes = List.copyOf(nodes);
        others = List.copyOf(others);
        if (atNanos < 0) {
            throw new IllegalArgumentException("negative time " + atNanos);
        }
        if (kind != Kind.NONE && family != kind.family) {
            throw new IllegalArgumentException(kind.label + " belongs to family " + kind.family.label() + ", not " + family);
        }
        if (family == null) {
            throw new IllegalArgumentException("a none event needs the family whose draw it was");
        }
        if ((kind == Kind.PARTITION) != (variant != null)) {
            throw new IllegalArgumentException("a partition, and only a partition, has a variant");
        }
        if (kind != Kind.NONE && untilNanos < atNanos) {
            throw new IllegalArgumentException(kind.label + " undone before it happens");
        }
        int want = switch (kind) {
            case NONE -> 0;
            case CLOG -> 2;
            case PARTITION -> variant == Variant.ISOLATE ? 1 : -1;
            default -> 1;
        };
        if (want >= 0 && nodes.size() != want) {
            throw new IllegalArgumentException(kind.label + " needs " + want + " node" + (want == 1 ? "" : "s") + ", got " + nodes);
        }
        if (kind == Kind.CLOG && nodes.get(0).equals(nodes.get(1))) {
            throw new IllegalArgumentException("a clog needs two different nodes, got " + nodes);
        }
    }

    public static FaultEvent crash(long atNanos, CrashKind crash, int node, long untilNanos) {
        Kind kind = switch (crash) {
            case KILL -> Kind.KILL;
            case POWER_LOSS -> Kind.POWER_LOSS;
            case POWER_LOSS_TORN -> Kind.POWER_LOSS_TORN;
            case WIPE -> Kind.WIPE;
        };
        return new FaultEvent(atNanos, kind, kind.family, null, List.of(node), List.of(), 0, untilNanos);
    }

    public static FaultEvent pause(long atNanos, int node, long untilNanos) {
        return new FaultEvent(atNanos, Kind.PAUSE, FaultFamily.PAUSE, null, List.of(node), List.of(), 0, untilNanos);
    }

    public static FaultEvent partition(long atNanos, Variant variant, List<Integer> nodes, List<Integer> others, long untilNanos) {
        return new FaultEvent(atNanos, Kind.PARTITION, FaultFamily.PARTITION, variant, nodes, others, 0, untilNanos);
    }

    public static FaultEvent clog(long atNanos, int a, int b, int factor, long untilNanos) {
        return new FaultEvent(atNanos, Kind.CLOG, FaultFamily.CLOG, null, List.of(a, b), List.of(), factor, untilNanos);
    }

    public static FaultEvent none(long atNanos, FaultFamily family) {
        return new FaultEvent(atNanos, Kind.NONE, family, null, List.of(), List.of(), 0, 0);
    }

    /** True for an event that injects something (not {@link Kind#NONE}). */
    public boolean isFault() {
        return kind != Kind.NONE;
    }

    /** For partitions: true when traffic is blocked in one direction only. */
    public boolean oneWay() {
        return variant == Variant.ONE_WAY || variant == Variant.RING;
    }

    /** The same event {@code deltaNanos} later (earlier when negative). */
    public FaultEvent shifted(long deltaNanos) {
        return new FaultEvent(atNanos + deltaNanos, kind, family, variant, nodes, others, factor,
                kind == Kind.NONE ? 0 : untilNanos + deltaNanos);
    }

    /** The event in the schedule's text format (see {@link FaultSchedule}), without a comment. */
    public String toLine() {
        StringJoiner j = new StringJoiner(" ");
        j.add(FaultSchedule.seconds(atNanos)).add(kind.label);
        switch (kind) {
            case NONE -> j.add("family=" + family.label());
            case CLOG -> j.add("a=" + nodes.get(0)).add("b=" + nodes.get(1)).add("factor=" + factor)
                    .add("for=" + FaultSchedule.seconds(untilNanos - atNanos));
            case PARTITION -> {
                j.add(variant.label);
                switch (variant) {
                    case ISOLATE -> j.add("node=" + nodes.get(0));
                    case RING -> j.add("nodes=" + ids(nodes));
                    case HALVES, ONE_WAY -> j.add("from=" + ids(nodes)).add("to=" + ids(others));
                }
                j.add("until=" + FaultSchedule.seconds(untilNanos));
            }
            default -> j.add("node=" + nodes.get(0)).add("until=" + FaultSchedule.seconds(untilNanos));
        }
        return j.toString();
    }

    private static String ids(List<Integer> ids) {
        StringJoiner j = new StringJoiner(",");
        for (int id : ids) {
            j.add(Integer.toString(id));
        }
        return j.toString();
    }
}
