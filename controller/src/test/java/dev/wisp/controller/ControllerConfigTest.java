package dev.wisp.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.wisp.common.config.ConfigException;
import dev.wisp.common.config.Settings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ControllerConfigTest {
    private static final Map<String, String> ENV = Map.of("WISP_KAFKA_BOOTSTRAP", "k:9092",
            "WISP_ZOOKEEPER_CONNECT", "z:2181", "WISP_STORE_URL", "http://s:5984", "WISP_GATEWAY_PORT", "1");

    @Test
    void readsHoursAndDaysAndTheDefaults() {
        ControllerConfig c = Settings.configure(new String[] {"--controller.idempotency.ttl=24h",
                "--controller.reaper.grace=1d"}, ENV, ControllerConfig::from);
        assertEquals(Duration.ofHours(24), c.idempotencyTtl());
        assertEquals(Duration.ofDays(1), c.reaperGrace());
        assertEquals(Duration.ofMinutes(5), c.cacheTtl());
        assertEquals("127.0.0.1", c.advertisedHost());
        assertEquals("k:9092", c.backends().kafka());
        assertEquals(60, (int) c.throttles().invocationsPerMinute());
    }

    @Test
    void refusesEveryBadValueAndUnknownKeyAtOnce() {
        ConfigException e = assertThrows(ConfigException.class, () -> Settings.configure(new String[] {
                "--controller.port=99999", "--controller.cache.ttl=-1s", "--controler.id=c1"},
                Map.of("WISP_CONTROLLER_CACHE_ENTRIES", "lots"), ControllerConfig::from));
        assertEquals(List.of(
                "controller.port=99999 is outside 0..65535; allowed: an integer from 0 to 65535",
                "kafka.bootstrap is required (flag --kafka.bootstrap=..., or env WISP_KAFKA_BOOTSTRAP)",
                "zookeeper.connect is required (flag --zookeeper.connect=..., or env WISP_ZOOKEEPER_CONNECT)",
                "store.url is required (flag --store.url=..., or env WISP_STORE_URL)",
                "controller.cache.ttl=-1s is negative; allowed: a duration, 0 or more",
                "controller.cache.entries=lots (WISP_CONTROLLER_CACHE_ENTRIES) is not an integer; allowed: an"
                        + " integer from 1 to 10000000",
                "unknown setting --controler.id (did you mean --controller.id?)"), e.problems());
    }
}
