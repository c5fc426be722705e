package dev.samsa.lin;

import java.util.List;
import java.util.Objects;

/**
 * A sequential specification: what a single copy of the object would do. {@code S} is the
 * state, {@code I} an operation's input, {@code O} its output. States must be immutable.
 */
public interface Model<S, I, O> {

    S init();

    /** Whether {@code input} may return {@code output} in {@code state}, and the next state if so. */
    StepResult<S> step(S state, I input, O output);

    /** Splits a history into independent parts (P-compositionality); default: one part. */
    default List<List<Operation<I, O>>> partition(List<Operation<I, O>> history) {
        return List.of(history);
    }

    /** Splits an event history into independent parts; default: one part. */
    default List<List<Event<?>>> partitionEvents(List<Event<?>> history) {
        return List.of(history);
    }

    default boolean equal(S a, S b) {
        return Objects.equals(a, b);
    }

    /**
     * A hash of a state that agrees with {@link #equal}: equal states, equal hashes. It joins the
     * linearized set in the search's memo key, so states that differ rarely need comparing.
     */
    default int hash(S state) {
        return Objects.hashCode(state);
    }

    default String describeOperation(I input, O output) {
        return input + " -> " + output;
    }

    default String describeState(S state) {
        return String.valueOf(state);
    }

    /** The outcome of one step. */
    record StepResult<S>(boolean legal, S next) {
        private static final StepResult<?> ILLEGAL = new StepResult<>(false, null);

        public static <S> StepResult<S> ok(S next) {
            return new StepResult<>(true, next);
        }

        @SuppressWarnings("unchecked")
        public static <S> StepResult<S> illegal() {
            return (StepResult<S>) ILLEGAL;
        }
    }
}
