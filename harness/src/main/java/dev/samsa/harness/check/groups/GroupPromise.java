package dev.samsa.harness.check.groups;

import java.util.List;

/**
 * What a groups run's configuration promises, decided by the workload from the seed's settings
 * and what happened in the run. The checker reports an anomaly Kafka does not promise to avoid
 * here as expected, with the reason given, never as a violation.
 *
 * @param topic the workload's topic (its dead-letter topic is {@code topic + ".DLT"})
 * @param partitions partitions of the topic
 * @param groups the consumer groups
 * @param processing {@code auto-commit}, {@code commit-after} or {@code dead-letter}
 * @param strategy {@code partition.assignment.strategy}
 * @param staticMembership members carry a {@code group.instance.id}
 * @param poisonEvery a value v is poison when {@code (v / 100) % poisonEvery == 0} (0: no poison)
 * @param whyRecordsMayBeLost why the topic's acknowledged records may be lost (empty: they may not)
 * @param whyOffsetsMayExpire why committed offsets may legitimately vanish (empty: they may not)
 * @param finalReadsDone the run ended with each group's committed offsets read and the
 *     dead-letter topic read to its end
 * @param stableDeadlineNs when every group must be stable again after the heal ({@code -1}:
 *     the run is too short to judge, see {@code whyNoStableDeadline})
 * @param whyNoStableDeadline why stability after heal cannot be judged (empty when it can)
 * @param staleReadWindows {@code [fromNs, toNs]} intervals in which some broker was paused or cut
 *     off from the controllers (and a second after): a deposed coordinator may then answer
 *     {@code committed()} from its cache, as Kafka has no read fencing, so reads completing in
 *     them constrain nothing
 */
public record GroupPromise(
        String topic,
        int partitions,
        List<String> groups,
        String processing,
        String strategy,
        boolean staticMembership,
        int poisonEvery,
        String whyRecordsMayBeLost,
        String whyOffsetsMayExpire,
        boolean finalReadsDone,
        long stableDeadlineNs,
        String whyNoStableDeadline,
        List<List<Long>> staleReadWindows) {

    public static final String AUTO_COMMIT = "auto-commit";
    public static final String COMMIT_AFTER = "commit-after";
    public static final String DEAD_LETTER = "dead-letter";

    public GroupPromise {
        groups = List.copyOf(groups);
        staleReadWindows = staleReadWindows == null ? List.of() : staleReadWindows.stream().map(List::copyOf).toList();
        if (!List.of(AUTO_COMMIT, COMMIT_AFTER, DEAD_LETTER).contains(processing)) {
            throw new IllegalArgumentException("processing must be auto-commit, commit-after or dead-letter, not '" + processing + "'");
        }
        if (stableDeadlineNs < 0 && whyNoStableDeadline.isBlank()) {
            throw new IllegalArgumentException("a run without a stability deadline must say why");
        }
    }

    /** A strict promise over {@code groups} for tests: nothing may be lost, nothing expires, everything judged. */
    public static GroupPromise strict(String processing, String strategy, List<String> groups, int partitions, long stableDeadlineNs) {
        return new GroupPromise("t", partitions, groups, processing, strategy, false, processing.equals(DEAD_LETTER) ? 5 : 0, "", "", true,
                stableDeadlineNs, stableDeadlineNs < 0 ? "not judged" : "", List.of());
    }

    /** A read completing at {@code completeNs} may come from a deposed coordinator's cache. */
    public boolean maybeStale(long completeNs) {
        for (List<Long> w : staleReadWindows) {
            if (w.get(0) <= completeNs && completeNs <= w.get(1)) {
                return true;
            }
        }
        return false;
    }

    /** Some stale-read window overlaps {@code [fromNs, toNs]}. */
    public boolean maybeStaleBetween(long fromNs, long toNs) {
        for (List<Long> w : staleReadWindows) {
            if (w.get(0) <= toNs && fromNs <= w.get(1)) {
                return true;
            }
        }
        return false;
    }

    public GroupPromise withStaleReadWindows(List<List<Long>> windows) {
        return new GroupPromise(topic, partitions, groups, processing, strategy, staticMembership, poisonEvery, whyRecordsMayBeLost,
                whyOffsetsMayExpire, finalReadsDone, stableDeadlineNs, whyNoStableDeadline, windows);
    }

    public boolean poison(long value) {
        return poisonEvery > 0 && (value / 100) % poisonEvery == 0;
    }

    public boolean cooperative() {
        return strategy.startsWith("cooperative");
    }

    /** Commits follow processing: records below a committed offset were processed (at least once). */
    public boolean commitsAfterProcessing() {
        return !processing.equals(AUTO_COMMIT);
    }

    public GroupPromise withOffsetsMayExpire(String why) {
        return new GroupPromise(topic, partitions, groups, processing, strategy, staticMembership, poisonEvery, whyRecordsMayBeLost, why,
                finalReadsDone, stableDeadlineNs, whyNoStableDeadline, staleReadWindows);
    }

    public GroupPromise withRecordsMayBeLost(String why) {
        return new GroupPromise(topic, partitions, groups, processing, strategy, staticMembership, poisonEvery, why, whyOffsetsMayExpire,
                finalReadsDone, stableDeadlineNs, whyNoStableDeadline, staleReadWindows);
    }

    public GroupPromise withStatic(boolean s) {
        return new GroupPromise(topic, partitions, groups, processing, strategy, s, poisonEvery, whyRecordsMayBeLost, whyOffsetsMayExpire,
                finalReadsDone, stableDeadlineNs, whyNoStableDeadline, staleReadWindows);
    }
}
