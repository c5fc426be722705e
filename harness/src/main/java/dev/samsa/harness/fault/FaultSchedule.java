package dev.samsa.harness.fault;

import dev.samsa.harness.fault.FaultEvent.Kind;
import dev.samsa.harness.fault.FaultEvent.Variant;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * An explicit list of faults that drives a seed's fault phase instead of the {@link FaultPlan}'s
 * random draws: what a run recorded ({@code faults.txt} of a failing seed), what
 * {@code ./samsa shrink} cuts down, and what {@code --schedule FILE} replays.
 *
 * <p>The text format is one fault per line; {@code #} starts a comment; blank lines are ignored.
 * Times are simulated seconds with nine decimals (exact nanoseconds) and must not decrease.
 * <pre>
 * faults-start 5.000000000                                   # when the fault phase began
 * 7.123456789 kill node=1 until=9.500000000                  # also power-loss, power-loss-torn, wipe
 * 8.000000000 pause node=2 until=8.750000000
 * 9.000000000 partition isolate node=3 until=12.000000000
 * 9.500000000 partition halves from=1,2,101 to=3 until=14.000000000
 * 9.600000000 partition one-way from=2 to=1,3 until=14.000000000
 * 9.700000000 partition ring nodes=1,3,2 until=14.000000000  # each reaches its neighbours only
 * 10.000000000 clog a=1 b=101 factor=40 for=2.500000000       # both directions, 40x latency
 * 11.000000000 none family=kill                              # a draw that hit nothing
 * </pre>
 * {@code until} is when the fault undoes itself (restart, resume, heal); the heal phase undoes
 * whatever is still in place. {@code faults-start} is optional: when present and the replayed
 * run's fault phase starts elsewhere (another {@code sim.warmup.ms}), every time is shifted by
 * the difference, so a schedule stays anchored to its fault phase.
 */
public final class FaultSchedule {

    /** A schedule file or line that cannot be read: the message names the file and line. */
    public static final class FormatException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        public FormatException(String message) {
            super(message);
        }
    }

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final String source;
    private final OptionalLong faultsStartNanos;
    private final List<FaultEvent> events;
    private final List<Integer> lineNumbers;

    private FaultSchedule(String source, OptionalLong faultsStartNanos, List<FaultEvent> events, List<Integer> lineNumbers) {
        this.source = source;
        this.faultsStartNanos = faultsStartNanos;
        this.events = List.copyOf(events);
        this.lineNumbers = List.copyOf(lineNumbers);
        for (int i = 1; i < events.size(); i++) {
            if (events.get(i).atNanos() < events.get(i - 1).atNanos()) {
                throw new IllegalArgumentException("fault events out of time order: " + events.get(i - 1) + " then " + events.get(i));
            }
        }
    }

    /** A schedule built in code (recorded or shrunk); its events must be in time order. */
    public static FaultSchedule of(long faultsStartNanos, List<FaultEvent> events) {
        List<Integer> lines = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            lines.add(i + 2); // as written by format(): the faults-start line comes first
        }
        return new FaultSchedule("schedule", OptionalLong.of(faultsStartNanos), events, lines);
    }

    public String source() {
        return source;
    }

    public OptionalLong faultsStartNanos() {
        return faultsStartNanos;
    }

    public List<FaultEvent> events() {
        return events;
    }

    /** How many events inject something (not counting {@code none} draws). */
    public int faultCount() {
        return (int) events.stream().filter(FaultEvent::isFault).count();
    }

    /** The same faults under another name (the file it is read from or written to). */
    public FaultSchedule withSource(String newSource) {
        return new FaultSchedule(newSource, faultsStartNanos, events, lineNumbers);
    }

    /** The same schedule with only {@code kept} events, in time order. */
    public FaultSchedule withEvents(List<FaultEvent> kept) {
        return of(faultsStartNanos.orElse(0), kept);
    }

    /** Where the event came from, for messages: {@code file:line}. */
    public String where(int eventIndex) {
        return source + ":" + lineNumbers.get(eventIndex);
    }

    /** Every node id the schedule names must be one of {@code known}, else a {@link FormatException}. */
    public void checkNodes(Collection<Integer> known) {
        for (int i = 0; i < events.size(); i++) {
            FaultEvent e = events.get(i);
            List<Integer> all = new ArrayList<>(e.nodes());
            all.addAll(e.others());
            for (int id : all) {
                if (!known.contains(id)) {
                    throw new FormatException(where(i) + ": unknown node " + id + "; this run's nodes are " + known);
                }
            }
        }
    }

    // ------------------------------------------------------------------ text

    /** The schedule as text lines: {@code faults-start} then one line per event, no comments. */
    public List<String> lines() {
        List<String> out = new ArrayList<>();
        faultsStartNanos.ifPresent(s -> out.add("faults-start " + seconds(s)));
        for (FaultEvent e : events) {
            out.add(e.toLine());
        }
        return out;
    }

    /** The file content: {@code header} lines as comments, then {@link #lines()}. */
    public String format(List<String> header) {
        StringBuilder b = new StringBuilder();
        for (String h : header) {
            b.append("# ").append(h).append('\n');
        }
        for (String l : lines()) {
            b.append(l).append('\n');
        }
        return b.toString();
    }

    public static FaultSchedule read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new FormatException(file + ": cannot read the schedule: no such file");
        } catch (IOException e) {
            throw new FormatException(file + ": cannot read the schedule: " + e.getMessage());
        }
        return parse(file.toString(), lines);
    }

    public static FaultSchedule parse(String source, List<String> lines) {
        OptionalLong start = OptionalLong.empty();
        List<FaultEvent> events = new ArrayList<>();
        List<Integer> numbers = new ArrayList<>();
        long last = 0;
        for (int i = 0; i < lines.size(); i++) {
            String text = lines.get(i);
            int hash = text.indexOf('#');
            String body = (hash >= 0 ? text.substring(0, hash) : text).trim();
            if (body.isEmpty()) {
                continue;
            }
            String where = source + ":" + (i + 1);
            try {
                String[] tokens = body.split("\\s+");
                if (tokens[0].equals("faults-start")) {
                    if (tokens.length != 2 || start.isPresent() || !events.isEmpty()) {
                        throw new IllegalArgumentException("faults-start comes once, first, with one time");
                    }
                    start = OptionalLong.of(parseSeconds(tokens[1]));
                    continue;
                }
                FaultEvent e = parseEvent(tokens);
                if (start.isPresent() && e.atNanos() < start.getAsLong()) {
                    throw new IllegalArgumentException("before faults-start " + seconds(start.getAsLong()));
                }
                if (e.atNanos() < last) {
                    throw new IllegalArgumentException("times must not decrease (" + tokens[0] + " after " + seconds(last) + ")");
                }
                last = e.atNanos();
                events.add(e);
                numbers.add(i + 1);
            } catch (IllegalArgumentException e) {
                throw new FormatException(where + ": " + e.getMessage() + ": '" + text.trim() + "'");
            }
        }
        return new FaultSchedule(source, start, events, numbers);
    }

    private static FaultEvent parseEvent(String[] tokens) {
        if (tokens.length < 2) {
            throw new IllegalArgumentException("expected TIME KIND key=value...");
        }
        long at = parseSeconds(tokens[0]);
        Kind kind = Kind.parse(tokens[1]);
        int first = 2;
        Variant variant = null;
        if (kind == Kind.PARTITION) {
            if (tokens.length < 3) {
                throw new IllegalArgumentException("a partition needs its variant (isolate, halves, ring, one-way)");
            }
            variant = Variant.parse(tokens[2]);
            first = 3;
        }
        Fields f = new Fields(tokens, first);
        FaultEvent e = switch (kind) {
            case NONE -> FaultEvent.none(at, family(f.take("family")));
            case CLOG -> FaultEvent.clog(at, f.id("a"), f.id("b"), f.positiveInt("factor"), at + parseSeconds(f.take("for")));
            case PAUSE -> FaultEvent.pause(at, f.id("node"), f.time("until"));
            case PARTITION -> switch (variant) {
                case ISOLATE -> FaultEvent.partition(at, variant, List.of(f.id("node")), List.of(), f.time("until"));
                case RING -> FaultEvent.partition(at, variant, f.ids("nodes"), List.of(), f.time("until"));
                case HALVES, ONE_WAY -> FaultEvent.partition(at, variant, f.ids("from"), f.ids("to"), f.time("until"));
            };
            default -> FaultEvent.crash(at, kind.crashKind(), f.id("node"), f.time("until"));
        };
        f.expectNoMore();
        return e;
    }

    private static FaultFamily family(String label) {
        for (FaultFamily f : FaultFamily.values()) {
            if (f.label().equals(label)) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown fault family '" + label + "'");
    }

    /** The {@code key=value} tokens of one line; each must be used exactly once. */
    private static final class Fields {
        private final TreeMap<String, String> values = new TreeMap<>();

        Fields(String[] tokens, int from) {
            for (int i = from; i < tokens.length; i++) {
                int eq = tokens[i].indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("expected key=value, got '" + tokens[i] + "'");
                }
                if (values.put(tokens[i].substring(0, eq), tokens[i].substring(eq + 1)) != null) {
                    throw new IllegalArgumentException("'" + tokens[i].substring(0, eq) + "' given twice");
                }
            }
        }

        String take(String key) {
            String v = values.remove(key);
            if (v == null) {
                throw new IllegalArgumentException("missing " + key + "=");
            }
            return v;
        }

        int id(String key) {
            return parseId(key, take(key));
        }

        int positiveInt(String key) {
            int v = parseId(key, take(key));
            if (v <= 0) {
                throw new IllegalArgumentException(key + " must be positive");
            }
            return v;
        }

        List<Integer> ids(String key) {
            String v = take(key);
            List<Integer> out = new ArrayList<>();
            if (!v.isEmpty()) {
                for (String s : v.split(",", -1)) {
                    out.add(parseId(key, s));
                }
            }
            return out;
        }

        long time(String key) {
            return parseSeconds(take(key));
        }

        void expectNoMore() {
            if (!values.isEmpty()) {
                throw new IllegalArgumentException("unexpected " + values.firstKey() + "=");
            }
        }

        private static int parseId(String key, String s) {
            try {
                return Integer.parseInt(s.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(key + " needs a whole number, got '" + s + "'");
            }
        }
    }

    // ------------------------------------------------------------------ time

    /** {@code 12.345678901}: seconds with nine decimals, exact to the nanosecond. */
    public static String seconds(long nanos) {
        String sign = nanos < 0 ? "-" : "";
        long abs = Math.abs(nanos);
        return String.format("%s%d.%09d", sign, abs / NANOS_PER_SECOND, abs % NANOS_PER_SECOND);
    }

    /** Parses {@link #seconds}' format; fewer decimals are fine, more than nine are not. */
    public static long parseSeconds(String s) {
        if (!s.matches("\\d{1,9}(\\.\\d{1,9})?")) {
            throw new IllegalArgumentException("expected seconds like 12.345678901, got '" + s + "'");
        }
        int dot = s.indexOf('.');
        long whole = Long.parseLong(dot < 0 ? s : s.substring(0, dot));
        long frac = 0;
        if (dot >= 0) {
            String digits = (s.substring(dot + 1) + "000000000").substring(0, 9);
            frac = Long.parseLong(digits);
        }
        return whole * NANOS_PER_SECOND + frac;
    }
}
