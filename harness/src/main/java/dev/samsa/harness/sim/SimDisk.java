package dev.samsa.harness.sim;

import dev.samsa.impl.node.Disk;
import dev.samsa.impl.node.RandomStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeMap;

/**
 * A simulated disk with a page cache. Each file keeps its current content (what reads see) and
 * its durable content (what the platter holds, as of the last {@code fsync}). Appends,
 * replaces and truncations touch only the current content.
 *
 * <ul>
 *   <li>{@link #kill}: the process dies, the OS keeps the page cache: nothing is lost.
 *   <li>{@link #powerLoss}: every file reverts to its durable content plus a random prefix of
 *       the appends written since (the OS may have written some pages back), and with
 *       {@code torn} the last surviving unsynced entry may be torn ({@link Disk#TORN}).
 *       A replace is atomic (temp file + rename): it survives whole or not at all.
 * </ul>
 */
public final class SimDisk implements Disk {

    private static final class File {
        final ArrayList<Object> current = new ArrayList<>();
        final ArrayList<Integer> currentSizes = new ArrayList<>();
        final ArrayList<Object> durable = new ArrayList<>();
        final ArrayList<Integer> durableSizes = new ArrayList<>();
        /** Entries below this index are identical in current and durable. */
        int commonPrefix;
        boolean durableExists;
        long bytes;
    }

    private final TreeMap<String, File> files = new TreeMap<>();
    private long fsyncs;
    private long bytesWritten;

    @Override
    public List<String> files() {
        return List.copyOf(files.keySet());
    }

    @Override
    public boolean exists(String file) {
        return files.containsKey(file);
    }

    @Override
    public int size(String file) {
        File f = files.get(file);
        return f == null ? 0 : f.current.size();
    }

    @Override
    public Object read(String file, int index) {
        File f = require(file);
        return f.current.get(index);
    }

    @Override
    public List<Object> readAll(String file) {
        File f = files.get(file);
        return f == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(f.current));
    }

    @Override
    public void append(String file, Object entry, int sizeBytes) {
        if (entry == null) {
            throw new IllegalArgumentException("null entry appended to " + file);
        }
        File f = files.computeIfAbsent(file, k -> new File());
        f.current.add(entry);
        f.currentSizes.add(sizeBytes);
        f.bytes += sizeBytes;
        bytesWritten += sizeBytes;
    }

    @Override
    public void replace(String file, Object entry, int sizeBytes) {
        File f = files.computeIfAbsent(file, k -> new File());
        f.current.clear();
        f.currentSizes.clear();
        f.current.add(entry);
        f.currentSizes.add(sizeBytes);
        f.commonPrefix = 0;
        f.bytes = sizeBytes;
        bytesWritten += sizeBytes;
    }

    @Override
    public void truncate(String file, int entries) {
        File f = require(file);
        if (entries < 0 || entries > f.current.size()) {
            throw new IllegalArgumentException("truncate " + file + " to " + entries + " of " + f.current.size());
        }
        while (f.current.size() > entries) {
            int last = f.current.size() - 1;
            f.bytes -= f.currentSizes.get(last);
            f.current.remove(last);
            f.currentSizes.remove(last);
        }
        f.commonPrefix = Math.min(f.commonPrefix, entries);
    }

    @Override
    public void delete(String file) {
        // A delete is a metadata operation the simulation treats as immediately durable.
        files.remove(file);
    }

    @Override
    public void fsync(String file) {
        File f = files.get(file);
        if (f == null) {
            return;
        }
        fsyncs++;
        int keep = Math.min(f.commonPrefix, f.durable.size());
        while (f.durable.size() > keep) {
            f.durable.remove(f.durable.size() - 1);
            f.durableSizes.remove(f.durableSizes.size() - 1);
        }
        for (int i = keep; i < f.current.size(); i++) {
            f.durable.add(f.current.get(i));
            f.durableSizes.add(f.currentSizes.get(i));
        }
        f.commonPrefix = f.current.size();
        f.durableExists = true;
    }

    /** Entries of {@code file} that a power loss now could lose. */
    public int unsyncedEntries(String file) {
        File f = files.get(file);
        return f == null ? 0 : f.current.size() - f.commonPrefix;
    }

    /**
     * A power loss: each file keeps its durable content plus a random prefix of its unsynced
     * appends; the last kept unsynced entry is torn with probability {@code tornProbability}.
     *
     * @return the number of entries lost over all files (torn ones included)
     */
    public int powerLoss(RandomStream random, double tornProbability) {
        int lost = 0;
        List<String> names = new ArrayList<>(files.keySet());
        for (String name : names) {
            File f = files.get(name);
            // An unsynced suffix exists only beyond the common prefix; if the file was replaced
            // or truncated since the last fsync, the durable content is what survives, whole.
            boolean appendOnlySinceSync = f.commonPrefix == f.durable.size();
            int unsynced = f.current.size() - f.commonPrefix;
            int kept = appendOnlySinceSync && unsynced > 0 ? random.nextInt(unsynced + 1) : 0;
            boolean tear = kept > 0 && random.chance(tornProbability);
            if (!f.durableExists && kept == 0) {
                // never synced and nothing written back: the file itself is gone
                lost += f.current.size();
                files.remove(name);
                continue;
            }
            ArrayList<Object> survivors = new ArrayList<>(f.durable);
            ArrayList<Integer> sizes = new ArrayList<>(f.durableSizes);
            for (int i = 0; i < kept; i++) {
                survivors.add(f.current.get(f.commonPrefix + i));
                sizes.add(f.currentSizes.get(f.commonPrefix + i));
            }
            if (tear) {
                survivors.set(survivors.size() - 1, Disk.TORN);
                lost++;
            }
            lost += appendOnlySinceSync ? unsynced - kept : Math.max(0, f.current.size() - f.commonPrefix);
            f.current.clear();
            f.currentSizes.clear();
            f.current.addAll(survivors);
            f.currentSizes.addAll(sizes);
            f.durable.clear();
            f.durableSizes.clear();
            f.durable.addAll(survivors);
            f.durableSizes.addAll(sizes);
            f.commonPrefix = survivors.size();
            f.durableExists = true;
            f.bytes = 0;
            for (int s : sizes) {
                f.bytes += s;
            }
        }
        return lost;
    }

    public long fsyncCount() {
        return fsyncs;
    }

    public long bytesWritten() {
        return bytesWritten;
    }

    private File require(String file) {
        File f = files.get(file);
        if (f == null) {
            throw new IllegalArgumentException("no such file: " + file);
        }
        return f;
    }
}
