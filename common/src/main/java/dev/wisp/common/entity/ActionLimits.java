package dev.wisp.common.entity;

/** Per-action limits in OpenWhisk's units: timeout in milliseconds, memory and logs in megabytes. */
public record ActionLimits(int timeout, int memory, int logs, int concurrency) {
    public static final ActionLimits DEFAULT = new ActionLimits(60_000, 256, 10, 1);
}
