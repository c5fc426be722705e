package dev.samsa.lin;

import dev.samsa.lin.io.EtcdLogParser;
import dev.samsa.lin.io.KvLogParser;
import dev.samsa.lin.models.KvModel;
import dev.samsa.lin.models.RegisterModel;
import java.time.Duration;
import java.util.List;

/** A quick per-file timing for development: java -cp ... dev.samsa.lin.Timing [filter]. */
final class Timing {
    public static void main(String[] args) throws Exception {
        String filter = args.length > 0 ? args[0] : "";
        for (int round = 0; round < 2; round++) {
            double total = 0;
            for (PorcupineData.Expected e : PorcupineData.expected()) {
                if (!e.file().toString().contains(filter)) {
                    continue;
                }
                List<Event<?>> ev = e.model().equals("etcd") ? EtcdLogParser.parse(e.file()) : KvLogParser.parse(e.file());
                long t0 = System.nanoTime();
                CheckResult r = e.model().equals("etcd") ? Linearizability.checkEvents(new RegisterModel(), ev, Duration.ofMinutes(5))
                        : Linearizability.checkEvents(new KvModel(), ev, Duration.ofMinutes(5));
                double ms = (System.nanoTime() - t0) / 1e6;
                total += ms;
                if (round == 1 && ms > 20) {
                    System.out.printf("%s %s %.1f ms%n", e.file().getFileName(), r, ms);
                }
            }
            System.out.printf("round %d total %.0f ms%n", round, total);
        }
    }
}
