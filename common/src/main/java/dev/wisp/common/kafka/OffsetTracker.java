package dev.wisp.common.kafka;

import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeSet;
import org.apache.kafka.common.TopicPartition;

/**
 * Tracks which offsets are in flight per partition so that only a contiguous prefix of finished work is ever
 * committed: activations finish out of order, and committing past an unfinished one would lose it on a crash.
 * Not thread-safe: confine to one thread.
 */
public final class OffsetTracker {
    private final Map<TopicPartition, TreeSet<Long>> inFlight = new HashMap<>();
    private final Map<TopicPartition, Long> highestSeen = new HashMap<>();

    /** Marks an offset started (again, when it was delivered again: it stays one unfinished offset). */
    public void started(TopicPartition partition, long offset) {
        inFlight.computeIfAbsent(partition, p -> new TreeSet<>()).add(offset);
        highestSeen.merge(partition, offset, Math::max);
    }

    /**
     * Marks an offset finished.
     *
     * @return the offset that may now be committed (the next one to read), if the committable prefix moved
     */
    public OptionalLong finished(TopicPartition partition, long offset) {
        TreeSet<Long> offsets = inFlight.get(partition);
        if (offsets == null || !offsets.remove(offset)) {
            return OptionalLong.empty();
        }
        if (offsets.isEmpty()) {
            return OptionalLong.of(highestSeen.get(partition) + 1);
        }
        long lowest = offsets.first();
        return offset < lowest ? OptionalLong.of(lowest) : OptionalLong.empty();
    }

    public int inFlightCount() {
        return inFlight.values().stream().mapToInt(TreeSet::size).sum();
    }
}
