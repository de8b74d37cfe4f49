package dev.wisp.common.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingsTest {
    @Test
    void flagsOverrideEnvironment() {
        Settings s = Settings.load(new String[] {"--kafka.bootstrap=flag:1"},
                Map.of("WISP_KAFKA_BOOTSTRAP", "env:1", "WISP_ZOOKEEPER_CONNECT", "zk:2"));
        assertEquals("flag:1", s.string("kafka.bootstrap", null));
        assertEquals("zk:2", s.string("zookeeper.connect", null));
    }

    @Test
    void reportsEveryProblemAtOnce() {
        Settings s = new Settings(Map.of("a", "x", "b", "5q", "c", "99"));
        s.integer("a", 1, 0, 10);
        s.duration("b", Duration.ZERO);
        s.integer("c", 1, 0, 10);
        s.required("d");
        ConfigException e = assertThrows(ConfigException.class, s::check);
        assertEquals(4, e.problems().size(), e.getMessage());
        assertTrue(e.getMessage().contains("WISP_D"), e.getMessage());
    }

    @Test
    void readsDurations() {
        Settings s = new Settings(Map.of("a", "500ms", "b", "30s", "c", "2m", "d", "250"));
        assertEquals(Duration.ofMillis(500), s.duration("a", null));
        assertEquals(Duration.ofSeconds(30), s.duration("b", null));
        assertEquals(Duration.ofMinutes(2), s.duration("c", null));
        assertEquals(Duration.ofMillis(250), s.duration("d", null));
    }

    @Test
    void readsHoursAndDaysAndRefusesNegativeDurations() {
        Settings s = new Settings(Map.of("a", "24h", "b", "7d", "c", "-5s"));
        assertEquals(Duration.ofHours(24), s.duration("a", null));
        assertEquals(Duration.ofDays(7), s.duration("b", null));
        assertEquals(Duration.ofSeconds(1), s.duration("c", Duration.ofSeconds(1)));
        ConfigException e = assertThrows(ConfigException.class, s::check);
        assertTrue(e.getMessage().contains("c=-5s is negative"), e.getMessage());
    }

    @Test
    void refusesAFlagNoComponentAskedForAndSuggestsTheNearestKey() {
        Settings s = Settings.load(new String[] {"--controler.port=9", "--controller.host=h", "--frobnicate=1",
                "standalone"}, Map.of("WISP_HOME", "/somewhere"));
        s.integer("controller.port", 1, 0, 65535);
        s.with("invoker.name", "x").string("controller.host", null); // a copy's reads count too
        assertEquals(java.util.List.of("controler.port", "frobnicate"), s.unknownFlags());
        ConfigException e = assertThrows(ConfigException.class, s::refuseUnknownFlags);
        assertEquals(java.util.List.of("unknown setting --controler.port (did you mean --controller.port?)",
                "unknown setting --frobnicate"), e.problems());
    }

    @Test
    void environmentAndKnownFlagsAreNeverRefused() {
        Settings s = Settings.load(new String[] {"--kafka.bootstrap=k:1"}, Map.of("WISP_HOME", "/h", "WISP_X", "1"));
        s.string("kafka.bootstrap", null);
        s.refuseUnknownFlags();
        assertTrue(s.unknownFlags().isEmpty());
    }

    @Test
    void editDistance() {
        assertEquals(0, Settings.distance("abc", "abc"));
        assertEquals(1, Settings.distance("controler", "controller"));
        assertEquals(3, Settings.distance("kitten", "sitting"));
    }
}
