package dev.samsa.harness.perf;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PerfRunTest {

    @Test
    void speed() {
        for (String acks : new String[] {"0", "1", "all"}) {
            for (int out : new int[] {2000}) {
            PerfRun.Sample s = PerfRun.run(Map.of("acks", acks), 1, new PerfRun.Timing(500, 1000, 100, out, acks.equals("all") ? 0 : 20_000));
            System.out.printf("acks=%s out=%d acked=%d failed=%d rps=%.0f p50=%d p99=%d e2e50=%d e2e99=%d lag=%s events=%d wall=%dms%n", acks, out, s.acknowledged(), s.failed(),
                    s.recordsPerSecond(), s.produceLatencyMicros().getValueAtPercentile(50), s.produceLatencyMicros().getValueAtPercentile(99),
                    s.endToEndMs().getValueAtPercentile(50), s.endToEndMs().getValueAtPercentile(99), s.lag(), s.events(), s.wallNanos() / 1_000_000);
            assertThat(s.acknowledged()).isPositive();
            }
        }
    }
}
