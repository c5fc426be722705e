package dev.samsa.harness.run;

import dev.samsa.reports.CampaignReport;
import dev.samsa.spec.config.KafkaConfigs;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Counts, per invariant and per value of each deciding setting, the seeds that held the
 * invariant, violated it, or violated it where that was expected. A seed's value is read from
 * its settings (which list only non-defaults) and is otherwise Kafka's default from
 * {@link KafkaConfigs}. Per seed an invariant counts once: violated if any finding broke the
 * promise, else expected if any finding was expected, else held.
 */
final class VerdictMatrixBuilder {

    private final List<String> settings;
    /** setting → value → seeds with that value. */
    private final TreeMap<String, TreeMap<String, Long>> seedsPerValue = new TreeMap<>();
    /** invariant → "setting\0value" → [violated, expected]. */
    private final TreeMap<String, TreeMap<String, long[]>> counts = new TreeMap<>();

    VerdictMatrixBuilder(List<String> decidingSettings) {
        this.settings = List.copyOf(decidingSettings);
        for (String s : settings) {
            KafkaConfigs.require(s); // a workload naming an unknown key is a programming error
        }
    }

    void add(SeedResult r, boolean determinismProblem) {
        TreeMap<String, int[]> status = new TreeMap<>(); // invariant → {violated, expected}
        for (SeedResult.Finding f : r.findings()) {
            status.computeIfAbsent(f.invariant(), k -> new int[2])[f.expected() ? 1 : 0] = 1;
        }
        if (determinismProblem) {
            status.computeIfAbsent(dev.samsa.spec.invariant.Invariant.DETERMINISM.id(), k -> new int[2])[0] = 1;
        }
        for (String s : settings) {
            String value = valueOf(r, s);
            seedsPerValue.computeIfAbsent(s, k -> new TreeMap<>()).merge(value, 1L, Long::sum);
            status.forEach((inv, st) -> {
                long[] c = counts.computeIfAbsent(inv, k -> new TreeMap<>()).computeIfAbsent(s + "\0" + value, k -> new long[2]);
                c[st[0] == 1 ? 0 : 1]++;
            });
        }
    }

    static String valueOf(SeedResult r, String setting) {
        String v = r.settings().get(setting);
        return v != null ? v : KafkaConfigs.require(setting).defaultValue();
    }

    /** The matrix over {@code invariants} (the report's rows), columns in the workload's setting order, values sorted. */
    CampaignReport.VerdictMatrix build(List<String> invariants) {
        List<CampaignReport.Column> columns = new ArrayList<>();
        for (String s : settings) {
            seedsPerValue.getOrDefault(s, new TreeMap<>()).forEach((value, n) -> columns.add(new CampaignReport.Column(s, value, n)));
        }
        List<CampaignReport.MatrixRow> rows = new ArrayList<>();
        for (String inv : invariants) {
            List<CampaignReport.Cell> cells = new ArrayList<>();
            for (CampaignReport.Column c : columns) {
                long[] vc = counts.getOrDefault(inv, new TreeMap<>()).getOrDefault(c.setting() + "\0" + c.value(), new long[2]);
                cells.add(new CampaignReport.Cell(c.seeds() - vc[0] - vc[1], vc[0], vc[1]));
            }
            rows.add(new CampaignReport.MatrixRow(inv, cells));
        }
        return new CampaignReport.VerdictMatrix(columns, rows);
    }
}
