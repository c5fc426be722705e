package dev.samsa.lin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.samsa.lin.io.EtcdLogParser;
import dev.samsa.lin.io.KvLogParser;
import dev.samsa.lin.models.KvModel;
import dev.samsa.lin.models.RegisterModel;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every history of porcupine-data gets the verdict EXPECTED.tsv gives. */
class VerdictsTest {

    @Test
    void everyFileGetsItsExpectedVerdict() throws Exception {
        List<PorcupineData.Expected> all = PorcupineData.expected();
        assertThat(all).hasSizeGreaterThanOrEqualTo(109);
        int checked = 0;
        for (PorcupineData.Expected e : all) {
            CheckResult r = e.model().equals("etcd")
                    ? Linearizability.checkEvents(new RegisterModel(), EtcdLogParser.parse(e.file()), Duration.ofMinutes(2))
                    : Linearizability.checkEvents(new KvModel(), KvLogParser.parse(e.file()), Duration.ofMinutes(2));
            assertThat(r).as(e.file().toString()).isEqualTo(e.linearizable() ? CheckResult.OK : CheckResult.ILLEGAL);
            checked++;
        }
        assertThat(checked).isEqualTo(all.size());
    }
}
