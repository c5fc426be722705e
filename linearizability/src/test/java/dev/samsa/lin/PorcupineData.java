package dev.samsa.lin;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The shared Porcupine test histories (../shared/porcupine-data beside the checkout). */
final class PorcupineData {

    record Expected(Path file, String model, boolean linearizable) {}

    private PorcupineData() {}

    static Path dir() {
        for (String candidate : List.of("../../shared/porcupine-data", "../shared/porcupine-data", "shared/porcupine-data")) {
            Path p = Path.of(candidate);
            if (Files.isRegularFile(p.resolve("EXPECTED.tsv"))) {
                return p;
            }
        }
        throw new AssertionError("porcupine-data not found beside the checkout (looked for ../shared/porcupine-data from " + Path.of("").toAbsolutePath() + ")");
    }

    static List<Expected> expected() throws IOException {
        Path dir = dir();
        List<Expected> out = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("EXPECTED.tsv"))) {
            String[] f = line.split("\t");
            if (f[0].equals("file")) {
                continue;
            }
            out.add(new Expected(dir.resolve(f[0]), f[1], Boolean.parseBoolean(f[2])));
        }
        return out;
    }
}
