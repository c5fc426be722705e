package dev.samsa.harness.run;

import dev.samsa.harness.fault.FaultEvent;
import dev.samsa.harness.sim.Simulation;
import dev.samsa.harness.workload.WorkloadRun;
import dev.samsa.reports.timeline.Timeline;
import dev.samsa.reports.timeline.TimelinePage;
import dev.samsa.spec.config.Settings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Glue from one finished seed to its timeline page ({@code reports}' {@link TimelinePage}):
 * the phases from the settings, the faults the nemesis injected (each band ends when the fault
 * undid itself or when the heal phase began, whichever came first), the workload's clients and
 * leader lanes, and the findings as violation lines.
 */
public final class SeedTimeline {

    /** Files of a seed's folder the page links to when they are there (or about to be: a {@code .NAME.tmp}). */
    static final List<String> SIBLINGS = List.of("trace.txt", "history.jsonl", "timeline.jsonl", "faults.txt", "result.json", "replay.txt");

    private SeedTimeline() {}

    public static void write(Path file, RunSpec spec, Simulation sim, WorkloadRun run, List<FaultEvent> faults, SeedResult result) {
        Settings s = sim.settings();
        long warmup = s.getMsAsNanos("sim.warmup.ms");
        long healStart = warmup + s.getMsAsNanos("sim.faults.ms");
        long quiesceStart = healStart + s.getMsAsNanos("sim.heal.ms");
        long end = Math.max(1, Math.max(sim.nowNanos(), quiesceStart + s.getMsAsNanos("sim.quiesce.ms")));
        List<Timeline.Span> phases = List.of(
                new Timeline.Span(0, warmup, "warm-up", "no faults: the cluster forms", "warm-up"),
                new Timeline.Span(warmup, healStart, "faults", result.faultPlan(), "faults"),
                new Timeline.Span(healStart, quiesceStart, "heal", "every fault undone; the workload keeps running", "heal"),
                new Timeline.Span(quiesceStart, end, "quiesce", "no new operations; everything must converge", "quiesce"));
        List<Timeline.Marker> markers = new ArrayList<>();
        for (SeedResult.Finding f : result.findings()) {
            markers.add(new Timeline.Marker(f.atNanos(), f.invariant() + (f.expected() ? " (expected)" : ""), f.evidence()));
        }
        List<String> summary = List.of(
                "./samsa replay --seed " + result.seed() + " " + spec.cliOptions(),
                "verdict: " + (result.passed() ? "PASS" : "FAIL") + ", " + result.findings().size() + " findings ("
                        + result.findings().stream().filter(f -> !f.expected()).count() + " violations)",
                "settings: " + (result.settings().isEmpty() ? "Kafka defaults" : new TreeMap<>(result.settings()).toString()),
                "faults: " + result.faultPlan(),
                String.format(Locale.ROOT, "%d events, %.3f simulated s", result.events(), result.simulatedNanos() / 1e9));
        Timeline t = new Timeline("seed " + result.seed() + " · " + spec.workload(), summary, end, phases,
                faultLanes(sim, faults, healStart), run.timelineLanes(end), run.timelineClients(), markers, links(file));
        try {
            TimelinePage.write(t, file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One lane per node that had a crash, pause or isolation (in node order), then one for the network's partitions and clogs. */
    static List<Timeline.Lane> faultLanes(Simulation sim, List<FaultEvent> faults, long healStart) {
        TreeMap<Integer, List<Timeline.Span>> byNode = new TreeMap<>();
        List<Timeline.Span> network = new ArrayList<>();
        for (FaultEvent e : faults) {
            if (!e.isFault()) {
                continue;
            }
            long until = Math.min(e.untilNanos(), Math.max(e.atNanos(), healStart));
            String detail = e.toLine() + (until < e.untilNanos() ? " (undone by the heal phase)" : "");
            switch (e.kind()) {
                case PARTITION -> {
                    if (e.variant() == FaultEvent.Variant.ISOLATE) {
                        byNode.computeIfAbsent(e.nodes().get(0), k -> new ArrayList<>())
                                .add(new Timeline.Span(e.atNanos(), until, "isolated", detail, "partition"));
                    } else {
                        String shape = e.variant() == FaultEvent.Variant.RING ? names(sim, e.nodes()) + " (ring)"
                                : names(sim, e.nodes()) + (e.oneWay() ? " -/-> " : " | ") + names(sim, e.others());
                        network.add(new Timeline.Span(e.atNanos(), until, "partition " + e.variant().label(), shape + "; " + detail, "partition"));
                    }
                }
                case CLOG -> network.add(new Timeline.Span(e.atNanos(), until, "clog x" + e.factor(),
                        names(sim, e.nodes()) + " both ways; " + detail, "clog"));
                default -> byNode.computeIfAbsent(e.nodes().get(0), k -> new ArrayList<>())
                        .add(new Timeline.Span(e.atNanos(), until, e.kind().label(), detail, e.kind().label()));
            }
        }
        List<Timeline.Lane> lanes = new ArrayList<>();
        for (int id : sim.allNodeIds()) {
            if (byNode.containsKey(id)) {
                lanes.add(new Timeline.Lane(sim.name(id), byNode.get(id)));
            }
        }
        if (!network.isEmpty()) {
            lanes.add(new Timeline.Lane("network", network));
        }
        return lanes;
    }

    private static String names(Simulation sim, List<Integer> ids) {
        StringJoiner j = new StringJoiner(",");
        ids.forEach(id -> j.add(sim.name(id)));
        return j.toString();
    }

    /** The folder's other files, and a linearizability visualization ({@code lin*.html}) when one is there. */
    static List<Timeline.Link> links(Path file) {
        Path dir = file.toAbsolutePath().getParent();
        List<Timeline.Link> links = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return links; // a new folder: nothing to link yet
        }
        for (String name : SIBLINGS) {
            if (Files.exists(dir.resolve(name)) || Files.exists(dir.resolve("." + name + ".tmp"))) {
                links.add(new Timeline.Link(name, name));
            }
        }
        try (Stream<Path> files = Files.list(dir)) {
            files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("lin") && n.endsWith(".html")).sorted()
                    .filter(n -> n.matches("[A-Za-z0-9._-]+"))
                    .forEach(n -> links.add(new Timeline.Link(n, "linearizability: " + n)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return links;
    }
}
