package dev.samsa.reports;

import java.util.List;

/**
 * What {@code ./samsa hunt} found: per historical bug flag, the first seed that fails with it
 * switched on and whether that seed passes without it. Plain values, so the {@code reports}
 * module needs nothing from the harness.
 *
 * @param title the page title
 * @param options the options every hunt ran with (workload, fault profile, fixed settings)
 * @param seeds the seed range searched, e.g. {@code 0..1999}
 * @param rows one per flag hunted so far, in the order they were hunted
 * @param finished false while the hunt is still running (the table is rewritten after each flag)
 */
public record BugTable(String title, String options, String seeds, List<Row> rows, boolean finished) {

    public BugTable {
        rows = List.copyOf(rows);
    }

    /**
     * One flag's hunt.
     *
     * @param flag the catalog's flag name, e.g. {@code BUG_NO_MIN_ISR}
     * @param catalogId the entry in the bug catalog, e.g. {@code R8}
     * @param violates the invariants the catalog says the bug violates
     * @param found whether a seed failed with the flag on
     * @param firstFailingSeed the smallest failing seed (meaningless unless {@code found})
     * @param seedsRun seeds run with the flag on: up to and including the first failing one, or all of them
     * @param failedInvariant the first invariant the failing seed violated ("" unless found)
     * @param evidence what that violation showed ("" unless found)
     * @param passesWithoutFlag whether the failing seed passes with the flag off (false unless found)
     * @param replayCommand the command that replays the failing seed with the flag ("" unless found)
     */
    public record Row(String jira, String flag, String catalogId, String component, String description, List<String> violates,
            boolean found, long firstFailingSeed, long seedsRun, String failedInvariant, String evidence, boolean passesWithoutFlag,
            String replayCommand) {

        public Row {
            violates = List.copyOf(violates);
        }

        /** Found, and the seed passes without the flag: the flag alone causes the failure. */
        public boolean confirmed() {
            return found && passesWithoutFlag;
        }

        /** The verdict in words, as the hunt prints it. */
        public String outcome() {
            if (!found) {
                return "not found in " + seedsRun + " seed" + (seedsRun == 1 ? "" : "s");
            }
            return "found at seed " + firstFailingSeed + " (" + seedsRun + " seed" + (seedsRun == 1 ? "" : "s") + ") " + failedInvariant + "; "
                    + (passesWithoutFlag ? "passes without the flag" : "FAILS without the flag too (a harness or implementation bug)");
        }
    }

    /** Hunted flags that were found and pass without their flag. */
    public long confirmed() {
        return rows.stream().filter(Row::confirmed).count();
    }

    /** The one-line verdict of the table. */
    public String verdict() {
        long notFound = rows.stream().filter(r -> !r.found()).count();
        long failWithout = rows.stream().filter(r -> r.found() && !r.passesWithoutFlag()).count();
        StringBuilder b = new StringBuilder();
        b.append(confirmed()).append(" of ").append(rows.size()).append(" flag").append(rows.size() == 1 ? "" : "s").append(" found");
        if (notFound > 0) {
            b.append("; ").append(notFound).append(" not found");
        }
        if (failWithout > 0) {
            b.append("; ").append(failWithout).append(" fail").append(failWithout == 1 ? "s" : "").append(" without the flag too");
        }
        if (!finished) {
            b.append(" (hunt not finished)");
        }
        return b.toString();
    }
}
