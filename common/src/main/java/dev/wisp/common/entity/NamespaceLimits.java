package dev.wisp.common.entity;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Per-namespace overrides of the system throttles, stored on the subject. A null field means "the system
 * default"; a set field must be positive.
 *
 * @param invocationsPerMinute  invocations the namespace may start per minute
 * @param concurrentInvocations invocations of the namespace that may be in flight at once
 * @param firesPerMinute        trigger fires per minute
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NamespaceLimits(Integer invocationsPerMinute, Integer concurrentInvocations, Integer firesPerMinute) {
    public static final NamespaceLimits NONE = new NamespaceLimits(null, null, null);

    public NamespaceLimits {
        positive("invocationsPerMinute", invocationsPerMinute);
        positive("concurrentInvocations", concurrentInvocations);
        positive("firesPerMinute", firesPerMinute);
    }

    private static void positive(String field, Integer value) {
        if (value != null && value <= 0) {
            throw new IllegalArgumentException(field + " must be positive, got " + value);
        }
    }

    /** This override where set, else {@code fallback}'s value. */
    public NamespaceLimits orElse(NamespaceLimits fallback) {
        return new NamespaceLimits(
                invocationsPerMinute != null ? invocationsPerMinute : fallback.invocationsPerMinute,
                concurrentInvocations != null ? concurrentInvocations : fallback.concurrentInvocations,
                firesPerMinute != null ? firesPerMinute : fallback.firesPerMinute);
    }
}
