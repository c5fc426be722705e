package dev.samsa.reports;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Renders a {@link CampaignReport} as Markdown ({@link MarkdownReport}: terminals, pull requests)
 * and as one self-contained HTML page ({@link HtmlReport}: inline style, no script, no external
 * reference; opens offline). Files are written to a temporary name and renamed, so a killed run
 * never leaves half a report.
 */
public final class ReportWriter {

    private ReportWriter() {}

    /** A name that can sit in a relative link without leaving the report's folder or needing escape. */
    private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}");

    public static void writeBoth(CampaignReport r, Path dir) throws IOException {
        writeAtomically(dir.resolve("report.md"), markdown(r));
        writeAtomically(dir.resolve("report.html"), html(r));
    }

    public static void writeAtomically(Path file, String content) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = parent.resolve("." + file.getFileName() + ".tmp"); // default permissions, unlike createTempFile
        Files.writeString(tmp, content, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    public static String markdown(CampaignReport r) {
        return MarkdownReport.render(r);
    }

    public static String html(CampaignReport r) {
        return HtmlReport.render(r);
    }

    /** The campaign's one-line verdict. */
    public static String verdict(CampaignReport r) {
        if (r.failed() > 0) {
            return r.failed() + " of " + r.seedsDone() + " seeds violated an invariant";
        }
        return "every invariant held on " + r.seedsDone() + " seeds" + (r.finished() ? "" : " (run not finished)");
    }

    /** Every path reached or declared, with how often it was reached (0: declared and never reached). */
    static TreeMap<String, Long> paths(CampaignReport r) {
        TreeMap<String, Long> all = new TreeMap<>(r.reachedPaths());
        for (String p : r.declaredPaths()) {
            all.putIfAbsent(p, 0L);
        }
        return all;
    }

    /** The declared rare paths no seed reached, in name order. */
    static List<String> neverReached(CampaignReport r) {
        List<String> never = new ArrayList<>();
        for (Map.Entry<String, Long> e : paths(r).entrySet()) {
            if (e.getValue() == 0) {
                never.add(e.getKey());
            }
        }
        return never;
    }

    static boolean safeFolder(String name) {
        return SAFE_NAME.matcher(name).matches() && !name.contains("..");
    }
}
