package dev.wisp.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Latency samples in milliseconds and their percentiles. */
final class Samples {
    private final List<Double> values = new ArrayList<>();

    void add(double millis) {
        values.add(millis);
    }

    void addNanos(long nanos) {
        values.add(nanos / 1e6);
    }

    /** The {@code i}th sample in the order they were added. */
    double value(int i) {
        return values.get(i);
    }

    /** The samples, sorted. */
    List<Double> sorted() {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted;
    }

    int count() {
        return values.size();
    }

    double percentile(double p) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = sorted();
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    double median() {
        return percentile(50);
    }
}
