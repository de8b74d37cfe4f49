package dev.wisp.controller.throttle;

import dev.wisp.common.entity.NamespaceLimits;
import dev.wisp.common.error.ErrorKind;
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
    private final Map<String, Window> namespaces = new ConcurrentHashMap<>();

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
        namespaces.computeIfAbsent(namespace, n -> new Window())
                .admit(now, Throttle.share(limits.firesPerMinute(), controllers), controllers, limits.firesPerMinute());
    }

    private static final class Window {
        private long minute = -1;
        private int count;

        synchronized void admit(long now, int allowed, int controllers, int limit) {
            long thisMinute = now / 60_000;
            if (thisMinute != minute) {
                minute = thisMinute;
                count = 0;
            }
            if (count >= allowed) {
                throw new WispException(ErrorKind.THROTTLED, "Too many requests in the last minute (count: "
                        + count * controllers + ", allowed: " + limit + ").");
            }
            count++;
        }
    }
}
