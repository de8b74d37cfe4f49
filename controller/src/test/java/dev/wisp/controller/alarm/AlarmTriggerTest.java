package dev.wisp.controller.alarm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wisp.common.codec.Json;
import dev.wisp.common.entity.EntityPath;
import dev.wisp.common.entity.KeyValue;
import dev.wisp.common.error.WispException;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

class AlarmTriggerTest {
    private static final EntityPath PATH = EntityPath.of("guest", "t");

    private static JsonNode json(String text) {
        return Json.decode(text.getBytes(), JsonNode.class);
    }

    private static AlarmTrigger from(String params) {
        return AlarmTrigger.from(PATH, json(params), 0);
    }

    @Test
    void readsTheAlarmsFeedParameters() {
        AlarmTrigger a = from("[{\"key\":\"cron\",\"value\":\"*/5 * * * *\"},"
                + "{\"key\":\"trigger_payload\",\"value\":\"{\\\"a\\\":1}\"},"
                + "{\"key\":\"startDate\",\"value\":\"2030-01-01T00:00:00.000Z\"},"
                + "{\"key\":\"stopDate\",\"value\":1924992000000},"
                + "{\"key\":\"maxTriggers\",\"value\":10},{\"key\":\"timezone\",\"value\":\"Europe/Berlin\"}]");
        assertEquals("*/5 * * * *", a.schedule().expression());
        assertEquals(1, a.payload().path("a").asInt(), "a payload given as a JSON string is parsed");
        assertEquals(1893456000000L, a.startDate());
        assertEquals(1924992000000L, a.stopDate());
        assertEquals(10, a.maxTriggers());
        assertEquals(ZoneId.of("Europe/Berlin"), a.zone());
        AlarmTrigger plain = from("[{\"key\":\"cron\",\"value\":\"* * * * *\"},{\"key\":\"maxTriggers\",\"value\":-1}]");
        assertTrue(plain.payload().isObject() && plain.payload().isEmpty());
        assertEquals(Long.MAX_VALUE, plain.maxTriggers());
        assertEquals(Long.MAX_VALUE, plain.stopDate());
    }

    @Test
    void badParametersAreNamed() {
        assertMessage("[]", "needs the parameter 'cron'");
        assertMessage("[{\"key\":\"cron\",\"value\":5}]", "'cron' must be a string");
        assertMessage("[{\"key\":\"cron\",\"value\":\"* * * * *\"},{\"key\":\"trigger_payload\",\"value\":[1]}]",
                "'trigger_payload' must be a JSON object");
        assertMessage("[{\"key\":\"cron\",\"value\":\"* * * * *\"},{\"key\":\"startDate\",\"value\":\"soon\"}]",
                "'startDate' must be a date");
        assertMessage("[{\"key\":\"cron\",\"value\":\"* * * * *\"},{\"key\":\"startDate\",\"value\":2000},"
                + "{\"key\":\"stopDate\",\"value\":1000}]", "'stopDate' must be after 'startDate'");
        assertMessage("[{\"key\":\"cron\",\"value\":\"* * * * *\"},{\"key\":\"maxTriggers\",\"value\":\"many\"}]",
                "'maxTriggers' must be an integer");
        assertMessage("[{\"key\":\"cron\",\"value\":\"* * * * *\"},{\"key\":\"timezone\",\"value\":\"Mars/Base\"}]",
                "'timezone' is not a time zone");
    }

    @Test
    void onlyTriggersOnTheAlarmsFeedAreValidated() {
        List<KeyValue> badCron = List.of(new KeyValue("cron", Json.toTree("61 * * * *")));
        List<KeyValue> feed = List.of(new KeyValue("feed", Json.toTree("/whisk.system/alarms/alarm")));
        WispException e = assertThrows(WispException.class, () -> AlarmTrigger.validate(PATH, badCron, feed));
        assertEquals(400, e.status());
        assertTrue(e.getMessage().startsWith("Invalid alarm trigger: the cron minute field '61'"), e.getMessage());
        AlarmTrigger.validate(PATH, badCron, List.of());
        AlarmTrigger.validate(PATH, List.of(), feed); // wsk: the schedule comes with the feed's CREATE
        assertTrue(AlarmTrigger.isAlarm(json("[{\"key\":\"feed\",\"value\":\"whisk.system/alarms/alarm\"}]")));
        assertFalse(AlarmTrigger.isAlarm(json("[{\"key\":\"feed\",\"value\":\"/whisk.system/messaging/kafkaFeed\"}]")));
    }

    @Test
    void tickIdsDependOnTriggerAndTickOnly() {
        assertEquals(TickIds.of(PATH, 1000), TickIds.of(EntityPath.of("guest", "t"), 1000));
        assertNotEquals(TickIds.of(PATH, 1000), TickIds.of(PATH, 2000));
        assertNotEquals(TickIds.of(PATH, 1000), TickIds.of(EntityPath.of("guest", "u"), 1000));
        assertNotEquals(TickIds.of(PATH, 1000), TickIds.skipped(PATH, 1000));
    }

    private static void assertMessage(String params, String part) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> from(params));
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }
}
