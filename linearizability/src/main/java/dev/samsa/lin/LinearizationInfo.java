package dev.samsa.lin;

import java.util.List;

/**
 * What a verbose check found, per partition, for the visualization: the operations (with call
 * and return positions), the longest linearizable prefix the search reached (operation
 * indices in linearization order) and the model state after each of its steps.
 */
public record LinearizationInfo(List<Partition> partitions) {

    public record Op(int clientId, long start, long end, String description) {}

    public record Partition(List<Op> operations, List<Integer> longestPrefix, List<String> statesAfterEachStep, boolean linearizable) {}
}
