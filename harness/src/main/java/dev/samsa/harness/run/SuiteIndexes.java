package dev.samsa.harness.run;

import com.fasterxml.jackson.databind.JsonNode;
import dev.samsa.reports.SuiteIndex;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the default suite's {@code index.md} and {@code index.html}: one entry per workload,
 * read back from the {@code summary.json} each workload's campaign left in its folder, so the
 * index says exactly what the reports it links say.
 */
public final class SuiteIndexes {

    private SuiteIndexes() {}

    /** Writes the index of {@code workloads} (each in {@code out/<workload>}) into {@code out}; returns {@code out}. */
    public static Path write(Path out, List<String> workloads) {
        List<SuiteIndex.Entry> entries = new ArrayList<>();
        for (String w : workloads) {
            entries.add(entry(out, w));
        }
        try {
            new SuiteIndex("samsa suite", entries).write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static SuiteIndex.Entry entry(Path out, String workload) {
        Path file = out.resolve(workload).resolve("summary.json");
        if (!Files.isRegularFile(file)) {
            return new SuiteIndex.Entry(workload, workload, "no summary: the campaign did not run", 0, 0, 0, 0);
        }
        try {
            JsonNode s = Json.MAPPER.readTree(file.toFile());
            long done = s.path("seeds").path("done").asLong();
            long failed = s.path("failed").asLong();
            String verdict = failed > 0 ? failed + " of " + done + " seeds violated an invariant"
                    : "every invariant held on " + done + " seeds" + (s.path("finished").asBoolean() ? "" : " (run not finished)");
            return new SuiteIndex.Entry(workload, workload, verdict, done, s.path("passed").asLong(), failed,
                    s.path("seedsWithExpectedAnomalies").asLong());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
