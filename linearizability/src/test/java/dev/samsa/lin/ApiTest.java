package dev.samsa.lin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.samsa.lin.io.EtcdLogParser;
import dev.samsa.lin.io.HistoryFormatException;
import dev.samsa.lin.io.KvLogParser;
import dev.samsa.lin.models.RegisterModel;
import dev.samsa.lin.models.RegisterModel.Input;
import dev.samsa.lin.models.RegisterModel.Op;
import dev.samsa.lin.models.RegisterModel.Output;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiTest {

    static Operation<Input, Output> write(int client, long v, long call, long ret) {
        return new Operation<>(client, new Input(Op.WRITE, v, 0), call, new Output(true, RegisterModel.NIL, false), ret);
    }

    static Operation<Input, Output> read(int client, long v, long call, long ret) {
        return new Operation<>(client, new Input(Op.READ, 0, 0), call, new Output(true, v, false), ret);
    }

    @Test
    void aStaleReadAfterAWriteCompletedIsIllegalButAConcurrentOneIsFine() {
        RegisterModel m = new RegisterModel();
        assertThat(Linearizability.check(m, List.of(write(0, 1, 0, 10), read(1, RegisterModel.NIL, 20, 30)), Duration.ZERO)).isEqualTo(CheckResult.ILLEGAL);
        assertThat(Linearizability.check(m, List.of(write(0, 1, 0, 10), read(1, RegisterModel.NIL, 5, 30)), Duration.ZERO)).isEqualTo(CheckResult.OK);
        assertThat(Linearizability.check(m, List.of(), Duration.ZERO)).isEqualTo(CheckResult.OK);
    }

    @Test
    void aTimeoutGivesUnknownNeverAWrongVerdict() {
        // 14 concurrent writes and reads of distinct values ending in an impossible read: exponential to refute
        List<Operation<Input, Output>> h = new java.util.ArrayList<>();
        for (int i = 0; i < 14; i++) {
            h.add(write(i, i, 0, 100));
        }
        for (int i = 0; i < 14; i++) {
            h.add(read(100 + i, i, 0, 100));
        }
        h.add(read(200, 99, 0, 100));
        assertThat(Linearizability.check(new RegisterModel(), h, Duration.ofMillis(50))).isEqualTo(CheckResult.UNKNOWN);
    }

    @Test
    void theVerboseCheckReportsTheLongestPrefixAndTheStatesAlongIt() {
        var v = Linearizability.checkVerbose(new RegisterModel(), List.of(write(0, 1, 0, 10), read(1, 1, 20, 30), read(1, 2, 40, 50)), Duration.ZERO);
        assertThat(v.result()).isEqualTo(CheckResult.ILLEGAL);
        LinearizationInfo.Partition p = v.info().partitions().get(0);
        assertThat(p.longestPrefix()).containsExactly(0, 1);
        assertThat(p.statesAfterEachStep()).containsExactly("1", "1");
        assertThat(p.operations().get(2).description()).isEqualTo("read() -> 2");
    }

    @Test
    void eventsMustPairUp() {
        assertThatThrownBy(() -> Linearizability.checkEvents(new RegisterModel(), List.of(new Event<>(0, Event.Kind.RETURN, null, 7)), Duration.ZERO))
                .hasMessageContaining("return of id 7 before its call");
    }

    @Test
    void parsersNameTheFileTheLineAndTheProblem(@TempDir Path dir) throws Exception {
        Path etcd = dir.resolve("bad.log");
        Files.writeString(etcd, "INFO  jepsen.util - 1\t:invoke\t:read\tnil\nINFO  jepsen.util - 1\t:ok\t:cas\t[1 2]\n");
        assertThatThrownBy(() -> EtcdLogParser.parse(etcd)).isInstanceOf(HistoryFormatException.class)
                .hasMessage(etcd + ":2: process 1 completes a cas it did not invoke");
        Files.writeString(etcd, "INFO  jepsen.util - 1\t:invoke\t:cas\t[1]\n");
        assertThatThrownBy(() -> EtcdLogParser.parse(etcd)).hasMessage(etcd + ":1: expected [FROM TO], got '[1]'");
        Path kv = dir.resolve("bad.txt");
        Files.writeString(kv, "{:process 0, :type :invoke, :f :get, :key \"1\", :value nil}\nhello\n");
        assertThatThrownBy(() -> KvLogParser.parse(kv)).hasMessageStartingWith(kv + ":2: not a kv operation");
        assertThatThrownBy(() -> KvLogParser.parse(dir.resolve("missing.txt"))).hasMessageContaining("missing.txt: cannot read");
    }

    @Test
    void anUnansweredCallMayTakeEffectOrNot(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("open.log");
        // process 2's write of 3 never returns; a later read of 3 and of nil are both fine
        Files.writeString(f, String.join("\n",
                "INFO  jepsen.util - 2\t:invoke\t:write\t3",
                "INFO  jepsen.util - 1\t:invoke\t:read\tnil",
                "INFO  jepsen.util - 1\t:ok\t:read\tnil",
                "INFO  jepsen.util - 1\t:invoke\t:read\tnil",
                "INFO  jepsen.util - 1\t:ok\t:read\t3",
                "INFO  jepsen.util - 2\t:info\t:write\t:timed-out", ""));
        assertThat(Linearizability.checkEvents(new RegisterModel(), EtcdLogParser.parse(f), Duration.ZERO)).isEqualTo(CheckResult.OK);
    }
}
