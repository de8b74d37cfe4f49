package dev.wisp.controller.route;

import dev.wisp.common.error.ErrorKind;
import dev.wisp.common.error.WispException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;

/**
 * The rate limits of API operations: requests per fixed window, counted per operation. As with the namespace
 * throttles, each controller allows its share, {@code ceil(rate / live controllers)}, of what it is sent (the
 * edge gateway spreads requests round-robin). Any thread may call it; each operation's counter has its own lock.
 */
public final class RouteRates {
    private final IntSupplier liveControllers;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    public RouteRates(IntSupplier liveControllers) {
        this.liveControllers = Objects.requireNonNull(liveControllers, "liveControllers");
    }

    /**
     * Counts one request of the operation, or refuses it.
     *
     * @param now epoch milliseconds
     * @throws WispException THROTTLED (429) naming the route's limit
     */
    public void admit(ApiRoute route, long now) {
        RateLimit limit = route.rateLimit();
        if (limit == null) {
            return;
        }
        int controllers = Math.max(1, liveControllers.getAsInt());
        int share = (limit.rate() + controllers - 1) / controllers;
        Window w = windows.computeIfAbsent(route.key(), k -> new Window());
        if (!w.take(now, limit.window().toMillis(), share)) {
            throw new WispException(ErrorKind.THROTTLED, "Rate limit of the API operation "
                    + route.method().toUpperCase(java.util.Locale.ROOT) + " " + route.fullPath() + " exceeded ("
                    + limit.describe() + ").");
        }
    }

    /** Forgets windows that ended before {@code now}. */
    public void sweep(long now) {
        windows.values().removeIf(w -> w.endedBefore(now));
    }

    private static final class Window {
        private long start = -1;
        private long length;
        private int taken;

        synchronized boolean take(long now, long windowMillis, int allowed) {
            long thisWindow = now - Math.floorMod(now, windowMillis);
            if (thisWindow != start) {
                start = thisWindow;
                length = windowMillis;
                taken = 0;
            }
            if (taken >= allowed) {
                return false;
            }
            taken++;
            return true;
        }

        synchronized boolean endedBefore(long now) {
            return start + length < now;
        }
    }
}
