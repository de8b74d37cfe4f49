package dev.wisp.controller.throttle;

import dev.wisp.common.entity.NamespaceLimits;
import dev.wisp.common.error.WispException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;

/**
 * Trigger fires per namespace per minute (fixed one-minute windows, as OpenWhisk counts them). Like
 * {@link Throttle}, each controller allows its share, {@code ceil(limit / live controllers)}. Any thread may call
 * {@link #acquire}.
 */
public final class FireThrottle {
    private final IntSupplier liveControllers;
    private final Map<String, MinuteWindow> namespaces = new ConcurrentHashMap<>();

    public FireThrottle(IntSupplier liveControllers) {
        this.liveControllers = Objects.requireNonNull(liveControllers, "liveControllers");
    }

    /**
     * Admits one fire or refuses it.
     *
     * @param limits the namespace's effective limits, every field set
     * @param now    epoch milliseconds
     * @throws WispException THROTTLED with OpenWhisk's message
     */
    public void acquire(String namespace, NamespaceLimits limits, long now) {
        int controllers = Math.max(1, liveControllers.getAsInt());
        MinuteWindow window = namespaces.computeIfAbsent(namespace, n -> new MinuteWindow());
        synchronized (window) {
            window.check(now, Throttle.share(limits.firesPerMinute(), controllers), controllers,
                    limits.firesPerMinute());
            window.count();
        }
    }
}
