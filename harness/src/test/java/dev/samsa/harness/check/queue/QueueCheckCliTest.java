package dev.samsa.harness.check.queue;

import static dev.samsa.harness.check.queue.H.p;
import static dev.samsa.harness.check.queue.H.s;
import static org.assertj.core.api.Assertions.assertThat;

import dev.samsa.harness.cli.CliTest;
import dev.samsa.harness.cli.CliTest.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QueueCheckCliTest {

    @TempDir
    Path tmp;

    String write(String name, QueuePromise promise, H h) {
        Path f = tmp.resolve(name);
        QueueHistoryJson.write(f, new QueueHistoryJson.Header(7, "--workload queue", new TreeMap<>(), promise), h.ops());
        return f.toString();
    }

    /** Value 11 at offset 1 acknowledged, never read, though offset 2 was. */
    static H lost() {
        return new H().send(1, s(0, 10, 0), s(0, 11, 1), s(0, 12, 2)).poll(5, p(0, 0, 10)).poll(9, p(0, 2, 12));
    }

    static H clean() {
        return new H().send(1, s(0, 10, 0), s(0, 11, 1)).poll(5, p(0, 0, 10), p(0, 1, 11));
    }

    @Test
    void cleanAndExpectedOnlyHistoriesPass() {
        String ok = write("clean.jsonl", QueuePromise.strict(), clean());
        String acks1 = write("acks1.jsonl", QueuePromise.strict().withDurable(false, "acks=1"), lost());
        Result r = CliTest.run("check", ok, acks1);
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains(ok + ": ok (2 ops, 2 values)\n")
                .contains(acks1 + ": ok (3 ops, 3 values), 1 anomaly (queue.lost-write) all expected\n")
                .contains("  queue.lost-write expected (acks=1): 1 occurrence: key 0 value 11")
                .endsWith("2 ok, 0 with violations\n");
    }

    @Test
    void aViolationFailsTheRun() {
        String ok = write("clean.jsonl", QueuePromise.strict(), clean());
        String bad = write("lost.jsonl", QueuePromise.strict(), lost());
        Result r = CliTest.run("check", ok, bad);
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).contains(bad + ": 1 anomaly (queue.lost-write), 1 violated (3 ops, 3 values)\n")
                .contains("  queue.lost-write VIOLATION: 1 occurrence: key 0 value 11 acknowledged at offset 1")
                .endsWith("1 ok, 1 with violations\n");
        assertThat(CliTest.run("check", "--format", "queue", bad).code()).isEqualTo(1);
    }

    @Test
    void unreadableInputIsOneLineNamingFileAndLine() throws Exception {
        Path broken = tmp.resolve("broken.jsonl");
        Files.writeString(broken, "{\"schema\":\"samsa.queue-history/1\",\"seed\":1,\"options\":\"\",\"settings\":{},"
                + "\"promise\":{\"durable\":true,\"whyNotDurable\":\"\",\"idempotent\":true,\"whyNotIdempotent\":\"\",\"finalReadsDone\":true,\"retentionHorizon\":{}}}\n"
                + "{\"index\":0,\"process\":1,\n");
        Result r = CliTest.run("check", broken.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).startsWith("samsa: " + broken + ":2: not JSON").doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(r.err().lines().count()).isEqualTo(1);
        Result missing = CliTest.run("check", tmp.resolve("nope.jsonl").toString());
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).contains("nope.jsonl:0: cannot read: no such file").doesNotContain("Exception");
    }

    @Test
    void otherExtensionsStillNeedAFormat() {
        Result r = CliTest.run("check", tmp.resolve("history.log").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--format is needed for").contains("history.log (etcd or kv; queue histories end in .jsonl)");
        assertThat(CliTest.run("check", "--format", "xml", "a.jsonl").err()).contains("--format must be queue, etcd or kv, got 'xml'");
    }
}
