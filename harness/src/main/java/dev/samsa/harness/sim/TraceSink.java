package dev.samsa.harness.sim;

/** Where readable trace lines go (a terminal, a file, a bounded buffer). */
@FunctionalInterface
public interface TraceSink {
    void line(String line);

    TraceSink NONE = line -> {};
}
