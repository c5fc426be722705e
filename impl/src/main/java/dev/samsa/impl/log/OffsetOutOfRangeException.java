package dev.samsa.impl.log;

/** A read outside [log start offset, log end offset]: the broker answers OFFSET_OUT_OF_RANGE. */
public final class OffsetOutOfRangeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public OffsetOutOfRangeException(String message) {
        super(message);
    }
}
