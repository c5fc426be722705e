package dev.samsa.impl.log;

import dev.samsa.impl.node.Disk;
import java.util.ArrayList;
import java.util.List;

/**
 * The leader-epoch cache (KIP-101): epoch → first offset of that epoch, with epochs and start
 * offsets both strictly increasing (KAFKA-7415), checkpointed to {@code leader-epoch-checkpoint}
 * after every change. Answers OffsetsForLeaderEpoch per KIP-279.
 */
final class LeaderEpochFileCache {

    private final Disk disk;
    private final String file;
    private final ArrayList<EpochEntry> entries = new ArrayList<>();

    LeaderEpochFileCache(Disk disk, String file) {
        this.disk = disk;
        this.file = file;
    }

    /**
     * Records that {@code epoch} starts at {@code startOffset} and checkpoints when that changed
     * anything. Re-assigning the latest epoch at a later offset is a no-op; entries that would
     * break monotonicity (an epoch ≥ the new one, or a start offset ≥ the new one) are removed first.
     */
    void assign(int epoch, long startOffset) {
        if (assignInMemory(epoch, startOffset)) {
            flush();
        }
    }

    boolean assignInMemory(int epoch, long startOffset) {
        if (epoch < 0 || startOffset < 0) {
            throw new IllegalStateException("invalid epoch entry " + epoch + "@" + startOffset);
        }
        EpochEntry latest = latest();
        if (latest != null && latest.epoch() == epoch && startOffset >= latest.startOffset()) {
            return false;
        }
        while (!entries.isEmpty() && (latest().epoch() >= epoch || latest().startOffset() >= startOffset)) {
            entries.remove(entries.size() - 1);
        }
        entries.add(new EpochEntry(epoch, startOffset));
        return true;
    }

    /** The latest entry, null when empty. */
    EpochEntry latest() {
        return entries.isEmpty() ? null : entries.get(entries.size() - 1);
    }

    int latestEpoch() {
        return entries.isEmpty() ? -1 : entries.get(entries.size() - 1).epoch();
    }

    /**
     * KIP-279 as Kafka answers it: the latest epoch ends at the log end; an epoch between two
     * cached ones maps to the largest cached epoch below it and the next one's start; an epoch
     * older than every cached one gets (the requested epoch, the first entry's start) (KAFKA-7415);
     * an empty cache, epoch -1, or an epoch above the latest one (Kafka: "should never be hit",
     * the leader's latest epoch is its current one) are UNDEFINED.
     */
    EpochEndOffset endOffsetFor(int requestedEpoch, long logEndOffset) {
        if (requestedEpoch < 0 || entries.isEmpty()) {
            return EpochEndOffset.UNDEFINED;
        }
        if (latestEpoch() == requestedEpoch) {
            return new EpochEndOffset(requestedEpoch, logEndOffset);
        }
        int higher = firstAbove(requestedEpoch);
        if (higher == entries.size()) {
            return EpochEndOffset.UNDEFINED;
        }
        long end = entries.get(higher).startOffset();
        return higher == 0 ? new EpochEndOffset(requestedEpoch, end) : new EpochEndOffset(entries.get(higher - 1).epoch(), end);
    }

    /** Index of the first entry whose epoch is above {@code epoch}. */
    private int firstAbove(int epoch) {
        int lo = 0;
        int hi = entries.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (entries.get(mid).epoch() <= epoch) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Removes the entries starting at or after {@code endOffset} (log truncation); checkpoints. */
    void truncateFromEnd(long endOffset) {
        boolean changed = false;
        while (!entries.isEmpty() && latest().startOffset() >= endOffset) {
            entries.remove(entries.size() - 1);
            changed = true;
        }
        if (changed) {
            flush();
        }
    }

    /**
     * The log start moved to {@code startOffset}: entries starting before it are dropped, except
     * that the last of them now starts at {@code startOffset} (its epoch still covers that
     * offset unless a later entry starts exactly there). Checkpoints.
     */
    void truncateFromStart(long startOffset) {
        if (truncateFromStartInMemory(startOffset)) {
            flush();
        }
    }

    boolean truncateFromStartInMemory(long startOffset) {
        int below = 0;
        while (below < entries.size() && entries.get(below).startOffset() < startOffset) {
            below++;
        }
        if (below == 0) {
            return false;
        }
        EpochEntry last = entries.get(below - 1);
        entries.subList(0, below).clear();
        if (entries.isEmpty() || entries.get(0).startOffset() > startOffset) {
            entries.add(0, new EpochEntry(last.epoch(), startOffset));
        }
        return true;
    }

    void clear() {
        entries.clear();
        flush();
    }

    List<EpochEntry> entries() {
        return entries;
    }

    void flush() {
        Checkpoints.writeEpochs(disk, file, entries);
    }
}
