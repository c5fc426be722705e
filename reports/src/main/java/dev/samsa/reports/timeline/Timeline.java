package dev.samsa.reports.timeline;

import java.util.List;

/**
 * What one seed's timeline page shows, as plain values (no harness types): the phases, the
 * faults per node, the cluster's state over time (partition leaders and ISR, the active
 * controller), each client's operations and the violations. Times are simulated nanoseconds from
 * the start of the run; {@code endNanos} is where the time axis ends.
 *
 * @param title the page's heading (seed, workload)
 * @param summary lines shown above the drawing (options, settings, verdict)
 * @param phases the run's phases, as spans on one lane
 * @param faultLanes one lane per node that had a fault, and one for the network
 * @param stateLanes who leads what over time; a span's {@code colorKey} names the leader
 * @param clients one row per client process
 * @param markers violations (a negative time means "found at the end of the run")
 * @param links other files of the seed's folder worth opening (relative names only)
 */
public record Timeline(
        String title,
        List<String> summary,
        long endNanos,
        List<Span> phases,
        List<Lane> faultLanes,
        List<Lane> stateLanes,
        List<Row> clients,
        List<Marker> markers,
        List<Link> links) {

    public Timeline {
        summary = List.copyOf(summary);
        phases = List.copyOf(phases);
        faultLanes = List.copyOf(faultLanes);
        stateLanes = List.copyOf(stateLanes);
        clients = List.copyOf(clients);
        markers = List.copyOf(markers);
        links = List.copyOf(links);
        if (endNanos <= 0) {
            throw new IllegalArgumentException("a timeline needs a positive end time, got " + endNanos);
        }
    }

    /** Jepsen's outcomes: ok happened, fail definitely did not, info unknown. */
    public enum Outcome {
        OK,
        FAIL,
        INFO
    }

    /**
     * One client operation, drawn from invocation to completion.
     *
     * @param kind what it was ({@code send}, {@code poll}, {@code write}...): kinds are drawn
     *     at different heights so they stay apart
     * @param detail shown on hover: values, offsets, error
     */
    public record Op(long invokeNanos, long completeNanos, Outcome outcome, String kind, String detail) {
        public Op {
            if (completeNanos < invokeNanos) {
                throw new IllegalArgumentException("operation completes at " + completeNanos + " before its invocation at " + invokeNanos);
            }
        }
    }

    /** A client's operations, in any order. */
    public record Row(String label, List<Op> ops) {
        public Row {
            ops = List.copyOf(ops);
        }
    }

    /**
     * A stretch of time with a name: a phase, a fault band, a leadership.
     *
     * @param label drawn inside when there is room
     * @param detail shown on hover
     * @param colorKey spans with the same key get the same color (a fault kind, a leader's name)
     */
    public record Span(long fromNanos, long toNanos, String label, String detail, String colorKey) {
        public Span {
            if (toNanos < fromNanos) {
                throw new IllegalArgumentException("span '" + label + "' ends at " + toNanos + " before it starts at " + fromNanos);
            }
        }
    }

    /** A named lane of spans; spans may overlap (drawn translucent). */
    public record Lane(String label, List<Span> spans) {
        public Lane {
            spans = List.copyOf(spans);
        }
    }

    /** A point in time worth a vertical line: a violation. {@code atNanos < 0}: at the end of the run. */
    public record Marker(long atNanos, String label, String detail) {}

    /**
     * A link to a file next to the page. Only plain relative names are allowed, so a page can
     * never point outside its folder (nor at a scheme such as {@code javascript:}).
     */
    public record Link(String href, String label) {
        public Link {
            if (!href.matches("[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)*") || href.contains("..")) {
                throw new IllegalArgumentException("a timeline links only to relative file names, got '" + href + "'");
            }
        }
    }
}
