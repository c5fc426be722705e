package dev.samsa.impl.log;

import dev.samsa.impl.node.Disk;
import java.util.List;

/**
 * The small checkpoint files of a partition log (each one disk entry, written with replace +
 * fsync so a power loss keeps either the old or the new content): log-start-offset,
 * high-watermark, cleaner-offset-checkpoint and leader-epoch-checkpoint.
 */
final class Checkpoints {

    static final String LOG_START = "log-start-offset";
    static final String HIGH_WATERMARK = "high-watermark";
    static final String CLEANER = "cleaner-offset-checkpoint";
    static final String LEADER_EPOCH = "leader-epoch-checkpoint";
    static final String PRODUCER_SNAPSHOT = "producer-snapshot";

    /**
     * A producer's state, kept after its records were deleted (KAFKA-7190): see ProducerStateManager.
     * {@code currentTxnFirstOffset} is -1 when no transaction of it is open; {@code coordinatorEpoch}
     * -1 before its first marker.
     */
    record ProducerSnapshotEntry(long producerId, short producerEpoch, List<BatchMetadata> batches, long lastTimestampMs,
            long currentTxnFirstOffset, int coordinatorEpoch) {
        ProducerSnapshotEntry {
            batches = List.copyOf(batches);
        }
    }

    /** The content of the producer-snapshot file. */
    record ProducerSnapshot(List<ProducerSnapshotEntry> entries) {
        ProducerSnapshot {
            entries = List.copyOf(entries);
        }
    }

    /** The content of an offset checkpoint file. */
    record OffsetCheckpoint(long offset) {}

    /** The content of the leader-epoch-checkpoint file. */
    record LeaderEpochCheckpoint(List<EpochEntry> entries) {
        LeaderEpochCheckpoint {
            entries = List.copyOf(entries);
        }
    }

    private Checkpoints() {}

    static void writeOffset(Disk disk, String file, long offset) {
        disk.replace(file, new OffsetCheckpoint(offset), 8);
        disk.fsync(file);
    }

    /** The checkpointed offset, or {@code absent} when the file is missing or unreadable. */
    static long readOffset(Disk disk, String file, long absent) {
        if (disk.size(file) == 0) {
            return absent;
        }
        return disk.read(file, 0) instanceof OffsetCheckpoint c ? c.offset() : absent;
    }

    static void writeEpochs(Disk disk, String file, List<EpochEntry> entries) {
        disk.replace(file, new LeaderEpochCheckpoint(entries), 12 * entries.size() + 8);
        disk.fsync(file);
    }

    static void writeProducers(Disk disk, String file, List<ProducerSnapshotEntry> entries) {
        disk.replace(file, new ProducerSnapshot(entries), 16 + 40 * entries.size());
        disk.fsync(file);
    }

    static List<ProducerSnapshotEntry> readProducers(Disk disk, String file) {
        if (disk.size(file) == 0) {
            return List.of();
        }
        return disk.read(file, 0) instanceof ProducerSnapshot s ? s.entries() : List.of();
    }

    static List<EpochEntry> readEpochs(Disk disk, String file) {
        if (disk.size(file) == 0) {
            return List.of();
        }
        return disk.read(file, 0) instanceof LeaderEpochCheckpoint c ? c.entries() : List.of();
    }
}
