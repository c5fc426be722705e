package dev.samsa.lin.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Reads a history file's lines, turning an I/O failure into a format error that names the file. */
final class Lines {
    private Lines() {}

    static List<String> read(Path file) throws HistoryFormatException {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new HistoryFormatException(file, 0, "cannot read: " + e.getMessage());
        }
    }
}
