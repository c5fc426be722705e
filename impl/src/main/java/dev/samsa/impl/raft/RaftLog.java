package dev.samsa.impl.raft;

import dev.samsa.impl.node.Disk;
import java.util.ArrayList;
import java.util.List;

/**
 * The replicated metadata log of one node: an in-memory copy of the disk file
 * {@code metadata-log} (one disk entry per {@link LogEntry}) plus the epoch cache (the start
 * offset of each epoch present). No snapshots: the log start offset is always 0.
 */
public final class RaftLog {

    static final String FILE = "metadata-log";

    private final Disk disk;
    private final ArrayList<LogEntry> entries = new ArrayList<>();
    /** [epoch, startOffset] for each epoch present in the log, increasing. */
    private final ArrayList<long[]> epochStarts = new ArrayList<>();
    private long flushedEndOffset;

    /** Loads the log from disk, discarding a torn entry and everything after it. */
    public RaftLog(Disk disk) {
        this.disk = disk;
        int n = disk.size(FILE);
        for (int i = 0; i < n; i++) {
            Object o = disk.read(FILE, i);
            if (!(o instanceof LogEntry e) || e.offset() != i) {
                disk.truncate(FILE, i); // torn (or otherwise invalid) tail: Kafka's recovery drops it
                disk.fsync(FILE);
                break;
            }
            addInMemory(e);
        }
        flushedEndOffset = entries.size();
    }

    private void addInMemory(LogEntry e) {
        if (epochStarts.isEmpty() || epochStarts.get(epochStarts.size() - 1)[0] < e.epoch()) {
            epochStarts.add(new long[] {e.epoch(), e.offset()});
        } else if (epochStarts.get(epochStarts.size() - 1)[0] > e.epoch()) {
            throw new IllegalStateException("epoch goes backwards at offset " + e.offset() + ": " + e.epoch());
        }
        entries.add(e);
    }

    public long endOffset() {
        return entries.size();
    }

    public long flushedEndOffset() {
        return flushedEndOffset;
    }

    public int lastEpoch() {
        return entries.isEmpty() ? 0 : entries.get(entries.size() - 1).epoch();
    }

    public OffsetAndEpoch endOffsetAndEpoch() {
        return new OffsetAndEpoch(endOffset(), lastEpoch());
    }

    public LogEntry entry(long offset) {
        return entries.get(Math.toIntExact(offset));
    }

    /** Entries {@code [from, to)}. */
    public List<LogEntry> read(long from, long to) {
        return List.copyOf(entries.subList(Math.toIntExact(from), Math.toIntExact(to)));
    }

    /** Appends as leader: the next offset, stamped with {@code epoch}. */
    public LogEntry appendAsLeader(int epoch, RaftRecord record) {
        LogEntry e = new LogEntry(entries.size(), epoch, record);
        append(e);
        return e;
    }

    /** Appends as follower: entries must continue the log exactly. */
    public void append(LogEntry e) {
        if (e.offset() != entries.size()) {
            throw new IllegalStateException("append at " + e.offset() + " but log end is " + entries.size());
        }
        addInMemory(e);
        disk.append(FILE, e, e.sizeBytes());
    }

    /** Makes every appended entry durable. */
    public void flush() {
        if (flushedEndOffset < entries.size()) {
            disk.fsync(FILE);
            flushedEndOffset = entries.size();
        }
    }

    /** Removes every entry at or after {@code offset}. */
    public void truncateTo(long offset) {
        if (offset >= entries.size()) {
            return;
        }
        int keep = Math.toIntExact(offset);
        while (entries.size() > keep) {
            entries.remove(entries.size() - 1);
        }
        while (!epochStarts.isEmpty() && epochStarts.get(epochStarts.size() - 1)[1] >= offset) {
            epochStarts.remove(epochStarts.size() - 1);
        }
        disk.truncate(FILE, keep);
        disk.fsync(FILE);
        flushedEndOffset = Math.min(flushedEndOffset, offset);
    }

    /**
     * KIP-279's end offset for an epoch: the largest epoch present that is ≤ {@code epoch}, and
     * its end offset (the start of the next larger epoch, or the log end for the latest). When
     * no such epoch exists: (offset 0, epoch 0).
     */
    public OffsetAndEpoch endOffsetForEpoch(int epoch) {
        for (int i = epochStarts.size() - 1; i >= 0; i--) {
            long[] es = epochStarts.get(i);
            if (es[0] <= epoch) {
                long end = i + 1 < epochStarts.size() ? epochStarts.get(i + 1)[1] : entries.size();
                return new OffsetAndEpoch(end, (int) es[0]);
            }
        }
        return new OffsetAndEpoch(0, 0);
    }
}
