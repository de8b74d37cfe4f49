package dev.wisp.controller.store;

import dev.wisp.common.entity.Activation;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * The last activation records a controller saw on completions, by activation id: at most {@code capacity}, each
 * for {@code ttlMillis}. Thread-safe (completions arrive on the Kafka poll thread, reads on the event loop).
 */
final class RecentRecords {
    private record Entry(Activation activation, long at) {
    }

    private final int capacity;
    private final long ttlMillis;
    private final LongSupplier clock;
    private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>();

    RecentRecords(int capacity, long ttlMillis, LongSupplier clock) {
        this.capacity = capacity;
        this.ttlMillis = ttlMillis;
        this.clock = clock;
    }

    synchronized void put(Activation activation) {
        long now = clock.getAsLong();
        entries.remove(activation.activationId());
        entries.put(activation.activationId(), new Entry(activation, now));
        Iterator<Map.Entry<String, Entry>> oldest = entries.entrySet().iterator();
        while (oldest.hasNext()) {
            Map.Entry<String, Entry> e = oldest.next();
            if (entries.size() <= capacity && now - e.getValue().at() <= ttlMillis) {
                break;
            }
            oldest.remove();
        }
    }

    synchronized Optional<Activation> get(String activationId) {
        Entry e = entries.get(activationId);
        if (e == null || clock.getAsLong() - e.at() > ttlMillis) {
            return Optional.empty();
        }
        return Optional.of(e.activation());
    }

    /** The records still held that match, in the order they came. */
    synchronized List<Activation> matching(Predicate<Activation> filter) {
        long now = clock.getAsLong();
        List<Activation> found = new ArrayList<>();
        for (Entry e : entries.values()) {
            if (now - e.at() <= ttlMillis && filter.test(e.activation())) {
                found.add(e.activation());
            }
        }
        return found;
    }

    synchronized int size() {
        return entries.size();
    }
}
