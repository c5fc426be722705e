package dev.samsa.impl.log;

import dev.samsa.impl.node.Disk;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeMap;

/**
 * A test disk with a page cache, after the harness's SimDisk: each file has its current content
 * and its durable content (as of the last fsync). {@link #powerLoss} reverts files to what was
 * durable plus a chosen number of unsynced appends, optionally tearing the last one kept.
 */
final class PowerLossDisk implements Disk {

    private static final class File {
        final ArrayList<Object> current = new ArrayList<>();
        ArrayList<Object> durable = new ArrayList<>();
        boolean durableExists;
        /** Entries below this are the same in current and durable; beyond it, only appends happened if appendOnly. */
        int commonPrefix;
        boolean appendOnly = true;
    }

    private final TreeMap<String, File> files = new TreeMap<>();
    int fsyncs;

    /** How many unsynced appends of a file survive a power loss, and whether the last is torn. */
    interface Survival {
        int keep(String file, int unsynced);

        default boolean tear(String file) {
            return false;
        }
    }

    @Override
    public List<String> files() {
        return new ArrayList<>(files.keySet());
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
        return files.get(file).current.get(index);
    }

    @Override
    public List<Object> readAll(String file) {
        File f = files.get(file);
        return f == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(f.current));
    }

    @Override
    public void append(String file, Object entry, int sizeBytes) {
        files.computeIfAbsent(file, k -> new File()).current.add(entry);
    }

    @Override
    public void replace(String file, Object entry, int sizeBytes) {
        File f = files.computeIfAbsent(file, k -> new File());
        f.current.clear();
        f.current.add(entry);
        f.commonPrefix = 0;
        f.appendOnly = false;
    }

    @Override
    public void truncate(String file, int entries) {
        File f = files.get(file);
        if (entries < 0 || entries > f.current.size()) {
            throw new IllegalArgumentException("truncate " + file + " to " + entries);
        }
        f.current.subList(entries, f.current.size()).clear();
        if (entries < f.commonPrefix) {
            f.commonPrefix = entries;
            f.appendOnly = false;
        }
    }

    @Override
    public void delete(String file) {
        files.remove(file);
    }

    @Override
    public void fsync(String file) {
        File f = files.get(file);
        if (f == null) {
            return;
        }
        fsyncs++;
        f.durable = new ArrayList<>(f.current);
        f.durableExists = true;
        f.commonPrefix = f.current.size();
        f.appendOnly = true;
    }

    int unsynced(String file) {
        File f = files.get(file);
        return f == null ? 0 : f.current.size() - f.commonPrefix;
    }

    /** Every file keeps its durable content only. */
    void powerLoss() {
        powerLoss((file, unsynced) -> 0);
    }

    void powerLoss(Survival survival) {
        for (String name : new ArrayList<>(files.keySet())) {
            File f = files.get(name);
            int unsynced = f.current.size() - f.commonPrefix;
            int kept = f.appendOnly && unsynced > 0 ? Math.min(unsynced, survival.keep(name, unsynced)) : 0;
            if (!f.durableExists && kept == 0) {
                files.remove(name);
                continue;
            }
            ArrayList<Object> survived = new ArrayList<>(f.appendOnly ? f.current.subList(0, f.commonPrefix) : f.durable);
            survived.addAll(f.current.subList(f.commonPrefix, f.commonPrefix + kept));
            if (kept > 0 && survival.tear(name)) {
                survived.set(survived.size() - 1, Disk.TORN);
            }
            f.current.clear();
            f.current.addAll(survived);
            f.durable = new ArrayList<>(survived);
            f.durableExists = true;
            f.commonPrefix = survived.size();
            f.appendOnly = true;
        }
    }
}
