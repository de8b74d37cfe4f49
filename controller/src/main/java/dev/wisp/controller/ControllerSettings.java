package dev.wisp.controller;

import dev.wisp.common.config.Setting;
import dev.wisp.common.config.SettingDefinitions;
import java.time.Duration;

/** The controller's settings (it also reads {@link dev.wisp.common.config.CommonSettings}). */
public final class ControllerSettings implements SettingDefinitions {
    public static final Setting<String> ID = Setting.text("controller.id", "controller0",
            "unique among controllers; names its completion topic");
    public static final Setting<String> HOST = Setting.text("controller.host", "127.0.0.1",
            "interface the API listens on");
    public static final Setting<Integer> PORT = Setting.integer("controller.port", 3234, 0, 65535,
            "API port (0 picks a free one)");
    public static final Setting<String> ADVERTISED_HOST = Setting.text("controller.advertised.host", null,
            "how gateways reach this controller").defaultShownAs("controller.host");
    public static final Setting<Duration> SEND_TIMEOUT = Setting.duration("controller.send.timeout",
            Duration.ofSeconds(15), "longest a publish to Kafka may take before its outcome is unknown (503)");
    public static final Setting<Duration> CACHE_TTL = Setting.duration("controller.cache.ttl",
            Duration.ofMinutes(5), "longest an entity stays in the controller's cache");
    public static final Setting<Integer> CACHE_ENTRIES = Setting.integer("controller.cache.entries", 10_000, 1,
            10_000_000, "most entities in the controller's cache");
    public static final Setting<Duration> IDEMPOTENCY_TTL = Setting.duration("controller.idempotency.ttl",
            Duration.ofHours(24), "how long an Idempotency-Key stands for its activation");
    public static final Setting<Duration> REAPER_GRACE = Setting.duration("controller.reaper.grace",
            Duration.ofMinutes(15), "how long past its timeout an activation may go without a record before it is"
                    + " recorded as a system error");
    public static final Setting<String> ADMIN_TOKEN = Setting.text("controller.admin.token", null,
            "bearer token of the operators' /admin API (unset: no /admin API)");
}
