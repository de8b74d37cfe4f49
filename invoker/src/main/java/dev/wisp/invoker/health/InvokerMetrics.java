package dev.wisp.invoker.health;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Counters of what the invoker did, for {@code /metrics}. Safe from any thread. */
public final class InvokerMetrics {
    private final Map<String, LongAdder> activations = new ConcurrentHashMap<>();
    private final LongAdder coldStarts = new LongAdder();
    private final LongAdder retries = new LongAdder();
    private final LongAdder deadLetters = new LongAdder();
    private final LongAdder trimmed = new LongAdder();
    private final LongAdder completions = new LongAdder();
    private final LongAdder completionRecords = new LongAdder();

    /** Counts one finished activation by its status ({@code success}, {@code application error}, ...). */
    public void finished(String status) {
        activations.computeIfAbsent(status, k -> new LongAdder()).increment();
    }

    public void coldStart() {
        coldStarts.increment();
    }

    public void retried() {
        retries.increment();
    }

    public void deadLettered() {
        deadLetters.increment();
    }

    public void recordTrimmed() {
        trimmed.increment();
    }

    /** One Kafka record of completions went out, carrying {@code n}. */
    public void completionRecord(int n) {
        completionRecords.increment();
        completions.add(n);
    }

    long completions() {
        return completions.sum();
    }

    long completionRecords() {
        return completionRecords.sum();
    }

    Map<String, LongAdder> activations() {
        return activations;
    }

    long coldStarts() {
        return coldStarts.sum();
    }

    long retries() {
        return retries.sum();
    }

    long trimmed() {
        return trimmed.sum();
    }

    long deadLetters() {
        return deadLetters.sum();
    }
}
