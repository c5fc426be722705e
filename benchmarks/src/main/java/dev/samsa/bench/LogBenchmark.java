package dev.samsa.bench;

import dev.samsa.impl.log.AppendResult;
import dev.samsa.impl.log.LogConfig;
import dev.samsa.impl.log.Record;
import dev.samsa.impl.log.RecordBatch;
import dev.samsa.impl.log.UnifiedLog;
import dev.samsa.impl.protocol.Errors;
import dev.samsa.impl.protocol.TopicPartition;
import dev.samsa.spec.config.Settings;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One partition's {@link UnifiedLog} on a {@link dev.samsa.harness.sim.SimDisk}, with default
 * settings and no network ({@link BenchContext}):
 *
 * <ul>
 *   <li>{@code append}: leader appends of idempotent batches of {@code recordsPerBatch} records
 *       of about 100 bytes (producer-state validation, offset assignment, segment append).
 *       The {@code records} counter is records appended per second; the primary score is
 *       batches per second. The log is replaced by a fresh one every {@value #APPEND_LOG_BATCHES}
 *       batches so memory stays bounded (the amortized cost of that is negligible).
 *   <li>{@code read}: sequential fetches of up to 1 MB ({@code replica.fetch.max.bytes}) from a
 *       log of 100,000 records in batches of 100, wrapping to the start at the end. The
 *       {@code bytes} counter is bytes returned per second (divide by 1,048,576 for MB/s).
 * </ul>
 *
 * <p>Goal: the log must not be what limits the data plane; appends well above the
 * 200,000 records/s the 3-broker cluster is asked to sustain (each record is appended three
 * times there: once by the leader and once by each follower).
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar LogBenchmark -wi 3 -w 2 -i 5 -r 2 -f 1</pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class LogBenchmark {

    static final int APPEND_LOG_BATCHES = 100_000;
    private static final int READ_LOG_RECORDS = 100_000;
    private static final int READ_BATCH_RECORDS = 100;
    private static final int FETCH_MAX_BYTES = 1_048_576;
    private static final int LEADER_EPOCH = 1;
    private static final long PRODUCER_ID = 1000;
    /** ~100 bytes per record: 20 bytes of overhead, a 10-byte key, a 70-byte value. */
    private static final String VALUE = "v".repeat(70);

    /** Records appended and bytes read per second, next to the invocation rate. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Counters {
        public long records;
        public long bytes;
    }

    private static final TopicPartition TP = new TopicPartition("bench", 0);

    /** A log being appended to by an idempotent producer, replaced when it gets large. */
    @State(Scope.Thread)
    public static class AppendState {
        @Param({"1", "10", "100"})
        public int recordsPerBatch;

        BenchContext ctx;
        UnifiedLog log;
        List<Record> records;
        int sequence;
        int appendedBatches;

        @Setup(Level.Trial)
        public void setUp() {
            records = records(recordsPerBatch, 1_700_000_000_000L);
            fresh();
        }

        void fresh() {
            ctx = new BenchContext(Settings.defaults());
            log = new UnifiedLog(ctx, TP, LogConfig.from(ctx.settings()));
            sequence = 0;
            appendedBatches = 0;
        }
    }

    /** A log of 100,000 records, read front to back over and over. */
    @State(Scope.Thread)
    public static class ReadState {
        UnifiedLog log;
        long fetchOffset;

        @Setup(Level.Trial)
        public void setUp() {
            BenchContext ctx = new BenchContext(Settings.defaults());
            log = new UnifiedLog(ctx, TP, LogConfig.from(ctx.settings()));
            List<Record> batchRecords = records(READ_BATCH_RECORDS, ctx.wallClockMs());
            for (int i = 0; i < READ_LOG_RECORDS / READ_BATCH_RECORDS; i++) {
                log.appendAsLeader(RecordBatch.of(batchRecords), LEADER_EPOCH, ctx.wallClockMs());
            }
            log.updateHighWatermark(log.logEndOffset());
            if (log.logEndOffset() != READ_LOG_RECORDS) {
                throw new IllegalStateException("read log holds " + log.logEndOffset() + " records");
            }
        }
    }

    static List<Record> records(int n, long timestampMs) {
        List<Record> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(new Record(String.format("key-%06d", i), VALUE, timestampMs));
        }
        return List.copyOf(out);
    }

    @Benchmark
    public long append(AppendState s, Counters counters) {
        if (s.appendedBatches == APPEND_LOG_BATCHES) {
            s.fresh();
        }
        RecordBatch batch = new RecordBatch(-1, -1, PRODUCER_ID, (short) 0, s.sequence, false, false, "none", s.records,
                RecordBatch.uncompressedSize(s.records));
        s.ctx.advance(1_000);
        AppendResult r = s.log.appendAsLeader(batch, LEADER_EPOCH, s.ctx.wallClockMs());
        if (r.error() != Errors.NONE || r.duplicate()) {
            throw new IllegalStateException("append failed: " + r);
        }
        s.sequence += s.recordsPerBatch;
        s.appendedBatches++;
        counters.records += s.recordsPerBatch;
        return r.lastOffset();
    }

    @Benchmark
    public int read(ReadState s, Counters counters) {
        List<RecordBatch> batches = s.log.read(s.fetchOffset, FETCH_MAX_BYTES, s.log.highWatermark());
        int bytes = 0;
        for (RecordBatch b : batches) {
            bytes += b.sizeBytes();
        }
        long next = batches.get(batches.size() - 1).nextOffset();
        s.fetchOffset = next == s.log.logEndOffset() ? 0 : next;
        counters.bytes += bytes;
        return bytes;
    }
}
