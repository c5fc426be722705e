package dev.samsa.impl.client;

import dev.samsa.impl.node.RandomStream;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Kafka's default partitioning. A keyed record goes to {@code toPositive(murmur2(key)) %
 * numPartitions}, so samsa puts every key where a real Kafka producer would. A record without a
 * key sticks to one partition per topic until its batch is closed, then a different one is
 * drawn (sticky partitioning, KIP-480), from the producer's seeded random stream.
 */
public final class DefaultPartitioner implements Partitioner {

    private final RandomStream random;
    private final TreeMap<String, Integer> sticky = new TreeMap<>();

    public DefaultPartitioner(RandomStream random) {
        this.random = random;
    }

    @Override
    public int partition(String topic, Optional<byte[]> keyBytes, int numPartitions) {
        if (numPartitions < 1) {
            throw new IllegalArgumentException("a topic has at least one partition, got " + numPartitions);
        }
        if (keyBytes.isPresent()) {
            return partitionForKey(keyBytes.get(), numPartitions);
        }
        Integer p = sticky.get(topic);
        if (p == null || p >= numPartitions) {
            p = random.nextInt(numPartitions);
            sticky.put(topic, p);
        }
        return p;
    }

    @Override
    public void onNewBatch(String topic, int previousPartition) {
        Integer current = sticky.get(topic);
        if (current == null || current != previousPartition) {
            return; // someone already moved on
        }
        sticky.remove(topic); // the next keyless record draws a partition afresh
    }

    /** The partition Kafka's producer picks for a serialized key. */
    public static int partitionForKey(byte[] key, int numPartitions) {
        return toPositive(murmur2(key)) % numPartitions;
    }

    /** Clears the sign bit (not Math.abs, which overflows on Integer.MIN_VALUE), as Kafka does. */
    public static int toPositive(int n) {
        return n & 0x7fffffff;
    }

    /** MurmurHash2, 32-bit, with the seed Kafka's producer uses; bytes read little-endian, 4 at a time. */
    public static int murmur2(byte[] data) {
        final int m = 0x5bd1e995;
        final int r = 24;
        int length = data.length;
        int h = 0x9747b28c ^ length;
        int blocks = length / 4;
        for (int i = 0; i < blocks; i++) {
            int base = i * 4;
            int k = (data[base] & 0xff) | ((data[base + 1] & 0xff) << 8) | ((data[base + 2] & 0xff) << 16) | ((data[base + 3] & 0xff) << 24);
            k *= m;
            k ^= k >>> r;
            k *= m;
            h *= m;
            h ^= k;
        }
        int tail = blocks * 4;
        switch (length - tail) {
            case 3:
                h ^= (data[tail + 2] & 0xff) << 16;
                // fall through
            case 2:
                h ^= (data[tail + 1] & 0xff) << 8;
                // fall through
            case 1:
                h ^= data[tail] & 0xff;
                h *= m;
                break;
            default:
                break;
        }
        h ^= h >>> 13;
        h *= m;
        h ^= h >>> 15;
        return h;
    }
}
