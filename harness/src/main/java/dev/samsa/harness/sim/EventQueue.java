package dev.samsa.harness.sim;

import java.util.Arrays;

/** A binary min-heap of events ordered by {@code (timeNanos, seq)}, without boxing or comparators. */
final class EventQueue {

    private Event[] heap = new Event[1024];
    private int size;

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    void push(Event e) {
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size * 2);
        }
        int i = size++;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            Event p = heap[parent];
            if (!before(e, p)) {
                break;
            }
            heap[i] = p;
            i = parent;
        }
        heap[i] = e;
    }

    Event peek() {
        return size == 0 ? null : heap[0];
    }

    Event pop() {
        if (size == 0) {
            throw new IllegalStateException("pop from an empty event queue");
        }
        Event top = heap[0];
        Event last = heap[--size];
        heap[size] = null;
        if (size > 0) {
            int i = 0;
            int half = size >>> 1;
            while (i < half) {
                int child = 2 * i + 1;
                Event c = heap[child];
                int right = child + 1;
                if (right < size && before(heap[right], c)) {
                    child = right;
                    c = heap[child];
                }
                if (!before(c, last)) {
                    break;
                }
                heap[i] = c;
                i = child;
            }
            heap[i] = last;
        }
        return top;
    }

    private static boolean before(Event a, Event b) {
        return a.timeNanos < b.timeNanos || (a.timeNanos == b.timeNanos && a.seq < b.seq);
    }
}
