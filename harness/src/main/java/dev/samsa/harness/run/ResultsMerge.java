package dev.samsa.harness.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * {@code ./samsa report DIR...}: rebuilds summary.json, report.md and report.html from the
 * {@code results.jsonl} of one or more output folders — shards of one campaign
 * ({@code --shard I/N}) or repeated runs — merged by seed number. A seed found twice must have
 * run the same way (same workload, verdict, findings and trace hash), or the input is refused.
 *
 * <p>Simplifications: the campaign's options, fault profile and seed range come from each
 * folder's summary.json when there is one (else {@code --workload W} and the seeds found); the
 * merged wall time is the sum of the folders' wall times (shards that ran side by side on
 * different machines therefore show their total machine time), and threads the largest count.
 */
public final class ResultsMerge {

    /** Bad input: a missing or unreadable file, or folders that do not belong to one campaign. The message names file and line. */
    public static final class BadInputException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BadInputException(String message) {
            super(message);
        }
    }

    /** A results.jsonl line carries the seed's result and, when a re-run disagreed, its determinism problem. */
    private static final String DETERMINISM = "determinism";

    private record Source(Path dir, SeedResult result, String determinismProblem) {}

    /** What summary.json says about a folder's run (absent: no summary.json). */
    private record RunInfo(String options, String faultProfile, Map<String, String> fixedSettings, List<String> bugs,
            long first, long last, boolean finished, double wallSeconds, int threads) {}

    private ResultsMerge() {}

    /** One results.jsonl line: the seed's result, plus its determinism problem if there was one. */
    public static String line(SeedResult r, String determinismProblem) {
        if (determinismProblem == null) {
            return Json.line(r);
        }
        ObjectNode node = Json.COMPACT.valueToTree(r);
        node.put(DETERMINISM, determinismProblem);
        return Json.line(node);
    }

    /** Reads {@code dirs}, merges them and writes the rebuilt results, summary and reports into {@code out}. */
    public static CampaignSummary rebuild(List<Path> dirs, Path out) {
        if (dirs.isEmpty()) {
            throw new IllegalStateException("rebuild needs at least one folder");
        }
        TreeMap<Long, Source> seeds = new TreeMap<>();
        List<RunInfo> infos = new ArrayList<>();
        for (Path dir : dirs) {
            readResults(dir, seeds);
            readInfo(dir).ifPresent(infos::add);
        }
        if (seeds.isEmpty()) {
            throw new BadInputException(dirs.get(0).resolve("results.jsonl") + ": no seed results in " + dirs);
        }
        CampaignSummary summary = new CampaignSummary(meta(seeds, infos, dirs));
        try {
            Files.createDirectories(out);
            StringBuilder results = new StringBuilder();
            for (Source s : seeds.values()) {
                summary.add(s.result(), s.determinismProblem());
                results.append(line(s.result(), s.determinismProblem())).append('\n');
                if (!s.result().passed() || s.determinismProblem() != null) {
                    copySeedFolder(s.dir(), out, s.result().seed());
                }
            }
            Json.writeStringAtomically(out.resolve("results.jsonl"), results.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        double wall = infos.stream().mapToDouble(RunInfo::wallSeconds).sum();
        if (infos.isEmpty()) {
            wall = seeds.values().stream().mapToLong(s -> s.result().wallNanos()).sum() / 1e9;
        }
        summary.write(out.resolve("summary.json"), Math.round(wall * 1e9), infos.stream().allMatch(RunInfo::finished));
        return summary;
    }

    private static void readResults(Path dir, TreeMap<Long, Source> seeds) {
        Path file = dir.resolve("results.jsonl");
        if (!Files.isRegularFile(file)) {
            throw new BadInputException(file + ": missing (is " + dir + " the --out folder of ./samsa run?)");
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new BadInputException(file + ": cannot read: " + e.getMessage());
        }
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            Source s = parse(dir, file + ":" + (i + 1), lines.get(i));
            Source before = seeds.putIfAbsent(s.result().seed(), s);
            if (before != null && !sameRun(before.result(), s.result())) {
                throw new BadInputException(file + ":" + (i + 1) + ": seed " + s.result().seed() + " ran differently in "
                        + before.dir() + " (" + describe(before.result()) + ") and " + dir + " (" + describe(s.result()) + ")");
            }
            String firstWorkload = seeds.firstEntry().getValue().result().workload();
            if (!s.result().workload().equals(firstWorkload)) {
                throw new BadInputException(file + ":" + (i + 1) + ": seed " + s.result().seed() + " ran workload " + s.result().workload()
                        + ", others " + firstWorkload + "; a report covers one workload");
            }
        }
    }

    private static Source parse(Path dir, String where, String line) {
        SeedResult r;
        String determinism = null;
        try {
            JsonNode node = Json.COMPACT.readTree(line);
            if (!(node instanceof ObjectNode obj)) {
                throw new BadInputException(where + ": not a seed result (a JSON object)");
            }
            JsonNode d = obj.remove(DETERMINISM);
            determinism = d == null || d.isNull() ? null : d.asText();
            r = Json.COMPACT.treeToValue(obj, SeedResult.class);
        } catch (IOException | RuntimeException e) {
            if (e instanceof BadInputException b) {
                throw b;
            }
            throw new BadInputException(where + ": not a seed result: " + firstLine(e.getMessage()));
        }
        if (r.workload() == null || r.findings() == null || r.settings() == null || r.counters() == null || r.reachedPaths() == null
                || r.stats() == null || r.traceHash() == null || r.faultPlan() == null) {
            throw new BadInputException(where + ": not a seed result: a field is missing");
        }
        return new Source(dir, r, determinism);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** The same seed run twice by the same campaign agrees on everything but wall time. */
    private static boolean sameRun(SeedResult a, SeedResult b) {
        return a.workload().equals(b.workload()) && a.passed() == b.passed() && a.traceHash().equals(b.traceHash())
                && a.findings().equals(b.findings());
    }

    private static String describe(SeedResult r) {
        return (r.passed() ? "passed" : "failed " + r.violatedInvariants()) + ", trace hash " + r.traceHash();
    }

    private static Optional<RunInfo> readInfo(Path dir) {
        Path file = dir.resolve("summary.json");
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            JsonNode s = Json.MAPPER.readTree(file.toFile());
            if (!"samsa.summary/1".equals(s.path("schema").asText())) {
                throw new BadInputException(file + ": not a samsa.summary/1 file");
            }
            TreeMap<String, String> fixed = new TreeMap<>();
            s.path("fixedSettings").fields().forEachRemaining(e -> fixed.put(e.getKey(), e.getValue().asText()));
            List<String> bugs = new ArrayList<>();
            s.path("bugs").forEach(b -> bugs.add(b.asText()));
            return Optional.of(new RunInfo(s.path("options").asText(""), s.path("faultProfile").asText(""), fixed, bugs,
                    s.path("seeds").path("first").asLong(), s.path("seeds").path("last").asLong(), s.path("finished").asBoolean(true),
                    s.path("speed").path("wallSeconds").asDouble(), s.path("speed").path("threads").asInt(1)));
        } catch (IOException e) {
            throw new BadInputException(file + ": unreadable: " + firstLine(e.getMessage()));
        }
    }

    private static CampaignSummary.Meta meta(TreeMap<Long, Source> seeds, List<RunInfo> infos, List<Path> dirs) {
        String workload = seeds.firstEntry().getValue().result().workload();
        if (infos.isEmpty()) {
            return new CampaignSummary.Meta(workload, "--workload " + workload, "unknown", new TreeMap<>(), List.of(),
                    seeds.firstKey(), seeds.lastKey(), seeds.size(), 1);
        }
        RunInfo first = infos.get(0);
        for (RunInfo i : infos) {
            if (!i.options().equals(first.options())) {
                throw new BadInputException(dirs + ": the folders ran different campaigns ('" + first.options() + "' and '" + i.options() + "')");
            }
        }
        // seeds requested: the union of the folders' ranges (shards partition one range; repeats overlap)
        List<long[]> ranges = new ArrayList<>();
        infos.stream().sorted((a, b) -> Long.compare(a.first(), b.first())).forEach(i -> {
            long[] last = ranges.isEmpty() ? null : ranges.get(ranges.size() - 1);
            if (last != null && i.first() <= last[1] + 1) {
                last[1] = Math.max(last[1], i.last());
            } else {
                ranges.add(new long[] {i.first(), i.last()});
            }
        });
        long requested = ranges.stream().mapToLong(r -> r[1] - r[0] + 1).sum();
        long lo = Math.min(ranges.get(0)[0], seeds.firstKey());
        long hi = Math.max(ranges.get(ranges.size() - 1)[1], seeds.lastKey());
        int threads = infos.stream().mapToInt(RunInfo::threads).max().orElse(1);
        return new CampaignSummary.Meta(workload, first.options(), first.faultProfile(), first.fixedSettings(), first.bugs(), lo, hi,
                Math.max(requested, seeds.size()), threads);
    }

    /** Brings a failing seed's evidence next to the merged report, so its links work. */
    private static void copySeedFolder(Path from, Path out, long seed) throws IOException {
        Path src = from.resolve("seed-" + seed);
        Path dst = out.resolve("seed-" + seed);
        if (!Files.isDirectory(src) || src.toAbsolutePath().normalize().equals(dst.toAbsolutePath().normalize())) {
            return;
        }
        Files.createDirectories(dst);
        List<Path> files;
        try (var list = Files.list(src)) {
            files = list.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().startsWith(".")).sorted().toList();
        }
        for (Path f : files) {
            Path target = dst.resolve(f.getFileName().toString());
            if (!Files.exists(target)) {
                Files.copy(f, target, StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
    }
}
