package dev.samsa.harness.cli;

import dev.samsa.harness.run.CampaignSummary;
import dev.samsa.harness.run.ResultsMerge;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Rebuild report.md, report.html and summary.json from the results.jsonl of one or more output folders "
                + "(shards made with --shard I/N, or repeated runs), merged by seed. Exit 0: every invariant held; 1: a violation; 2: bad input.")
final class ReportCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "DIR", description = "Output folders of ./samsa run (each with a results.jsonl).")
    List<Path> dirs = new ArrayList<>();

    @Option(names = "--out", paramLabel = "DIR", description = "Where to write the merged report (default: the first DIR).")
    Path out;

    @Override
    public Integer call() {
        Path target = out != null ? out : dirs.get(0);
        CampaignSummary s;
        try {
            s = ResultsMerge.rebuild(dirs, target);
        } catch (ResultsMerge.BadInputException e) {
            throw new UsageException(e.getMessage());
        }
        System.out.printf("%d seeds from %d folder%s: %d passed, %d failed%s%n", s.seedsDone(), dirs.size(), dirs.size() == 1 ? "" : "s",
                s.passed(), s.failed(), s.seedsWithExpectedAnomalies() > 0 ? " (" + s.seedsWithExpectedAnomalies() + " with expected anomalies)" : "");
        System.out.println("report: " + target.resolve("report.html") + " (also report.md, summary.json, results.jsonl)");
        System.out.println(s.failed() == 0 ? "verdict: every invariant held"
                : "verdict: " + s.failed() + " seed" + (s.failed() == 1 ? "" : "s") + " violated an invariant");
        return s.failed() > 0 ? SamsaCli.EXIT_VIOLATION : 0;
    }
}
