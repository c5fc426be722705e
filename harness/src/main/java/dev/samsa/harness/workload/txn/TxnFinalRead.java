package dev.samsa.harness.workload.txn;

import dev.samsa.impl.client.AbortedTransactionFilter;
import dev.samsa.impl.log.AbortedTxn;
import dev.samsa.impl.log.RecordBatch;
import dev.samsa.impl.log.UnifiedLog;
import dev.samsa.impl.protocol.ApiMessage.AbortedTransaction;
import java.util.ArrayList;
import java.util.List;

/**
 * What a new consumer would see at the end of the run: it fetches one partition's leader log
 * from its log start to the end a fetch of the run's isolation level may reach (the last stable
 * offset under read_committed, else the high watermark), a fetch size at a time, each response
 * with the aborted transactions the leader's transaction indexes list for its range, and drops
 * what Kafka's consumer drops: control batches and, under read_committed, a producer's batches
 * from the first offset of an aborted transaction listed for it until its ABORT marker.
 *
 * <p>The workload's readers read every record long before a cleaner or a restart touches it;
 * this read sees the log as it is after them: e.g. after KAFKA-14055's faulty cleaner removed an
 * ABORT marker (its transaction stays indexed, so the consumer drops the producer's later
 * committed batches), or after a broker rebuilt its producer state and transaction indexes from
 * a compacted log. It goes through no network and draws no random numbers, so it changes
 * nothing else in the run.
 */
final class TxnFinalRead {

    private TxnFinalRead() {}

    /**
     * The records of partition-key {@code key} a fresh consumer would return from {@code log},
     * fetching {@code fetchBytes} at a time (at least one batch) from the log start on.
     */
    static List<TxnOp.Read> read(UnifiedLog log, int key, boolean readCommitted, int fetchBytes) {
        long position = log.logStartOffset();
        long end = readCommitted ? log.lastStableOffset() : log.highWatermark();
        List<TxnOp.Read> out = new ArrayList<>();
        while (position < end) {
            List<RecordBatch> batches = log.read(position, fetchBytes, end);
            if (batches.isEmpty()) {
                break;
            }
            long next = batches.get(batches.size() - 1).nextOffset();
            List<AbortedTxn> aborted = readCommitted ? log.collectAbortedTransactions(position, next) : List.of();
            response(batches, aborted, readCommitted, position, key, out);
            position = next;
        }
        return out;
    }

    /** One fetch response as the consumer returns it (the consumer's own filter). */
    private static void response(List<RecordBatch> batches, List<AbortedTxn> abortedTxns, boolean readCommitted, long position, int key,
            List<TxnOp.Read> out) {
        List<AbortedTransaction> aborted = new ArrayList<>();
        for (AbortedTxn a : abortedTxns) {
            aborted.add(new AbortedTransaction(a.producerId(), a.firstOffset()));
        }
        for (RecordBatch b : AbortedTransactionFilter.returned(batches, aborted, readCommitted)) {
            for (int i = 0; i < b.recordCount(); i++) {
                long offset = b.baseOffset() + i;
                if (offset >= position) {
                    out.add(new TxnOp.Read(key, offset, Long.parseLong(b.records().get(i).value())));
                }
            }
        }
    }
}
