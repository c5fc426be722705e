package dev.samsa.lin;

import java.util.Arrays;

/**
 * The search's memo of explored (linearized set, state) pairs: an open-addressing table keyed
 * by a 64-bit hash with the entries themselves in parallel arrays, so a probe allocates
 * nothing and boxes nothing. Entries with equal hashes sit in consecutive probe slots.
 */
final class Memo {

    private long[] hashes;
    private Bitset[] sets;
    private Object[] states;
    private boolean[] used;
    private int size;

    /** Sized for a history of {@code operations}: small histories stay cheap. */
    Memo(int operations) {
        int cap = Integer.highestOneBit(Math.max(16, Math.min(1 << 16, operations * 4)) - 1) << 1;
        hashes = new long[cap];
        sets = new Bitset[cap];
        states = new Object[cap];
        used = new boolean[cap];
    }

    interface StateEquality {
        boolean equal(Object a, Object b);
    }

    /** Adds (linearized + op, state) unless present; true if it was added. */
    boolean add(long hash, Bitset linearized, int op, Object state, StateEquality eq) {
        if (2 * (size + 1) > used.length) {
            grow();
        }
        int mask = used.length - 1;
        int i = (int) (mix(hash) & mask);
        while (used[i]) {
            if (hashes[i] == hash && linearized.equalsWith(sets[i], op) && eq.equal(states[i], state)) {
                return false;
            }
            i = (i + 1) & mask;
        }
        used[i] = true;
        hashes[i] = hash;
        sets[i] = linearized.copyWith(op);
        states[i] = state;
        size++;
        return true;
    }

    private static long mix(long h) {
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        return h;
    }

    private void grow() {
        long[] oh = hashes;
        Bitset[] os = sets;
        Object[] ost = states;
        boolean[] ou = used;
        int cap = ou.length * 2;
        hashes = new long[cap];
        sets = new Bitset[cap];
        states = new Object[cap];
        used = new boolean[cap];
        int mask = cap - 1;
        for (int j = 0; j < ou.length; j++) {
            if (ou[j]) {
                int i = (int) (mix(oh[j]) & mask);
                while (used[i]) {
                    i = (i + 1) & mask;
                }
                used[i] = true;
                hashes[i] = oh[j];
                sets[i] = os[j];
                states[i] = ost[j];
            }
        }
    }

    void clear() {
        Arrays.fill(sets, null);
        Arrays.fill(states, null);
    }
}
