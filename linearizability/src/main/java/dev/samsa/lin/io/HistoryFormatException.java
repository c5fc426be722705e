package dev.samsa.lin.io;

import java.nio.file.Path;

/** A history file that cannot be read: names the file, the line and what is wrong with it. */
public final class HistoryFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    public HistoryFormatException(Path file, int line, String problem) {
        super(file + (line > 0 ? ":" + line : "") + ": " + problem);
    }
}
