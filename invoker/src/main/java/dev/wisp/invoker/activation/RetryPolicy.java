package dev.wisp.invoker.activation;

import java.time.Duration;

/**
 * How non-blocking activations that end in a system error are retried: {@code retries} more attempts, the n-th
 * after {@code firstBackoff * 2^(n-1)}, then a dead letter. Blocking callers see their error instead.
 */
public record RetryPolicy(int retries, Duration firstBackoff) {
    public static final RetryPolicy DEFAULT = new RetryPolicy(2, Duration.ofSeconds(1));

    public RetryPolicy {
        if (retries < 0) {
            throw new IllegalArgumentException("negative retries");
        }
    }

    /** The wait before attempt number {@code attempt} (1 for the first retry). */
    public Duration backoff(int attempt) {
        return firstBackoff.multipliedBy(1L << Math.min(20, Math.max(0, attempt - 1)));
    }
}
