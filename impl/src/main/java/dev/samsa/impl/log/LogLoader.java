package dev.samsa.impl.log;

import dev.samsa.impl.node.Disk;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Recovery of a partition log's segments from what the disk kept (Kafka's {@code LogLoader}).
 * Segments are read in base-offset order; the log ends at the first entry that is torn, is not
 * a record batch, or does not continue the log exactly. That segment is truncated there and
 * every later segment deleted, durably. A power loss can keep a later segment's data while an
 * earlier one lost its tail: the later segment's base then leaves a gap, and it goes too.
 *
 * <p>Compaction leaves gaps in offsets on purpose; a gap is accepted only when it ends at or
 * below the cleaner checkpoint (everything below it was fsynced before the cleaner ran).
 * Recovery fsyncs what it keeps, so the recovered log is the durable one.
 */
final class LogLoader {

    private LogLoader() {}

    /** Segment files of {@code dir}, in base-offset order (20-digit names sort numerically). */
    static List<String> segmentFiles(Disk disk, String dir) {
        List<String> out = new ArrayList<>();
        for (String f : disk.files()) {
            if (f.startsWith(dir) && f.endsWith(".log") && f.length() == dir.length() + 24) {
                out.add(f);
            }
        }
        return out;
    }

    static long baseOffsetOf(String dir, String file) {
        return Long.parseLong(file.substring(dir.length(), dir.length() + 20));
    }

    /** Recovers the segments; an empty map when the log has none. */
    static TreeMap<Long, LogSegment> load(Disk disk, String dir, long cleanerCheckpoint) {
        TreeMap<Long, LogSegment> segments = new TreeMap<>();
        long expected = -1;
        boolean ended = false;
        for (String file : segmentFiles(disk, dir)) {
            long base = baseOffsetOf(dir, file);
            if (ended || (expected >= 0 && !continues(expected, base, cleanerCheckpoint))) {
                ended = true;
                disk.delete(file);
                continue;
            }
            LogSegment segment = new LogSegment(file, base);
            ended = !loadSegment(disk, segment, cleanerCheckpoint);
            disk.fsync(file);
            segments.put(base, segment);
            expected = segment.nextOffset();
        }
        return segments;
    }

    /** Loads a segment's valid prefix; false (after truncating the file) when it ended early. */
    private static boolean loadSegment(Disk disk, LogSegment segment, long cleanerCheckpoint) {
        int n = disk.size(segment.file);
        long next = segment.baseOffset;
        for (int i = 0; i < n; i++) {
            Object entry = disk.read(segment.file, i);
            if (!(entry instanceof RecordBatch b) || !continues(next, b.baseOffset(), cleanerCheckpoint)) {
                disk.truncate(segment.file, i);
                return false;
            }
            segment.load(b);
            next = b.nextOffset();
        }
        return true;
    }

    /** Whether something starting at {@code base} may follow a log ending at {@code expected}. */
    static boolean continues(long expected, long base, long cleanerCheckpoint) {
        return base == expected || (base > expected && base <= cleanerCheckpoint);
    }
}
