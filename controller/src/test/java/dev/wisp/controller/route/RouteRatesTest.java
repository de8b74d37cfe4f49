package dev.wisp.controller.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.wisp.common.entity.EntityPath;
import dev.wisp.common.error.WispException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RouteRatesTest {
    private static final long T0 = 1_000 * 60_000L;
    private final AtomicInteger controllers = new AtomicInteger(1);
    private final RouteRates rates = new RouteRates(controllers::get);

    private static ApiRoute route(String path, RateLimit limit) {
        return new ApiRoute("guest", "/v", RouteTemplate.parse(path), "get", EntityPath.of("guest", "a"), "json",
                limit, true);
    }

    @Test
    void eachOperationHasItsOwnWindow() {
        ApiRoute limited = route("/a", new RateLimit(2, Duration.ofMinutes(1)));
        rates.admit(limited, T0);
        rates.admit(limited, T0 + 1);
        WispException e = assertThrows(WispException.class, () -> rates.admit(limited, T0 + 2));
        assertEquals(429, e.status());
        assertEquals("Rate limit of the API operation GET /v/a exceeded (2 per 1 minute).", e.getMessage());
        rates.admit(route("/b", new RateLimit(2, Duration.ofMinutes(1))), T0 + 2); // another operation
        rates.admit(route("/c", null), T0 + 2); // no limit
        rates.admit(limited, T0 + 60_000); // the next window
    }

    @Test
    void eachControllerAllowsItsShare() {
        controllers.set(2);
        ApiRoute limited = route("/a", new RateLimit(3, Duration.ofSeconds(10)));
        rates.admit(limited, T0);
        rates.admit(limited, T0);
        assertThrows(WispException.class, () -> rates.admit(limited, T0));
    }
}
