package dev.samsa.lin;

/** One completed operation: who called it, with what, when it was called and when it returned. */
public record Operation<I, O>(int clientId, I input, long callTime, O output, long returnTime) {
    public Operation {
        if (returnTime < callTime) {
            throw new IllegalArgumentException("operation returns (" + returnTime + ") before it is called (" + callTime + ")");
        }
    }
}
