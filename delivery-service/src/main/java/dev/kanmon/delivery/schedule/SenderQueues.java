package dev.kanmon.delivery.schedule;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The waiting deliveries of one destination: a FIFO per sender, and the senders served in turn, one message per
 * turn (deficit round robin with a quantum of one message: a destination's rate limit counts messages, not bytes).
 * A sender with one message waiting is therefore served within one round of the senders waiting before it, however
 * many messages another sender has queued. Not thread-safe: the scheduler guards it.
 *
 * @param <T> what is queued
 */
final class SenderQueues<T> {

    private final Map<String, ArrayDeque<T>> bySender = new HashMap<>();
    /** Senders with something waiting, in the order of their next turn. */
    private final ArrayDeque<String> turns = new ArrayDeque<>();
    private int size;

    void add(String sender, T item) {
        ArrayDeque<T> queue = bySender.get(sender);
        if (queue == null) {
            queue = new ArrayDeque<>();
            bySender.put(sender, queue);
            turns.addLast(sender);
        }
        queue.addLast(item);
        size++;
    }

    /** The oldest item of the sender whose turn it is; that sender moves to the back of the turns. */
    T next() {
        String sender = turns.pollFirst();
        if (sender == null) {
            return null;
        }
        ArrayDeque<T> queue = bySender.get(sender);
        T item = queue.pollFirst();
        if (queue.isEmpty()) {
            bySender.remove(sender);
        } else {
            turns.addLast(sender);
        }
        size--;
        return item;
    }

    /**
     * Removes the newest item of the sender with the most items waiting ("longest queue drop"), so that an overflow
     * is paid by whoever caused it; on a tie {@code preferred} (the sender that just added) pays.
     */
    T dropFromLongest(String preferred) {
        String longest = null;
        int most = 0;
        for (Map.Entry<String, ArrayDeque<T>> e : bySender.entrySet()) {
            int n = e.getValue().size();
            if (n > most || (n == most && e.getKey().equals(preferred))) {
                longest = e.getKey();
                most = n;
            }
        }
        if (longest == null) {
            return null;
        }
        ArrayDeque<T> queue = bySender.get(longest);
        T item = queue.pollLast();
        if (queue.isEmpty()) {
            bySender.remove(longest);
            turns.remove(longest);
        }
        size--;
        return item;
    }

    /** Removes every item that matches, wherever it waits; returns them. */
    List<T> removeIf(Predicate<T> test) {
        List<T> removed = new ArrayList<>();
        for (Iterator<Map.Entry<String, ArrayDeque<T>>> it = bySender.entrySet().iterator(); it.hasNext();) {
            Map.Entry<String, ArrayDeque<T>> e = it.next();
            e.getValue().removeIf(item -> test.test(item) && removed.add(item));
            if (e.getValue().isEmpty()) {
                it.remove();
                turns.remove(e.getKey());
            }
        }
        size -= removed.size();
        return removed;
    }

    /** How many items the sender with the most waiting has. */
    int longest() {
        int most = 0;
        for (ArrayDeque<T> queue : bySender.values()) {
            most = Math.max(most, queue.size());
        }
        return most;
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** Senders with something waiting. */
    int senders() {
        return bySender.size();
    }
}
