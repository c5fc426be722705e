package dev.samsa.bench;

import dev.samsa.lin.CheckResult;
import dev.samsa.lin.Event;
import dev.samsa.lin.Linearizability;
import dev.samsa.lin.io.EtcdLogParser;
import dev.samsa.lin.io.HistoryFormatException;
import dev.samsa.lin.io.KvLogParser;
import dev.samsa.lin.models.KvModel;
import dev.samsa.lin.models.RegisterModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Checks the histories of porcupine-data, parsed once: {@code file=etcd} (all 103 etcd logs),
 * {@code file=kv} (all 6 kv histories, partitioned by key), or one file by name
 * ({@code -p file=jepsen/etcd_002.log}). Only the check is timed, as in Porcupine's Go figures.
 *
 * <pre>java -Dsamsa.porcupine.data=../shared/porcupine-data -jar benchmarks/target/benchmarks.jar LinearizabilityBenchmark</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class LinearizabilityBenchmark {

    @Param({"etcd", "kv"})
    public String file;

    private final List<List<Event<?>>> etcd = new ArrayList<>();
    private final List<List<Event<?>>> kv = new ArrayList<>();

    @Setup
    public void load() throws IOException, HistoryFormatException {
        Path dir = Path.of(System.getProperty("samsa.porcupine.data", "../shared/porcupine-data"));
        List<Path> files = new ArrayList<>();
        if (file.equals("etcd") || file.equals("kv")) {
            try (Stream<Path> s = Files.list(dir.resolve(file.equals("etcd") ? "jepsen" : "kv"))) {
                s.sorted().forEach(files::add);
            }
        } else {
            files.add(dir.resolve(file));
        }
        for (Path f : files) {
            if (f.toString().endsWith(".log")) {
                etcd.add(EtcdLogParser.parse(f));
            } else {
                kv.add(KvLogParser.parse(f));
            }
        }
    }

    @Benchmark
    public int check() {
        int illegal = 0;
        for (List<Event<?>> h : etcd) {
            illegal += Linearizability.checkEvents(new RegisterModel(), h, Duration.ZERO) == CheckResult.ILLEGAL ? 1 : 0;
        }
        for (List<Event<?>> h : kv) {
            illegal += Linearizability.checkEvents(new KvModel(), h, Duration.ZERO) == CheckResult.ILLEGAL ? 1 : 0;
        }
        return illegal;
    }
}
