package dev.samsa.harness.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.samsa.harness.fault.FaultEvent.Variant;
import dev.samsa.harness.sim.CrashKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FaultScheduleTest {

    static final long S = 1_000_000_000L;

    static FaultSchedule everyKind() {
        return FaultSchedule.of(5 * S, List.of(
                FaultEvent.crash(6 * S + 1, CrashKind.KILL, 3000, 7 * S),
                FaultEvent.crash(6 * S + 2, CrashKind.POWER_LOSS, 3001, 8 * S),
                FaultEvent.crash(6 * S + 3, CrashKind.POWER_LOSS_TORN, 3002, 9 * S),
                FaultEvent.crash(6 * S + 4, CrashKind.WIPE, 0, 10 * S),
                FaultEvent.pause(7 * S, 1, 7 * S + 500_000_000L),
                FaultEvent.partition(8 * S, Variant.ISOLATE, List.of(2), List.of(), 9 * S),
                FaultEvent.partition(9 * S, Variant.HALVES, List.of(0, 1, 10000), List.of(), 10 * S),
                FaultEvent.partition(10 * S, Variant.RING, List.of(3000, 0, 3001, 1, 3002), List.of(), 11 * S),
                FaultEvent.partition(11 * S, Variant.ONE_WAY, List.of(0), List.of(1, 2), 12 * S),
                FaultEvent.clog(12 * S, 10000, 1, 37, 14 * S + 123),
                FaultEvent.none(13 * S, FaultFamily.KILL)));
    }

    @Test
    void theTextFormatRoundTripsEveryKind(@TempDir Path tmp) throws Exception {
        FaultSchedule s = everyKind();
        assertThat(FaultSchedule.parse("x", s.lines()).lines()).isEqualTo(s.lines());
        assertThat(FaultSchedule.parse("x", s.lines()).events()).isEqualTo(s.events());
        Path file = tmp.resolve("faults.txt");
        Files.writeString(file, s.format(List.of("a header", "replay: ./samsa replay --seed 1")));
        FaultSchedule read = FaultSchedule.read(file);
        assertThat(read.events()).isEqualTo(s.events());
        assertThat(read.faultsStartNanos()).hasValue(5 * S);
        assertThat(read.faultCount()).isEqualTo(10);
        assertThat(read.source()).isEqualTo(file.toString());
        assertThat(s.lines()).contains("12.000000000 clog a=10000 b=1 factor=37 for=2.000000123",
                "9.000000000 partition halves from=0,1,10000 to= until=10.000000000", "13.000000000 none family=kill");
    }

    @Test
    void commentsBlankLinesAndShortDecimalsAreFine() {
        FaultSchedule s = FaultSchedule.parse("f", List.of("# header", "", "  7.5 kill node=1 until=9   # ctrl-1", "8 pause node=2 until=8.25"));
        assertThat(s.faultsStartNanos()).isEmpty();
        assertThat(s.events()).containsExactly(FaultEvent.crash(7_500_000_000L, CrashKind.KILL, 1, 9 * S),
                FaultEvent.pause(8 * S, 2, 8_250_000_000L));
        assertThat(s.where(1)).isEqualTo("f:4");
    }

    @Test
    void badLinesAreRejectedWithFileAndLine() {
        assertBad("1.0 meteor node=1 until=2", "f.txt:2: unknown fault kind 'meteor'");
        assertBad("1.0 kill node=1", "f.txt:2: missing until=");
        assertBad("1.0 kill node=one until=2", "node needs a whole number");
        assertBad("1.0 kill node=1 until=2 extra=3", "unexpected extra=");
        assertBad("1.0 kill node=1 node=2 until=2", "'node' given twice");
        assertBad("1.0 kill node=1 until=0.5", "undone before it happens");
        assertBad("1.0000000001 kill node=1 until=2", "expected seconds like 12.345678901");
        assertBad("-1 kill node=1 until=2", "expected seconds like");
        assertBad("1.0 clog a=1 b=1 factor=10 for=1", "two different nodes");
        assertBad("1.0 clog a=1 b=2 factor=0 for=1", "factor must be positive");
        assertBad("1.0 partition node=1 until=2", "unknown partition variant 'node=1'");
        assertBad("1.0 partition", "needs its variant");
        assertBad("1.0 none family=meteor", "unknown fault family 'meteor'");
        assertBad("0.5 kill node=1 until=2", "f.txt:2: before faults-start 0.900000000");
        assertThatThrownBy(() -> FaultSchedule.parse("f.txt", List.of("2 kill node=1 until=3", "# comment", "1.5 kill node=2 until=3")))
                .isInstanceOf(FaultSchedule.FormatException.class).hasMessageContaining("f.txt:3: times must not decrease");
        assertBad("faults-start 1", "faults-start comes once, first");
        assertBad("1.0", "expected TIME KIND");
    }

    @Test
    void aGoodFileIsNotRejectedByTheSameChecks() {
        assertThat(FaultSchedule.parse("f.txt", List.of("faults-start 0.5", "1 kill node=1 until=2", "1.0 clog a=1 b=2 factor=10 for=1",
                "1.0 partition one-way from=1 to=2 until=3", "1.0 none family=clog")).events()).hasSize(4);
    }

    static void assertBad(String line, String message) {
        assertThatThrownBy(() -> FaultSchedule.parse("f.txt", List.of("faults-start 0.9", line)))
                .isInstanceOf(FaultSchedule.FormatException.class).hasMessageContaining(message);
    }

    @Test
    void aScheduleNamingAnUnknownNodeIsRejected() {
        FaultSchedule s = FaultSchedule.parse("f.txt", List.of("1 kill node=7 until=2"));
        assertThatThrownBy(() -> s.checkNodes(List.of(1, 2))).isInstanceOf(FaultSchedule.FormatException.class)
                .hasMessageContaining("f.txt:1: unknown node 7");
        s.checkNodes(List.of(1, 7));
    }

    @Test
    void secondsAreExactToTheNanosecond() {
        assertThat(FaultSchedule.seconds(12_345_678_901L)).isEqualTo("12.345678901");
        assertThat(FaultSchedule.parseSeconds("12.345678901")).isEqualTo(12_345_678_901L);
        assertThat(FaultSchedule.parseSeconds("3")).isEqualTo(3 * S);
        assertThat(FaultSchedule.parseSeconds("0.1")).isEqualTo(100_000_000L);
    }
}
