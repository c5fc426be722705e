package dev.samsa.harness.cli;

/** Bad usage or input: printed as one line, exit code 2, never a stack trace. */
public final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
        super(message);
    }
}
