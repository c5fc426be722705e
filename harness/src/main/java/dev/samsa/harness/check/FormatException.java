package dev.samsa.harness.check;

import java.nio.file.Path;

/**
 * Bad input in a saved history (queue, txn or groups): the message is {@code FILE:LINE: what is
 * wrong}, one line that {@code ./samsa check} prints as it is (exit 2). Line 0 means the file as
 * a whole, e.g. one that cannot be read.
 */
public final class FormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public FormatException(Path file, long line, String what) {
        super(file + ":" + line + ": " + what);
    }
}
