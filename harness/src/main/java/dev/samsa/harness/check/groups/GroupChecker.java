package dev.samsa.harness.check.groups;

import dev.samsa.harness.check.groups.GroupCheckResult.Rebalance;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Checks a {@code groups} history against the consumer-group invariants, each anomaly judged
 * against what the run's settings promise ({@link GroupPromise}).
 */
public final class GroupChecker {

    private GroupChecker() {}

    public static GroupCheckResult check(List<GroupOp> ops, GroupPromise promise) {
        GroupFindings findings = new GroupFindings();
        TreeMap<String, Long> counts = new TreeMap<>();
        for (GroupOp op : ops) {
            counts.merge(op.type().name().toLowerCase().replace('_', '-') + "." + op.outcome().name().toLowerCase(), 1L, Long::sum);
        }
        Ownership.check(ops, promise, findings);
        CommittedOffsets.check(ops, promise, findings, counts);
        Delivery.check(ops, promise, findings, counts);
        Stability.check(ops, promise, findings);
        List<Rebalance> rebalances = new ArrayList<>();
        for (String g : promise.groups()) {
            rebalances.addAll(Stability.rebalances(g, ops));
        }
        return new GroupCheckResult(findings.anomalies(), rebalances, counts);
    }
}
