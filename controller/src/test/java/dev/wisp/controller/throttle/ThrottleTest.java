package dev.wisp.controller.throttle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.wisp.common.entity.NamespaceLimits;
import dev.wisp.common.error.WispException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ThrottleTest {
    private static final long T0 = 1_000 * 60_000L;
    private final AtomicInteger controllers = new AtomicInteger(1);
    private final Throttle throttle = new Throttle(controllers::get);

    @Test
    void perMinuteLimitRefusesWithOpenWhisksMessageAndResetsNextMinute() {
        NamespaceLimits limits = new NamespaceLimits(3, 100, 60);
        for (int i = 0; i < 3; i++) {
            throttle.acquire("a" + i, "ns", limits, T0 + i, Long.MAX_VALUE);
            throttle.release("a" + i);
        }
        WispException e = assertThrows(WispException.class,
                () -> throttle.acquire("a3", "ns", limits, T0 + 10, Long.MAX_VALUE));
        assertEquals(429, e.status());
        assertEquals("Too many requests in the last minute (count: 3, allowed: 3).", e.getMessage());
        throttle.acquire("other", "other-ns", limits, T0 + 10, Long.MAX_VALUE); // namespaces are separate
        throttle.acquire("a4", "ns", limits, T0 + 60_000, Long.MAX_VALUE);
    }

    @Test
    void concurrencyIsFreedByReleaseOrByExpiry() {
        NamespaceLimits limits = new NamespaceLimits(100, 2, 60);
        throttle.acquire("a", "ns", limits, T0, T0 + 1_000);
        throttle.acquire("b", "ns", limits, T0, T0 + 5_000);
        WispException e = assertThrows(WispException.class, () -> throttle.acquire("c", "ns", limits, T0, T0));
        assertEquals("Too many concurrent requests in flight (count: 2, allowed: 2).", e.getMessage());
        throttle.release("b");
        throttle.release("b"); // a second completion of the same activation frees nothing more
        throttle.acquire("c", "ns", limits, T0, T0 + 5_000);
        assertEquals(2, throttle.concurrent("ns"));
        throttle.sweep(T0 + 1_000);
        assertEquals(1, throttle.concurrent("ns"));
        throttle.release("unknown");
        assertEquals(1, throttle.concurrent("ns"));
    }

    @Test
    void theSameActivationAdmittedTwiceHoldsOneSlot() {
        NamespaceLimits limits = new NamespaceLimits(100, 2, 60);
        throttle.acquire("a", "ns", limits, T0, Long.MAX_VALUE);
        throttle.acquire("a", "ns", limits, T0, Long.MAX_VALUE); // an idempotent retry took over its key
        assertEquals(1, throttle.concurrent("ns"));
        throttle.release("a");
        assertEquals(0, throttle.concurrent("ns"), "no slot is lost for good");
    }

    @Test
    void anInvocationNeverPublishedCountsAgainstNoLimit() {
        NamespaceLimits limits = new NamespaceLimits(2, 100, 60);
        for (int i = 0; i < 5; i++) { // e.g. a sequence trying again while no invoker can take its component
            throttle.acquire("a", "ns", limits, T0 + i, Long.MAX_VALUE);
            throttle.withdraw("a");
        }
        assertEquals(0, throttle.concurrent("ns"));
        throttle.acquire("b", "ns", limits, T0 + 10, Long.MAX_VALUE);
        throttle.acquire("c", "ns", limits, T0 + 10, Long.MAX_VALUE);
        WispException e = assertThrows(WispException.class,
                () -> throttle.acquire("d", "ns", limits, T0 + 10, Long.MAX_VALUE));
        assertEquals("Too many requests in the last minute (count: 2, allowed: 2).", e.getMessage());
    }

    @Test
    void limitsAreSplitBetweenLiveControllers() {
        controllers.set(2);
        NamespaceLimits limits = new NamespaceLimits(5, 100, 60);
        for (int i = 0; i < 3; i++) {
            throttle.acquire("a" + i, "ns", limits, T0, Long.MAX_VALUE); // ceil(5 / 2) = 3 here
        }
        WispException e = assertThrows(WispException.class, () -> throttle.acquire("x", "ns", limits, T0, Long.MAX_VALUE));
        assertEquals("Too many requests in the last minute (count: 6, allowed: 5).", e.getMessage());
        assertEquals(1, Throttle.share(1, 3));
        assertEquals(34, Throttle.share(100, 3));
    }
}
