package dev.samsa.impl.client;

import dev.samsa.impl.protocol.Errors;
import dev.samsa.impl.protocol.TopicPartition;
import java.util.Map;

/** Completion of a commit: {@code error} NONE, or the first error that failed it. */
@FunctionalInterface
public interface OffsetCommitCallback {

    void onComplete(Map<TopicPartition, OffsetAndMetadata> offsets, Errors error);
}
