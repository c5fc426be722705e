package dev.samsa.harness.workload.groups;

import dev.samsa.impl.node.Message;
import java.util.List;

/** Between a member and the dead-letter service: records to forward, and the answer once they are written (or not). */
sealed interface DeadLetterMessage extends Message {

    /** A poison record: where it was read, its value, and the group that failed on it. */
    record Poison(int partition, long offset, String value, String group) {
        /** The dead-letter record's error header: why it failed, which group, where it came from. */
        String header() {
            return "x-exception=poison;group=" + group + ";source=" + partition + "@" + offset + ";";
        }
    }

    record Forward(long requestId, List<Poison> records) implements DeadLetterMessage {
        public Forward {
            records = List.copyOf(records);
        }

        @Override
        public int sizeBytes() {
            return 64 + 48 * records.size();
        }
    }

    /** {@code ok}: every record was acknowledged by the dead-letter topic. */
    record Done(long requestId, boolean ok) implements DeadLetterMessage {}
}
