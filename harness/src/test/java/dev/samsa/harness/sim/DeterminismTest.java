package dev.samsa.harness.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.samsa.impl.node.RandomStream;
import java.util.List;
import java.util.TreeSet;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class DeterminismTest {

    /** A busy random schedule with crashes, pauses and partitions, driven by the seed alone. */
    static long hashOf(long seed) {
        Simulation sim = TestNodes.sim(seed);
        List<Integer> ids = List.of(1, 2, 3, 4);
        for (int id : ids) {
            sim.addNode(id, "n" + id, Role.BROKER, ctx -> new TestNodes.Chatter(ctx, ids));
        }
        RandomStream faults = sim.stream("faults");
        for (int step = 1; step <= 20; step++) {
            sim.runUntil(step * 50_000_000L);
            int victim = ids.get(faults.nextInt(ids.size()));
            switch (sim.state(victim)) {
                case UP -> {
                    switch (faults.nextInt(4)) {
                        case 0 -> sim.crash(victim, CrashKind.POWER_LOSS_TORN);
                        case 1 -> sim.pause(victim);
                        case 2 -> sim.partition(List.of(victim), List.of(ids.get(faults.nextInt(4))), faults.chance(0.5));
                        default -> sim.healPartitions();
                    }
                }
                case DOWN -> sim.restart(victim);
                case PAUSED -> sim.resume(victim);
            }
        }
        sim.runUntil(2_000_000_000L);
        return sim.traceHash();
    }

    @Property(tries = 30)
    void theSameSeedGivesTheSameTraceHash(@ForAll long seed) {
        assertThat(hashOf(seed)).isEqualTo(hashOf(seed));
    }

    @Test
    void differentSeedsExploreDifferentSchedules() {
        TreeSet<Long> hashes = new TreeSet<>();
        for (long seed = 0; seed < 40; seed++) {
            hashes.add(hashOf(seed));
        }
        assertThat(hashes).hasSize(40);
    }

    @Test
    void theRandomStreamIsPinnedToItsSpecification() {
        // Fixed outputs: if these change, every recorded seed in the wild replays differently.
        RandomStream r = new RandomStream(42);
        long[] got = {r.nextLong(), r.nextLong(), r.nextLong()};
        RandomStream again = new RandomStream(42);
        assertThat(new long[] {again.nextLong(), again.nextLong(), again.nextLong()}).isEqualTo(got);
        assertThat(RandomStream.fnv1a64("")).isEqualTo(0xCBF29CE484222325L);
        assertThat(RandomStream.fnv1a64("a")).isEqualTo(0xAF63DC4C8601EC8CL);
        assertThat(RandomStream.mix64(0)).isEqualTo(0L);
        assertThat(RandomStream.mix64(1)).isEqualTo(0x5692161D100B05E5L);
    }

    @Test
    void namedStreamsAreIndependent() {
        RandomStream a = RandomStream.named(1, "network");
        RandomStream b = RandomStream.named(1, "disk");
        assertThat(a.nextLong()).isNotEqualTo(b.nextLong());
        assertThat(RandomStream.named(1, "network").nextLong()).isEqualTo(RandomStream.named(1, "network").nextLong());
    }

    @Test
    void nextIntIsUniformEnough() {
        RandomStream r = new RandomStream(9);
        int[] buckets = new int[10];
        for (int i = 0; i < 100_000; i++) {
            buckets[r.nextInt(10)]++;
        }
        for (int b : buckets) {
            assertThat(b).isBetween(9_500, 10_500);
        }
    }
}
