package dev.wisp.controller.throttle;

import dev.wisp.common.entity.NamespaceLimits;
import dev.wisp.common.error.ErrorKind;
import dev.wisp.common.error.WispException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;

/**
 * Per-namespace throttles: invocations started per minute (fixed one-minute windows, as OpenWhisk counts
 * them) and invocations in flight. An invocation holds a concurrency slot from {@link #acquire} until
 * {@link #release} (its completion arrived) or, should the completion be lost, until its expiry passes
 * {@link #sweep}.
 *
 * <p>Cluster-wide counting is approximate by design: each controller counts only what it admitted and allows
 * its share, {@code ceil(limit / live controllers)}, of each namespace's limits. The edge gateway spreads
 * requests round-robin over the controllers, so the shares add up to the limit while the load is spread
 * evenly; a skewed spread rejects a little early, and for a moment after a controller joins or leaves the
 * shares are computed from the old count. Messages report the namespace's limit and the cluster-wide count
 * estimated as this controller's count times the number of controllers.
 *
 * <p>Any thread may call any method; each namespace's counters are updated under that namespace's own lock,
 * which is never held across I/O.
 */
public final class Throttle {
    private final IntSupplier liveControllers;
    private final Map<String, Counters> namespaces = new ConcurrentHashMap<>();
    private final Map<String, InFlight> inFlight = new ConcurrentHashMap<>();

    /** @param minute the minute its start was counted in */
    private record InFlight(Counters counters, long expiresAt, long minute) {
    }

    /** @param liveControllers how many controllers currently share the limits (values below 1 count as 1) */
    public Throttle(IntSupplier liveControllers) {
        this.liveControllers = Objects.requireNonNull(liveControllers, "liveControllers");
    }

    /**
     * Admits one invocation or refuses it.
     *
     * @param activationId the key under which {@link #release} frees the slot
     * @param limits       the namespace's effective limits, every field set
     * @param now          epoch milliseconds
     * @param expiresAt    when to free the slot if no completion arrived
     * @throws WispException THROTTLED naming the limit that was reached
     */
    public void acquire(String activationId, String namespace, NamespaceLimits limits, long now, long expiresAt) {
        int controllers = Math.max(1, liveControllers.getAsInt());
        Counters c = namespaces.computeIfAbsent(namespace, n -> new Counters());
        long minute = c.admit(now, share(limits.invocationsPerMinute(), controllers),
                share(limits.concurrentInvocations(), controllers), controllers, limits);
        InFlight replaced = inFlight.put(activationId, new InFlight(c, expiresAt, minute));
        if (replaced != null) {
            // the same id admitted again (an idempotent retry that took over its key while the first publish was
            // still under way): one slot per id, or the replaced one would never be freed
            replaced.counters().finished();
        }
    }

    /** Frees the slot of an invocation that completed or was never published; unknown ids are ignored. */
    public void release(String activationId) {
        InFlight f = inFlight.remove(activationId);
        if (f != null) {
            f.counters().finished();
        }
    }

    /**
     * Takes back an admission whose invocation was never published (no invoker to take it, Kafka refused it before
     * anything was sent): its slot, and its count in the minute, so that a caller or a sequence trying again while
     * the fleet is away does not use the namespace's per-minute limit up.
     */
    public void withdraw(String activationId) {
        InFlight f = inFlight.remove(activationId);
        if (f != null) {
            f.counters().withdraw(f.minute());
        }
    }

    /** Frees the slots of invocations whose completion never came. */
    public void sweep(long now) {
        inFlight.entrySet().removeIf(e -> {
            if (e.getValue().expiresAt() <= now) {
                e.getValue().counters().finished();
                return true;
            }
            return false;
        });
    }

    /** Invocations of the namespace in flight through this controller. */
    public int concurrent(String namespace) {
        Counters c = namespaces.get(namespace);
        return c == null ? 0 : c.concurrent();
    }

    static int share(int limit, int controllers) {
        return (limit + controllers - 1) / controllers;
    }

    private static final class Counters {
        private final MinuteWindow started = new MinuteWindow();
        private int concurrent;

        /** @return the minute the start was counted in */
        synchronized long admit(long now, int perMinute, int concurrentAllowed, int controllers,
                                NamespaceLimits limits) {
            started.check(now, perMinute, controllers, limits.invocationsPerMinute());
            if (concurrent >= concurrentAllowed) {
                throw new WispException(ErrorKind.THROTTLED, "Too many concurrent requests in flight (count: "
                        + concurrent * controllers + ", allowed: " + limits.concurrentInvocations() + ").");
            }
            concurrent++;
            return started.count();
        }

        synchronized void finished() {
            concurrent = Math.max(0, concurrent - 1);
        }

        synchronized void withdraw(long minute) {
            finished();
            started.uncount(minute);
        }

        synchronized int concurrent() {
            return concurrent;
        }
    }
}
