package dev.samsa.harness.check.groups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.samsa.harness.check.FormatException;
import dev.samsa.harness.check.groups.GroupOp.Outcome;
import dev.samsa.harness.cli.CliTest;
import dev.samsa.harness.cli.CliTest.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GroupHistoryJsonTest {

    @TempDir
    Path tmp;

    static GroupPromise promise() {
        return GroupPromise.strict(GroupPromise.COMMIT_AFTER, "range", List.of(GH.G), 2, -1);
    }

    static GH clean() {
        return new GH().joinStarted(1, 1).joined(1, 5, 1, "m1", 0, 1).send(6, 0, 0, 100).process(1, 7, 0, 0, 100)
                .commit(1, 8, 9, Outcome.OK, 1, "m1", false, 0, 1).fetch(1, 10, 11, 0, 1, 1, -1);
    }

    static GH lost() {
        return new GH().joinStarted(1, 1).joined(1, 5, 1, "m1", 0, 1).commit(1, 8, 9, Outcome.OK, 1, "m1", false, 0, 1).fetch(1, 10, 11, 0, -1);
    }

    Path write(String name, GH h) {
        Path f = tmp.resolve(name);
        GroupHistoryJson.write(f, new GroupHistoryJson.Header(3, "--workload groups", new TreeMap<>(java.util.Map.of("acks", "all")), promise()), h.ops());
        return f;
    }

    @Test
    void aHistoryReadsBackAsWritten() throws Exception {
        Path f = write("h.jsonl", clean());
        GroupHistoryJson.History back = GroupHistoryJson.read(f);
        assertThat(back.ops()).isEqualTo(clean().ops());
        assertThat(back.header().promise()).isEqualTo(promise());
        assertThat(back.header().seed()).isEqualTo(3);
        assertThat(Files.readAllLines(f).get(0)).startsWith("{\"schema\":\"samsa.groups-history/1\"");
        assertThat(Files.readAllLines(f).get(4)).contains("\"records\":[[0,0,100,\"\"]]");
        assertThat(GroupHistoryJson.recognises(f)).isTrue();
    }

    @Test
    void badLinesNameTheFileAndLine() throws Exception {
        Path f = write("h.jsonl", clean());
        List<String> lines = new java.util.ArrayList<>(Files.readAllLines(f));
        lines.set(2, lines.get(2).replace("\"group\"", "\"grop\""));
        Files.write(tmp.resolve("bad.jsonl"), lines);
        assertThatThrownBy(() -> GroupHistoryJson.read(tmp.resolve("bad.jsonl"))).isInstanceOf(FormatException.class)
                .hasMessageContaining("bad.jsonl:3:");
    }

    @Test
    void checkRecognisesGroupsHistoriesAndJudgesThem() {
        String ok = write("clean.jsonl", clean()).toString();
        String bad = write("lost.jsonl", lost()).toString();
        Result r = CliTest.run("check", ok);
        assertThat(r.code()).as(r.err() + r.out()).isZero();
        assertThat(r.out()).contains(ok + ": ok").endsWith("1 ok, 0 with violations\n");
        Result r2 = CliTest.run("check", ok, bad);
        assertThat(r2.code()).isEqualTo(1);
        assertThat(r2.out()).contains("group.offset-durable VIOLATION").endsWith("1 ok, 1 with violations\n");
    }
}
