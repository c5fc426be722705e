package dev.samsa.harness.sim;

import dev.samsa.impl.node.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.function.BiPredicate;

/**
 * Requests that reach their server late: the bytes a client already wrote are read and handled
 * by the server long after the client gave up on them, even after the client closed that
 * connection (a closed TCP connection does not take back what the server received; a slow link,
 * or a server whose request queue stalls, hands them to the handler late). Kafka's
 * transactional history turns on this: a produce handled after its transaction was aborted
 * (KAFKA-12671), an EndTxn handled inside the next transaction (KAFKA-17754), a marker answer
 * arriving after its transaction was completed (KAFKA-10080).
 *
 * <p>A {@link Rule} picks messages of one sender by destination and content, while it is armed;
 * each picked message is delivered at {@code max(sent + delay, releaseAt)}, in send order among
 * the messages the rule picked, and outside its channel's FIFO (what the client sends later, on
 * its new connection, may arrive first). Nothing here draws randomness: the harness fault that
 * arms a rule decides everything, so same seed, same deliveries.
 */
final class LateMessages {

    /**
     * @param from the sending node
     * @param which picks the messages (destination node id, message)
     * @param armedUntilNanos the rule picks messages sent before this instant
     * @param remaining how many more messages it picks
     * @param delayNanos how long after its send a picked message arrives (at the earliest)
     * @param releaseAtNanos no picked message arrives before this instant (a stall that ends)
     * @param label for traces and counters
     */
    record Rule(int from, BiPredicate<Integer, Message> which, long armedUntilNanos, int remaining, long delayNanos, long releaseAtNanos,
            String label) {}

    /** By sender: the rules armed for it, oldest first. */
    private final TreeMap<Integer, List<Rule>> rules = new TreeMap<>();
    /** By sender then destination: the last late delivery time, so a rule's picks keep their order. */
    private final TreeMap<Long, Long> lastLate = new TreeMap<>();
    long picked;

    void arm(Rule r) {
        rules.computeIfAbsent(r.from(), k -> new ArrayList<>()).add(r);
    }

    boolean isEmpty() {
        return rules.isEmpty();
    }

    /**
     * When {@code m}, sent now from {@code from} to {@code to}, arrives if a rule picks it, or -1
     * when no rule does (the network's usual delivery applies). {@code normalAtNanos} is when it
     * would have arrived.
     */
    long pick(int from, int to, Message m, long nowNanos, long normalAtNanos, StringBuilder label) {
        List<Rule> mine = rules.get(from);
        if (mine == null) {
            return -1;
        }
        for (int i = 0; i < mine.size(); i++) {
            Rule r = mine.get(i);
            if (nowNanos >= r.armedUntilNanos()) {
                mine.remove(i--);
                continue;
            }
            if (!r.which().test(to, m)) {
                continue;
            }
            if (r.remaining() <= 1) {
                mine.remove(i);
            } else {
                mine.set(i, new Rule(r.from(), r.which(), r.armedUntilNanos(), r.remaining() - 1, r.delayNanos(), r.releaseAtNanos(), r.label()));
            }
            if (mine.isEmpty()) {
                rules.remove(from);
            }
            long key = ((long) from << 32) | (to & 0xffffffffL);
            long at = Math.max(Math.max(normalAtNanos + r.delayNanos(), r.releaseAtNanos()), lastLate.getOrDefault(key, 0L) + 1);
            lastLate.put(key, at);
            picked++;
            label.append(r.label());
            return at;
        }
        if (mine.isEmpty()) {
            rules.remove(from);
        }
        return -1;
    }
}
