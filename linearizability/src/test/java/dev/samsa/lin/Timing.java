package dev.samsa.lin;

import dev.samsa.lin.io.EtcdLogParser;
import dev.samsa.lin.io.KvLogParser;
import dev.samsa.lin.models.KvModel;
import dev.samsa.lin.models.RegisterModel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Per-file timing by Porcupine's Go method (median of 5 checks per file, parse excluded), after
 * three warm-up passes over every file: {@code java -cp linearizability/target/classes:linearizability/target/test-classes dev.samsa.lin.Timing}.
 * Prints "JAVA file verdict ms" lines and per-set totals. JMH (LinearizabilityBenchmark) gives the set totals.
 */
final class Timing {
    public static void main(String[] args) throws Exception {
        List<PorcupineData.Expected> all = PorcupineData.expected();
        List<List<Event<?>>> parsed = new ArrayList<>();
        for (PorcupineData.Expected e : all) {
            parsed.add(e.model().equals("etcd") ? EtcdLogParser.parse(e.file()) : KvLogParser.parse(e.file()));
        }
        for (int warm = 0; warm < 3; warm++) {
            for (int i = 0; i < all.size(); i++) {
                check(all.get(i), parsed.get(i));
            }
        }
        double etcd = 0;
        double kv = 0;
        for (int i = 0; i < all.size(); i++) {
            double[] ms = new double[5];
            CheckResult r = null;
            for (int k = 0; k < 5; k++) {
                long t0 = System.nanoTime();
                r = check(all.get(i), parsed.get(i));
                ms[k] = (System.nanoTime() - t0) / 1e6;
            }
            Arrays.sort(ms);
            if (all.get(i).model().equals("etcd")) {
                etcd += ms[2];
            } else {
                kv += ms[2];
            }
            System.out.printf("JAVA %s %s %.3f%n", all.get(i).file().getFileName(), r == CheckResult.OK, ms[2]);
        }
        System.out.printf("JAVA total etcd %.1f kv %.1f%n", etcd, kv);
    }

    static CheckResult check(PorcupineData.Expected e, List<Event<?>> ev) {
        return e.model().equals("etcd") ? Linearizability.checkEvents(new RegisterModel(), ev, Duration.ZERO)
                : Linearizability.checkEvents(new KvModel(), ev, Duration.ZERO);
    }
}
