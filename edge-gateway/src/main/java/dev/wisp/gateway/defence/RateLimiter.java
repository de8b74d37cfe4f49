package dev.wisp.gateway.defence;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Token buckets by key: {@code perSecond} requests a second for each key, with a burst of as many. Buckets that
 * have refilled are dropped by {@link #sweep}, so the map holds only keys that were busy within the last second
 * or so; past {@code maxKeys} busy keys a new key goes unlimited here (the per-address limit still holds it).
 */
public final class RateLimiter {
    private final int perSecond;
    private final int maxKeys;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    /** @param perSecond requests a second per key; 0 for no limit */
    public RateLimiter(int perSecond, int maxKeys) {
        this.perSecond = perSecond;
        this.maxKeys = maxKeys;
    }

    public int perSecond() {
        return perSecond;
    }

    /** Whether a request with this key may go on now; takes a token if so. */
    public boolean tryAcquire(String key, long nowNanos) {
        if (perSecond <= 0) {
            return true;
        }
        Bucket b = buckets.get(key);
        if (b == null) {
            if (buckets.size() >= maxKeys) {
                sweep(nowNanos);
                if (buckets.size() >= maxKeys) {
                    return true;
                }
            }
            b = buckets.computeIfAbsent(key, k -> new Bucket(perSecond, nowNanos));
        }
        return b.take(perSecond, nowNanos);
    }

    /** Drops the buckets that are full again: their keys have been quiet long enough to start afresh. */
    public void sweep(long nowNanos) {
        buckets.values().removeIf(b -> b.full(perSecond, nowNanos));
    }

    int size() {
        return buckets.size();
    }

    private static final class Bucket {
        private double tokens;
        private long last;

        Bucket(int perSecond, long now) {
            this.tokens = perSecond;
            this.last = now;
        }

        synchronized boolean take(int perSecond, long now) {
            refill(perSecond, now);
            if (tokens < 1) {
                return false;
            }
            tokens -= 1;
            return true;
        }

        synchronized boolean full(int perSecond, long now) {
            refill(perSecond, now);
            return tokens >= perSecond;
        }

        private void refill(int perSecond, long now) {
            if (now > last) {
                tokens = Math.min(perSecond, tokens + (now - last) * (double) perSecond / 1_000_000_000L);
                last = now;
            }
        }
    }
}
