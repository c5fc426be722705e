package dev.samsa.impl.node;

import java.util.List;

/**
 * A node's disk: named files, each a sequence of entries (a record batch, a quorum-state
 * snapshot...). Entries are immutable objects with a declared size; the simulation never
 * serializes them, but it loses and tears them exactly as a real disk would.
 *
 * <p>Appends, replaces and truncations go to a page cache. {@link #fsync} makes a file's
 * current content durable. A process crash keeps the page cache; a power loss reverts each
 * file to its last fsynced content plus, perhaps, some prefix of what was written since,
 * and may leave the last surviving entry {@linkplain #TORN torn}.
 */
public interface Disk {

    /** The entry read where a write was torn by a power loss: recovery must discard it and what follows. */
    Object TORN = new Object() {
        @Override
        public String toString() {
            return "TORN";
        }
    };

    /** Names of the existing files, sorted. */
    List<String> files();

    boolean exists(String file);

    /** Number of entries in {@code file}; 0 when it does not exist. */
    int size(String file);

    /** Entry {@code index} of {@code file}; may be {@link #TORN}. */
    Object read(String file, int index);

    /** All entries of {@code file}, in order (an unmodifiable copy). */
    List<Object> readAll(String file);

    /** Appends an entry, creating the file if needed. */
    void append(String file, Object entry, int sizeBytes);

    /** Replaces the whole content of {@code file} by one entry (write to temp + rename). */
    void replace(String file, Object entry, int sizeBytes);

    /** Keeps only the first {@code entries} entries. */
    void truncate(String file, int entries);

    void delete(String file);

    /** Makes the current content of {@code file} durable. */
    void fsync(String file);
}
