package dev.wisp.gateway.defence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void aBurstOfOneSecondsWorthThenTheRate() {
        RateLimiter r = new RateLimiter(10, 100);
        for (int i = 0; i < 10; i++) {
            assertTrue(r.tryAcquire("a", 0), "request " + i);
        }
        assertFalse(r.tryAcquire("a", 0));
        assertTrue(r.tryAcquire("b", 0), "another key has its own bucket");
        assertFalse(r.tryAcquire("a", SECOND / 20), "half a token is not a token");
        assertTrue(r.tryAcquire("a", SECOND / 10));
        assertFalse(r.tryAcquire("a", SECOND / 10));
    }

    @Test
    void zeroMeansNoLimit() {
        RateLimiter r = new RateLimiter(0, 1);
        for (int i = 0; i < 1000; i++) {
            assertTrue(r.tryAcquire("k" + i, 0));
        }
        assertEquals(0, r.size());
    }

    @Test
    void quietKeysAreForgottenAndTheMapIsBounded() {
        RateLimiter r = new RateLimiter(5, 3);
        for (String k : new String[] {"a", "b", "c"}) {
            r.tryAcquire(k, 0);
        }
        assertEquals(3, r.size());
        assertTrue(r.tryAcquire("d", 0), "past the bound a new key goes unlimited here");
        assertEquals(3, r.size());
        r.sweep(SECOND);
        assertEquals(0, r.size(), "full buckets are dropped");
    }

    @Test
    void aWrongKeyDoesNotSpendTheRightKeysAllowance() {
        EdgeLimits limits = new EdgeLimits(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1),
                Duration.ofSeconds(1), 10, 0, 2, 0);
        RequestRates rates = new RequestRates(limits);
        String right = "Basic " + java.util.Base64.getEncoder().encodeToString("u:right".getBytes());
        String wrong = "Basic " + java.util.Base64.getEncoder().encodeToString("u:wrong".getBytes());
        for (int i = 0; i < 5; i++) {
            rates.refusal("10.0.0.1", wrong, 0);
        }
        assertNull(rates.refusal("10.0.0.1", right, 0));
        assertNull(rates.refusal("10.0.0.1", right, 0));
        assertTrue(rates.refusal("10.0.0.1", right, 0).contains("gateway.rate.per.key"));
    }
}
