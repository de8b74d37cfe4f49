package dev.wisp.controller;

import dev.wisp.common.config.Limits;
import dev.wisp.common.config.Settings;
import dev.wisp.common.entity.NamespaceLimits;
import java.time.Duration;

/**
 * Everything a controller needs, read once at start-up.
 *
 * @param id               unique among controllers; names its completion topic
 * @param host             interface the API listens on
 * @param port             API port (0 picks a free one)
 * @param advertisedHost   how gateways reach this controller
 * @param kafka            Kafka bootstrap servers
 * @param kafkaReplication replication factor of the topics this controller creates
 * @param zookeeper        ZooKeeper connect string
 * @param storeUrl         CouchDB-API server URL
 * @param storePrefix      prefix of Wisp's database names
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
        String kafka,
        int kafkaReplication,
        String zookeeper,
        String storeUrl,
        String storeUser,
        String storePassword,
        String storePrefix,
        Duration sendTimeout,
        Limits limits,
        NamespaceLimits throttles,
        Duration cacheTtl,
        int cacheMaxEntries,
        Duration idempotencyTtl,
        Duration reaperGrace,
        String adminToken) {

    public static ControllerConfig from(Settings s) {
        ControllerConfig c = new ControllerConfig(
                s.string("controller.id", "controller0"),
                s.string("controller.host", "127.0.0.1"),
                s.integer("controller.port", 3234, 0, 65535),
                s.string("controller.advertised.host", s.string("controller.host", "127.0.0.1")),
                s.required("kafka.bootstrap"),
                s.integer("kafka.replication", 1, 1, 5),
                s.required("zookeeper.connect"),
                s.required("store.url"),
                s.string("store.user", null),
                s.string("store.password", null),
                s.string("store.prefix", "wisp_"),
                s.duration("controller.send.timeout", Duration.ofSeconds(15)),
                Limits.from(s),
                new NamespaceLimits(
                        s.integer("limits.invocations.per.minute", 60, 1, Integer.MAX_VALUE),
                        s.integer("limits.invocations.concurrent", 30, 1, Integer.MAX_VALUE),
                        s.integer("limits.fires.per.minute", 60, 1, Integer.MAX_VALUE)),
                s.duration("controller.cache.ttl", Duration.ofMinutes(5)),
                s.integer("controller.cache.entries", 10_000, 1, 10_000_000),
                s.duration("controller.idempotency.ttl", Duration.ofHours(24)),
                s.duration("controller.reaper.grace", Duration.ofMinutes(15)),
                s.string("controller.admin.token", null));
        s.check();
        return c;
    }
}
