package dev.samsa.impl.client;

import java.util.List;

/** Completion of {@link KafkaConsumer#poll}: the records, and the position resets since the previous poll. */
@FunctionalInterface
public interface PollCallback {

    void onPoll(List<ConsumerRecord> records, List<PositionReset> resets);
}
