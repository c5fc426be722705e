package dev.samsa.harness.workload.txn;

/** A transactional client process of the txn or eos workload, as the client faults see it. */
public interface TxnClient {

    /** Records the open transaction's fate before the process dies or the run ends. */
    void abandon(String why);

    /** A transaction is open (begun and not finished). */
    boolean transactionOpen();

    /** The process number operations of this client carry in the history. */
    int process();
}
