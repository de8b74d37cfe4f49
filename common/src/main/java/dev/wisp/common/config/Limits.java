package dev.wisp.common.config;

import java.time.Duration;

/**
 * System limits, OpenWhisk's defaults unless configured ({@code limits.*} keys).
 *
 * @param payloadBytes      largest invoke body, with bound parameters merged
 * @param resultBytes       largest action result
 * @param codeBytes         largest action code
 * @param timeoutMinMs      smallest action timeout
 * @param timeoutMaxMs      largest action timeout
 * @param memoryMinMb       smallest action memory
 * @param memoryMaxMb       largest action memory
 * @param logsMaxMb         largest per-activation log size
 * @param concurrencyMax    most concurrent activations per container
 * @param blockingWait      longest a blocking invoke waits before answering 202
 */
public record Limits(
        int payloadBytes,
        int resultBytes,
        int codeBytes,
        int timeoutMinMs,
        int timeoutMaxMs,
        int memoryMinMb,
        int memoryMaxMb,
        int logsMaxMb,
        int concurrencyMax,
        Duration blockingWait) {

    public static final Limits DEFAULT = new Limits(1_048_576, 1_048_576, 48 * 1_048_576, 100, 300_000, 128, 512,
            10, 500, Duration.ofSeconds(60));

    /** The limits as {@link CommonSettings}' {@code limits.*} keys set them. */
    public static Limits from(Settings s) {
        return new Limits(
                s.get(CommonSettings.LIMITS_PAYLOAD_BYTES),
                s.get(CommonSettings.LIMITS_RESULT_BYTES),
                s.get(CommonSettings.LIMITS_CODE_BYTES),
                s.get(CommonSettings.LIMITS_TIMEOUT_MIN_MS),
                s.get(CommonSettings.LIMITS_TIMEOUT_MAX_MS),
                s.get(CommonSettings.LIMITS_MEMORY_MIN_MB),
                s.get(CommonSettings.LIMITS_MEMORY_MAX_MB),
                s.get(CommonSettings.LIMITS_LOGS_MAX_MB),
                s.get(CommonSettings.LIMITS_CONCURRENCY_MAX),
                s.get(CommonSettings.LIMITS_BLOCKING_WAIT));
    }
}
