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

    public static Limits from(Settings s) {
        Limits d = DEFAULT;
        return new Limits(
                s.integer("limits.payload.bytes", d.payloadBytes, 1024, 64 * 1_048_576),
                s.integer("limits.result.bytes", d.resultBytes, 1024, 64 * 1_048_576),
                s.integer("limits.code.bytes", d.codeBytes, 1024, 256 * 1_048_576),
                s.integer("limits.timeout.min.ms", d.timeoutMinMs, 1, Integer.MAX_VALUE),
                s.integer("limits.timeout.max.ms", d.timeoutMaxMs, 1, Integer.MAX_VALUE),
                s.integer("limits.memory.min.mb", d.memoryMinMb, 16, 1 << 20),
                s.integer("limits.memory.max.mb", d.memoryMaxMb, 16, 1 << 20),
                s.integer("limits.logs.max.mb", d.logsMaxMb, 0, 1024),
                s.integer("limits.concurrency.max", d.concurrencyMax, 1, 10_000),
                s.duration("limits.blocking.wait", d.blockingWait));
    }
}
