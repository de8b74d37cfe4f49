package dev.wisp.common.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

    @Test
    void badValuesAndUnknownFlagsAreRefusedTogether() {
        ConfigException e = assertThrows(ConfigException.class, () -> Settings.configure(
                new String[] {"--a.port=x", "--a.wait=-5s", "--a.prot=1"}, Map.of("WISP_A_MODE", "sideways"), s -> {
                    s.get(Setting.integer("a.port", 1, 0, 65535, "port"));
                    s.get(Setting.duration("a.wait", Duration.ZERO, "wait"));
                    s.get(Setting.oneOf("a.mode", "up", "mode", "up", "down"));
                    s.check();
                    return "never";
                }));
        assertEquals(List.of(
                "a.port=x is not an integer; allowed: an integer from 0 to 65535",
                "a.wait=-5s is negative; allowed: a duration, 0 or more",
                "a.mode=sideways (WISP_A_MODE) is not one of them; allowed: up, down",
                "unknown setting --a.prot (did you mean --a.port?)"), e.problems());
    }

    @Test
    void refusesEnvironmentAndFileKeysThatLookLikeThisProcesssButAreNot(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("wisp.properties");
        Files.writeString(file, "controller.prot=1\ninvoker.name=shared\n");
        Settings s = Settings.load(new String[] {"--config=" + file}, Map.of(
                "WISP_CONTROLER_ID", "c1", // a misspelling of a key it reads
                "WISP_LIMITS_PAYLOAD_BYTE", "1", // in a namespace every process knows
                "WISP_KAFKA_REPLICATION", "3", // another component's, of the common ones
                "WISP_GATEWAY_PORT", "1", // another component's
                "WISP_HOME", "/h", "WISP_RUNTIME_TOKEN", "t")); // the launcher's, the runtimes'
        s.get(Setting.text("controller.id", "c", "id"));
        s.get(Setting.integer("controller.port", 1, 0, 65535, "port"));
        ConfigException e = assertThrows(ConfigException.class, s::refuseUnknown);
        assertEquals(List.of(
                "unknown setting WISP_CONTROLER_ID (did you mean WISP_CONTROLLER_ID?)",
                "unknown setting controller.prot in " + file + " (did you mean controller.port?)",
                "unknown setting WISP_LIMITS_PAYLOAD_BYTE (did you mean WISP_LIMITS_PAYLOAD_BYTES?)"),
                e.problems());
    }

    @Test
    void aSettingOfStandaloneIsCheckedEvenIfNoComponentReadsItYet() {
        Settings s = new Settings(Map.of("b.ttl", "1x", "b.port", "7"));
        s.validate(List.of(Setting.duration("b.ttl", Duration.ZERO, "ttl"), Setting.required("b.url", "url"),
                Setting.integer("b.port", 1, 0, 9, "port")));
        ConfigException e = assertThrows(ConfigException.class, s::check);
        assertEquals(List.of("b.ttl=1x is not a duration such as 500ms, 30s, 5m, 24h or 7d; allowed: a duration, 0"
                + " or more"), e.problems());
    }

    @Test
    void definitionsParseAndShowTheirValues() {
        assertEquals(Duration.ofHours(24), Setting.parseDuration("24h"));
        assertEquals(Duration.ofDays(7), Setting.parseDuration("7d"));
        assertEquals("24h", Setting.show(Duration.ofHours(24)));
        assertEquals("90s", Setting.show(Duration.ofSeconds(90)));
        assertEquals("15m", Setting.show(Duration.ofMinutes(15)));
        assertEquals("250ms", Setting.show(Duration.ofMillis(250)));
        Settings s = new Settings(Map.of("t", "0", "c", "0.5", "n", "1e400"));
        assertEquals(Duration.ofSeconds(3), s.get(Setting.positiveDuration("t", Duration.ofSeconds(3), "t")));
        assertEquals(0.5, s.get(Setting.decimal("c", 0, 0, 4, "c")));
        assertEquals(1.0, s.get(Setting.decimal("n", 1, 0, 4, "n")));
        ConfigException e = assertThrows(ConfigException.class, s::check);
        assertEquals(2, e.problems().size(), e.getMessage());
        assertTrue(e.problems().get(0).startsWith("t=0 must be longer than zero"), e.getMessage());
    }
}
