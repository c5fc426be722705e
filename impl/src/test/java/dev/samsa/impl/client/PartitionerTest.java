package dev.samsa.impl.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.samsa.impl.node.RandomStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;

/** samsa's partitioner against the real Kafka client (kafka-clients, test scope only). */
class PartitionerTest {

    @Property(tries = 5000)
    void everyKeyGoesWhereKafkasProducerPutsIt(@ForAll @Size(max = 100) byte[] key, @ForAll @IntRange(min = 1, max = 1000) int partitions) {
        int kafka = Utils.toPositive(Utils.murmur2(key)) % partitions;
        assertThat(DefaultPartitioner.partitionForKey(key, partitions)).isEqualTo(kafka);
        assertThat(DefaultPartitioner.murmur2(key)).isEqualTo(Utils.murmur2(key));
    }

    @Test
    void theSignBitIsClearedNotNegated() {
        assertThat(DefaultPartitioner.toPositive(Integer.MIN_VALUE)).isZero().isEqualTo(Utils.toPositive(Integer.MIN_VALUE));
        assertThat(DefaultPartitioner.toPositive(-1)).isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void keylessRecordsStickToAPartitionUntilTheirBatchCloses() {
        DefaultPartitioner p = new DefaultPartitioner(new RandomStream(3));
        int first = p.partition("orders", Optional.empty(), 12);
        for (int i = 0; i < 50; i++) {
            assertThat(p.partition("orders", Optional.empty(), 12)).isEqualTo(first);
        }
        boolean moved = false;
        for (int i = 0; i < 20 && !moved; i++) {
            int current = p.partition("orders", Optional.empty(), 12);
            p.onNewBatch("orders", current);
            moved = p.partition("orders", Optional.empty(), 12) != first;
        }
        assertThat(moved).as("a new batch eventually lands elsewhere").isTrue();
    }

    /** The seed article's custom partitioner: records keyed "REGION:id" go to their region's partition. */
    static final class GeoPartitioner implements Partitioner {
        @Override
        public int partition(String topic, Optional<byte[]> keyBytes, int numPartitions) {
            String key = keyBytes.map(b -> new String(b, StandardCharsets.UTF_8)).orElse("");
            String region = key.contains(":") ? key.substring(0, key.indexOf(':')) : key;
            return switch (region) {
                case "US" -> 0;
                case "EU" -> 1;
                case "APAC" -> 2;
                default -> 3;
            } % numPartitions;
        }
    }

    @Test
    void aCustomPartitionerPlugsIn() {
        Partitioner geo = new GeoPartitioner();
        assertThat(geo.partition("orders", Optional.of("EU:1001".getBytes(StandardCharsets.UTF_8)), 4)).isEqualTo(1);
        assertThat(geo.partition("orders", Optional.of("LATAM:7".getBytes(StandardCharsets.UTF_8)), 4)).isEqualTo(3);
        assertThat(geo.partition("orders", Optional.empty(), 4)).isEqualTo(3);
    }
}
