package dev.samsa.harness.check.queue;

import static dev.samsa.harness.check.queue.H.p;
import static dev.samsa.harness.check.queue.H.r;
import static dev.samsa.harness.check.queue.H.s;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.samsa.harness.check.FormatException;
import dev.samsa.harness.workload.queue.QueueOp;
import dev.samsa.harness.workload.queue.QueueOp.Outcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QueueHistoryJsonTest {

    @TempDir
    Path tmp;

    static QueueHistoryJson.Header header() {
        Map<String, String> settings = new TreeMap<>();
        settings.put("acks", "1");
        settings.put("min.insync.replicas", "2");
        QueuePromise promise = QueuePromise.strict().withDurable(false, "acks=1").withIdempotent(false, "enable.idempotence=false")
                .withFinalReadsDone(false).withRetentionHorizon(3, 120);
        return new QueueHistoryJson.Header(42, "--workload queue --seeds 42", settings, promise);
    }

    static List<QueueOp> ops() {
        return new H().send(1, s(0, 10, 0), s(3, 11, -1)).send(2, Outcome.INFO, s(0, 12, -1)).assign(5, 0, 3)
                .poll(5, Outcome.OK, List.of(p(0, 0, 10), p(3, 125, 11)), List.of(r(3, 0, 120))).poll(5, Outcome.FAIL, List.of(), List.of()).ops();
    }

    @Test
    void aHistoryReadsBackAsWritten() throws Exception {
        Path f = tmp.resolve("h.jsonl");
        QueueHistoryJson.write(f, header(), ops());
        QueueHistoryJson.History back = QueueHistoryJson.read(f);
        assertThat(back.header()).isEqualTo(header());
        assertThat(back.ops()).isEqualTo(ops());
        List<String> lines = Files.readAllLines(f);
        assertThat(lines).hasSize(6);
        assertThat(lines.get(0)).startsWith("{\"schema\":\"samsa.queue-history/1\",\"seed\":42,").contains("\"retentionHorizon\":{\"3\":120}");
        assertThat(lines.get(4)).contains("\"type\":\"poll\"").contains("\"polls\":[[0,0,10],[3,125,11]]")
                .contains("\"resets\":[[3,0,120,\"auto.offset.reset=earliest\"]]");
        assertThat(tmp.resolve(".h.jsonl.tmp")).doesNotExist();
    }

    @Test
    void optionalFieldsMayBeLeftOutAndBlankLinesAreIgnored() throws Exception {
        Path f = tmp.resolve("short.jsonl");
        QueueHistoryJson.write(f, header(), List.of());
        Files.writeString(f, Files.readString(f) + "\n{\"index\":0,\"process\":1,\"type\":\"send\",\"invokeNs\":1,\"completeNs\":2,\"outcome\":\"ok\",\"sends\":[[0,5,0]]}\n");
        QueueOp op = QueueHistoryJson.read(f).ops().get(0);
        assertThat(op.sends()).containsExactly(s(0, 5, 0));
        assertThat(op.error()).isEmpty();
        assertThat(op.polls()).isEmpty();
    }

    /** Writes a valid header and one op line, then {@code line} as line 3; reading must fail naming line 3. */
    String errorOnLine3(String line) throws Exception {
        Path f = tmp.resolve("bad.jsonl");
        QueueHistoryJson.write(f, header(), ops().subList(0, 1));
        Files.writeString(f, Files.readString(f) + line + "\n");
        try {
            QueueHistoryJson.read(f);
        } catch (FormatException e) {
            assertThat(e.getMessage()).startsWith(f + ":3: ");
            return e.getMessage().substring((f + ":3: ").length());
        }
        throw new AssertionError("no error for " + line);
    }

    static final String OK_PREFIX = "{\"index\":1,\"process\":1,\"invokeNs\":1,\"completeNs\":2,";

    @Test
    void badLinesAreRejectedNamingTheLineAndWhatIsWrong() throws Exception {
        assertThat(errorOnLine3("{\"index\":1,")).startsWith("not JSON");
        assertThat(errorOnLine3("[1,2]")).isEqualTo("expected a JSON object");
        assertThat(errorOnLine3(OK_PREFIX + "\"type\":\"sned\",\"outcome\":\"ok\"}")).isEqualTo("type must be send, poll or assign, got \"sned\"");
        assertThat(errorOnLine3(OK_PREFIX + "\"type\":\"send\",\"outcome\":\"maybe\"}")).isEqualTo("outcome must be ok, fail or info, got \"maybe\"");
        assertThat(errorOnLine3(OK_PREFIX + "\"type\":\"send\",\"outcome\":\"ok\",\"sends\":[[0,1]]}")).startsWith("sends: each entry must be an array of 3");
        assertThat(errorOnLine3(OK_PREFIX + "\"type\":\"send\",\"outcome\":\"ok\",\"sends\":[[0,\"x\",1]]}")).startsWith("sends value must be an integer");
        assertThat(errorOnLine3(OK_PREFIX + "\"type\":\"send\",\"outcome\":\"ok\",\"offset\":3}")).startsWith("unknown field \"offset\"");
        assertThat(errorOnLine3(OK_PREFIX + "\"type\":\"send\",\"outcome\":\"ok\",\"polls\":[[0,1,2]]}")).isEqualTo("a send carries polls or resets");
        assertThat(errorOnLine3("{\"index\":1,\"process\":1,\"type\":\"send\",\"outcome\":\"ok\",\"completeNs\":2}")).isEqualTo("missing field \"invokeNs\"");
        assertThat(errorOnLine3("{\"index\":1,\"process\":1,\"type\":\"send\",\"outcome\":\"ok\",\"invokeNs\":5,\"completeNs\":2}"))
                .isEqualTo("completeNs 2 is before invokeNs 5");
    }

    @Test
    void aBadHeaderIsRejected() throws Exception {
        Path f = tmp.resolve("nohead.jsonl");
        Files.writeString(f, "{\"index\":0}\n");
        assertThatThrownBy(() -> QueueHistoryJson.read(f)).isInstanceOf(FormatException.class)
                .hasMessage(f + ":1: not a queue history header: expected \"schema\":\"samsa.queue-history/1\"");
        Files.writeString(f, "{\"schema\":\"samsa.queue-history/1\",\"seed\":1,\"options\":\"\",\"settings\":{},"
                + "\"promise\":{\"durable\":false,\"whyNotDurable\":\"\",\"idempotent\":true,\"whyNotIdempotent\":\"\",\"finalReadsDone\":true,\"retentionHorizon\":{}}}\n");
        assertThatThrownBy(() -> QueueHistoryJson.read(f)).hasMessage(f + ":1: promise: a run that is not durable must say why");
        Files.writeString(f, "\n\n");
        assertThatThrownBy(() -> QueueHistoryJson.read(f)).hasMessageStartingWith(f + ":2: empty");
    }
}
