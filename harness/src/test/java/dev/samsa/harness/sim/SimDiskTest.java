package dev.samsa.harness.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.samsa.impl.node.Disk;
import dev.samsa.impl.node.RandomStream;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class SimDiskTest {

    @Test
    void aKillLosesNothingBecauseThePageCacheSurvives() {
        SimDisk d = new SimDisk();
        d.append("log", "a", 1);
        d.append("log", "b", 1);
        // a kill does not touch the disk object at all: the page cache is the disk's current content
        assertThat(d.readAll("log")).containsExactly("a", "b");
    }

    @Property(tries = 300)
    void powerLossKeepsTheSyncedPrefixAndAtMostAPrefixOfTheRest(
            @ForAll @IntRange(min = 0, max = 20) int synced,
            @ForAll @IntRange(min = 0, max = 20) int unsynced,
            @ForAll long seed) {
        SimDisk d = new SimDisk();
        List<Object> written = new ArrayList<>();
        for (int i = 0; i < synced; i++) {
            d.append("log", i, 10);
            written.add(i);
        }
        d.fsync("log");
        for (int i = synced; i < synced + unsynced; i++) {
            d.append("log", i, 10);
            written.add(i);
        }
        d.powerLoss(new RandomStream(seed), 0.0);
        List<Object> after = d.readAll("log");
        if (synced == 0 && after.isEmpty()) {
            return; // never synced, nothing written back: the file may be gone
        }
        assertThat(after.size()).isBetween(synced, synced + unsynced);
        assertThat(after).isEqualTo(written.subList(0, after.size()));
    }

    @Test
    void powerLossWithNoWritebackDropsExactlyTheUnsyncedSuffix() {
        // Among many draws, some keep none of the unsynced entries: then exactly the synced prefix remains.
        boolean sawExact = false;
        for (long seed = 0; seed < 100; seed++) {
            SimDisk d = new SimDisk();
            d.append("log", "a", 1);
            d.append("log", "b", 1);
            d.fsync("log");
            d.append("log", "c", 1);
            d.append("log", "d", 1);
            d.powerLoss(new RandomStream(seed), 0.0);
            sawExact |= d.readAll("log").equals(List.of("a", "b"));
            assertThat(d.readAll("log").subList(0, 2)).containsExactly("a", "b");
        }
        assertThat(sawExact).isTrue();
    }

    @Test
    void aTornWriteLeavesATornMarkerAsTheLastEntry() {
        boolean sawTorn = false;
        for (long seed = 0; seed < 50; seed++) {
            SimDisk d = new SimDisk();
            d.append("log", "a", 1);
            d.fsync("log");
            d.append("log", "b", 1);
            d.append("log", "c", 1);
            d.powerLoss(new RandomStream(seed), 1.0);
            List<Object> after = d.readAll("log");
            assertThat(after.get(0)).isEqualTo("a");
            if (after.size() > 1) {
                assertThat(after.get(after.size() - 1)).isSameAs(Disk.TORN);
                sawTorn = true;
            }
        }
        assertThat(sawTorn).isTrue();
    }

    @Test
    void aReplaceIsAtomicUnderPowerLoss() {
        for (long seed = 0; seed < 50; seed++) {
            SimDisk d = new SimDisk();
            d.replace("quorum-state", "epoch 1", 8);
            d.fsync("quorum-state");
            d.replace("quorum-state", "epoch 2", 8);
            d.powerLoss(new RandomStream(seed), 1.0);
            assertThat(d.readAll("quorum-state")).containsExactly("epoch 1");
        }
    }

    @Test
    void aTruncationAfterAnFsyncIsUndoneByPowerLoss() {
        SimDisk d = new SimDisk();
        d.append("log", "a", 1);
        d.append("log", "b", 1);
        d.fsync("log");
        d.truncate("log", 1);
        d.append("log", "x", 1);
        d.powerLoss(new RandomStream(1), 0.0);
        assertThat(d.readAll("log")).containsExactly("a", "b");
        d.truncate("log", 1);
        d.append("log", "y", 1);
        d.fsync("log");
        d.powerLoss(new RandomStream(2), 0.0);
        assertThat(d.readAll("log")).containsExactly("a", "y");
    }
}
