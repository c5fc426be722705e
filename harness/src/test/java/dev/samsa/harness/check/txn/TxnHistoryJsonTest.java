package dev.samsa.harness.check.txn;

import static dev.samsa.harness.check.txn.TH.r;
import static dev.samsa.harness.check.txn.TH.w;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.samsa.harness.check.FormatException;
import dev.samsa.harness.cli.CliTest;
import dev.samsa.harness.cli.CliTest.Result;
import dev.samsa.harness.workload.txn.TxnOp.Outcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TxnHistoryJsonTest {

    @TempDir
    Path tmp;

    private static TH abortedRead() {
        return new TH().txn(0, Outcome.OK, w(0, 1, 0), w(1, 1, 0)).txn(1, Outcome.FAIL, w(0, 2, 1)).poll(5, r(0, 0, 1), r(1, 0, 1), r(0, 1, 2));
    }

    private Path write(String name, TxnPromise promise, TH h) {
        Path f = tmp.resolve(name);
        TreeMap<String, String> settings = new TreeMap<>();
        settings.put("isolation.level", promise.readCommitted() ? "read_committed" : "read_uncommitted");
        TxnHistoryJson.write(f, new TxnHistoryJson.Header("txn", 7, "--workload txn", settings, promise), h.ops());
        return f;
    }

    @Test
    void aHistoryReadsBackAsWritten() {
        TxnPromise p = TxnPromise.strict().withEnd(0, 3, 4).withWhyLsoMayLag("open").withEos(true).withRetentionHorizon(1, 7);
        Path f = write("h.jsonl", p, abortedRead());
        TxnHistoryJson.History h = TxnHistoryJson.read(f);
        assertThat(h.ops()).isEqualTo(abortedRead().ops());
        assertThat(h.header().promise()).isEqualTo(p);
        assertThat(h.header().workload()).isEqualTo("txn");
        assertThat(TxnHistoryJson.recognises(f)).isTrue();
    }

    @Test
    void badInputNamesFileAndLine() throws Exception {
        Path f = write("h.jsonl", TxnPromise.strict(), abortedRead());
        Files.writeString(f, Files.readString(f).replace("\"type\":\"poll\"", "\"type\":\"peek\""));
        assertThatThrownBy(() -> TxnHistoryJson.read(f)).isInstanceOf(FormatException.class).hasMessageContaining(f + ":4: type must be one of");
    }

    @Test
    void checkRecognisesTxnHistoriesAndJudgesThemByTheirPromise() {
        Path bad = write("bad.jsonl", TxnPromise.strict(), abortedRead());
        Path uncommitted = write("ru.jsonl", TxnPromise.strict().withReadCommitted(false), abortedRead());
        Result r = CliTest.run("check", bad.toString(), uncommitted.toString());
        assertThat(r.code()).as(r.err()).isEqualTo(1);
        assertThat(r.out()).contains(bad + ": 1 anomaly (txn.aborted-read), 1 violated (txn, 3 ops, 2 committed writes)")
                .contains("  txn.aborted-read VIOLATION: 1 occurrence: process 5 op #2 (poll ok) read key 0 offset 1 value 2")
                .contains(uncommitted + ": ok (txn, 3 ops, 2 committed writes), 1 anomaly (txn.aborted-read) all expected")
                .endsWith("1 ok, 1 with violations\n");
        assertThat(CliTest.run("check", uncommitted.toString()).code()).isZero();
    }
}
