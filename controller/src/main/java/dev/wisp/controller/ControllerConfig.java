package dev.wisp.controller;

import dev.wisp.common.config.Backends;
import dev.wisp.common.config.CommonSettings;
import dev.wisp.common.config.Limits;
import dev.wisp.common.config.Settings;
import dev.wisp.common.entity.NamespaceLimits;
import java.time.Duration;

/**
 * Everything a controller needs, read once at start-up; {@link ControllerSettings} defines each key.
 *
 * @param id               unique among controllers; names its completion topic
 * @param host             interface the API listens on
 * @param port             API port (0 picks a free one)
 * @param advertisedHost   how gateways reach this controller
 * @param backends         Kafka, ZooKeeper and the store
 * @param sendTimeout      how long a publish may take before its outcome counts as unknown (503)
 * @param limits           system limits on entities and payloads ({@code limits.*})
 * @param throttles        default per-namespace throttles: {@code limits.invocations.per.minute} (60),
 *                         {@code limits.invocations.concurrent} (30), {@code limits.fires.per.minute} (60), as
 *                         OpenWhisk deploys them; a subject may override them
 * @param cacheTtl         longest an entity stays in the controller's cache ({@code controller.cache.ttl})
 * @param cacheMaxEntries  most entities in the cache ({@code controller.cache.entries})
 * @param idempotencyTtl   how long an {@code Idempotency-Key} stands for its activation
 *                         ({@code controller.idempotency.ttl}, 24h)
 * @param reaperGrace      how long past its action timeout an accepted activation may go without a final record
 *                         before the reaper records it as a system error ({@code controller.reaper.grace}, 15m);
 *                         it must cover queueing and the invoker's retries
 * @param adminToken       bearer token of the operators' {@code /admin} API ({@code controller.admin.token}); null
 *                         disables that API
 */
public record ControllerConfig(
        String id,
        String host,
        int port,
        String advertisedHost,
        Backends backends,
        Duration sendTimeout,
        Limits limits,
        NamespaceLimits throttles,
        Duration cacheTtl,
        int cacheMaxEntries,
        Duration idempotencyTtl,
        Duration reaperGrace,
        String adminToken) {

    public static ControllerConfig from(Settings s) {
        String host = s.get(ControllerSettings.HOST);
        ControllerConfig c = new ControllerConfig(
                s.get(ControllerSettings.ID),
                host,
                s.get(ControllerSettings.PORT),
                s.get(ControllerSettings.ADVERTISED_HOST, host),
                Backends.from(s),
                s.get(ControllerSettings.SEND_TIMEOUT),
                Limits.from(s),
                new NamespaceLimits(
                        s.get(CommonSettings.INVOCATIONS_PER_MINUTE),
                        s.get(CommonSettings.INVOCATIONS_CONCURRENT),
                        s.get(CommonSettings.FIRES_PER_MINUTE)),
                s.get(ControllerSettings.CACHE_TTL),
                s.get(ControllerSettings.CACHE_ENTRIES),
                s.get(ControllerSettings.IDEMPOTENCY_TTL),
                s.get(ControllerSettings.REAPER_GRACE),
                s.get(ControllerSettings.ADMIN_TOKEN));
        s.check();
        return c;
    }
}
