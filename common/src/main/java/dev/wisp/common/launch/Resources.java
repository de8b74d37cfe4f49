package dev.wisp.common.launch;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * What a component opened, to be closed in the reverse order when it stops: each one is closed even when an
 * earlier one fails to close, and each failure goes to the given handler (a log line, a progress message).
 * Not thread-safe: a component adds and closes from one thread at a time.
 */
public final class Resources implements AutoCloseable {
    private final Deque<AutoCloseable> opened = new ArrayDeque<>();
    private final BiConsumer<AutoCloseable, Exception> onFailure;

    /** @param onFailure told of each resource that failed to close, and why */
    public Resources(BiConsumer<AutoCloseable, Exception> onFailure) {
        this.onFailure = Objects.requireNonNull(onFailure, "onFailure");
    }

    /** Adds a resource, to be closed before every one added earlier. */
    public void add(AutoCloseable resource) {
        opened.push(Objects.requireNonNull(resource, "resource"));
    }

    /** Closes every resource, the last added first, and forgets them. */
    @Override
    public void close() {
        while (!opened.isEmpty()) {
            AutoCloseable r = opened.pop();
            try {
                r.close();
            } catch (Exception e) {
                onFailure.accept(r, e);
            }
        }
    }
}
