package dev.wisp.gateway.defence;

import dev.wisp.common.auth.BasicCredentials;
import dev.wisp.common.entity.Keys;
import java.util.Base64;

/**
 * The edge's request rates: per client address, and per set of credentials presented. A key's bucket is the
 * digest of the whole {@code uuid:key}, not the uuid alone, so that nobody can spend another tenant's allowance
 * by sending its uuid with a wrong key; wrong keys only spend their own bucket and their address's.
 */
public final class RequestRates {
    private static final int MAX_KEYS = 100_000;

    private final RateLimiter byAddress;
    private final RateLimiter byKey;

    public RequestRates(EdgeLimits limits) {
        this.byAddress = new RateLimiter(limits.ratePerAddress(), MAX_KEYS);
        this.byKey = new RateLimiter(limits.ratePerKey(), MAX_KEYS);
    }

    /**
     * Takes a request from its address's and its credentials' allowance.
     *
     * @return null when the request may go on, else the 429 answer's message naming the limit
     */
    public String refusal(String address, String authorization, long nowNanos) {
        if (!byAddress.tryAcquire(address == null ? "unknown" : address, nowNanos)) {
            return "Too many requests from your address: the limit is " + byAddress.perSecond()
                    + " a second (gateway.rate.per.address).";
        }
        if (byKey.perSecond() > 0) {
            String key = BasicCredentials.parse(authorization).map(c -> digest(c.uuid() + ":" + c.key()))
                    .orElse(null);
            if (key != null && !byKey.tryAcquire(key, nowNanos)) {
                return "Too many requests with these credentials: the limit is " + byKey.perSecond()
                        + " a second (gateway.rate.per.key).";
            }
        }
        return null;
    }

    /** Forgets the addresses and keys that have been quiet for a second or more. */
    public void sweep(long nowNanos) {
        byAddress.sweep(nowNanos);
        byKey.sweep(nowNanos);
    }

    private static String digest(String credentials) {
        return Base64.getEncoder().withoutPadding().encodeToString(Keys.sha256(credentials)).substring(0, 22);
    }
}
