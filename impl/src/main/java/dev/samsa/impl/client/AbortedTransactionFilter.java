package dev.samsa.impl.client;

import dev.samsa.impl.log.ControlRecordType;
import dev.samsa.impl.log.EndTransactionMarker;
import dev.samsa.impl.log.RecordBatch;
import dev.samsa.impl.protocol.ApiMessage.AbortedTransaction;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.TreeSet;

/**
 * Which batches of one fetch response a consumer returns to the application (Kafka's
 * CompletedFetch): never control batches; under read_committed, none of a producer's
 * transactional batches from the first offset of an aborted transaction the response lists for
 * it until that producer's ABORT marker. The aborted producers are tracked per response, as in
 * Kafka. Shared by the consumer's Fetcher and by harness readers that read a log directly.
 */
public final class AbortedTransactionFilter {

    private AbortedTransactionFilter() {}

    /** The data batches of {@code batches} (in offset order) the application gets. */
    public static List<RecordBatch> returned(List<RecordBatch> batches, List<AbortedTransaction> abortedTransactions, boolean readCommitted) {
        List<AbortedTransaction> aborted = new ArrayList<>(abortedTransactions);
        aborted.sort(Comparator.comparingLong(AbortedTransaction::firstOffset));
        Iterator<AbortedTransaction> nextAborted = aborted.iterator();
        AbortedTransaction pending = nextAborted.hasNext() ? nextAborted.next() : null;
        TreeSet<Long> abortedProducers = new TreeSet<>();
        List<RecordBatch> out = new ArrayList<>();
        for (RecordBatch batch : batches) {
            while (pending != null && pending.firstOffset() <= batch.lastOffset()) {
                abortedProducers.add(pending.producerId());
                pending = nextAborted.hasNext() ? nextAborted.next() : null;
            }
            if (batch.control()) {
                // control records never reach the application; an ABORT marker ends its producer's aborted transaction
                EndTransactionMarker marker = EndTransactionMarker.of(batch);
                if (marker != null && marker.type() == ControlRecordType.ABORT) {
                    abortedProducers.remove(batch.producerId());
                }
                continue;
            }
            if (readCommitted && batch.transactional() && abortedProducers.contains(batch.producerId())) {
                continue;
            }
            out.add(batch);
        }
        return out;
    }
}
