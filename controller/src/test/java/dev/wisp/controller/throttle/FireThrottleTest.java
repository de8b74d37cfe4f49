package dev.wisp.controller.throttle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.wisp.common.entity.NamespaceLimits;
import dev.wisp.common.error.WispException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class FireThrottleTest {
    private static final long T0 = 1_000 * 60_000L;
    private final AtomicInteger controllers = new AtomicInteger(1);
    private final FireThrottle throttle = new FireThrottle(controllers::get);

    @Test
    void firesPerMinuteRefuseWithOpenWhisksMessageAndResetNextMinute() {
        NamespaceLimits limits = new NamespaceLimits(100, 100, 2);
        throttle.acquire("ns", limits, T0);
        throttle.acquire("ns", limits, T0 + 1);
        WispException e = assertThrows(WispException.class, () -> throttle.acquire("ns", limits, T0 + 2));
        assertEquals(429, e.status());
        assertEquals("Too many requests in the last minute (count: 2, allowed: 2).", e.getMessage());
        throttle.acquire("other", limits, T0 + 2);
        throttle.acquire("ns", limits, T0 + 60_000);
    }

    @Test
    void eachControllerAllowsItsShare() {
        controllers.set(2);
        NamespaceLimits limits = new NamespaceLimits(100, 100, 3);
        throttle.acquire("ns", limits, T0);
        throttle.acquire("ns", limits, T0);
        WispException e = assertThrows(WispException.class, () -> throttle.acquire("ns", limits, T0));
        assertEquals("Too many requests in the last minute (count: 4, allowed: 3).", e.getMessage());
    }
}
