package dev.wisp.it;

import static dev.wisp.it.WispClient.NS;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wisp.common.entity.EntityPath;
import dev.wisp.controller.alarm.TickIds;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Alarms through the REST API on the fixture: a trigger on the alarms feed with a cron schedule fires on every
 * tick, once, under the tick's activation id, and runs its rule's action; a bad schedule is refused.
 */
class AlarmsIT {
    static final String FEED = "{\"key\":\"feed\",\"value\":\"/whisk.system/alarms/alarm\"}";

    private final WispClient wisp = WispFixture.client();

    @BeforeAll
    static void start() {
        WispFixture.get();
    }

    static String alarm(String cron, String more) {
        return "{\"annotations\":[" + FEED + "],\"parameters\":[{\"key\":\"cron\",\"value\":\"" + cron + "\"}"
                + more + "]}";
    }

    @Test
    void anAlarmEverySecondFiresOncePerTickAndRunsItsRule() {
        assertEquals(200, wisp.put(NS + "/actions/alarm-echo?overwrite=true",
                WispClient.nodeAction("function main(p) { return p; }")).status());
        WispClient.Response t = wisp.put(NS + "/triggers/alarm-1s?overwrite=true", alarm("* * * * * *",
                ",{\"key\":\"trigger_payload\",\"value\":{\"from\":\"alarm\"}}"));
        assertEquals(200, t.status(), t.toString());
        assertEquals(200, wisp.put(NS + "/rules/alarm-1s-rule?overwrite=true",
                TriggersRulesIT.rule("alarm-1s", "alarm-echo")).status());
        long created = System.currentTimeMillis();
        long firstTick = (created / 1000 + 2) * 1000; // the rule is surely active by then
        int n = 8;
        EntityPath path = EntityPath.of("guest", "alarm-1s");
        await().alias(n + " ticks fired").atMost(Duration.ofSeconds(n + 20)).pollInterval(Duration.ofMillis(500))
                .until(() -> wisp.get(NS + "/activations/" + TickIds.of(path, firstTick + (n - 1) * 1000L)).status() == 200);
        assertEquals(200, wisp.delete(NS + "/rules/alarm-1s-rule").status());
        assertEquals(200, wisp.delete(NS + "/triggers/alarm-1s").status());

        Set<String> ruleRuns = new HashSet<>();
        List<Long> lateness = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long tick = firstTick + i * 1000L;
            WispClient.Response r = wisp.get(NS + "/activations/" + TickIds.of(path, tick));
            assertEquals(200, r.status(), "tick " + i + " has its trigger activation: " + r);
            JsonNode record = r.json();
            assertEquals("alarm-1s", record.path("name").asText());
            assertEquals("alarm", record.path("response").path("result").path("from").asText(), record.toString());
            long late = record.path("start").asLong() - tick;
            lateness.add(late);
            assertTrue(late >= 0 && late < 10_000, "tick " + i + " fired " + late + " ms after its time");
            Map<String, JsonNode> entries = TriggersRulesIT.entries(record);
            JsonNode entry = entries.get("guest/alarm-1s-rule");
            assertTrue(entry != null && entry.path("success").asBoolean(), entries.toString());
            ruleRuns.add(entry.path("activationId").asText());
        }
        assertEquals(n, ruleRuns.size());
        lateness.sort(null);
        assertTrue(lateness.get(n / 2) < 2_000, "ticks fire on time (median lateness), fired after " + lateness);
        for (String id : ruleRuns) {
            await().alias("the action run " + id).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> wisp.get(NS + "/activations/" + id).status() == 200);
            assertEquals("alarm", wisp.get(NS + "/activations/" + id).json().path("response").path("result")
                    .path("from").asText());
        }
        // exactly one trigger activation per tick: every record of the trigger is one of its tick ids
        Set<String> tickIds = new HashSet<>();
        long last = System.currentTimeMillis();
        for (long tick = created / 1000 * 1000; tick <= last; tick += 1000) {
            tickIds.add(TickIds.of(path, tick).value());
        }
        JsonNode all = wisp.get(NS + "/activations?limit=200&name=alarm-1s").json();
        Set<String> seen = new HashSet<>();
        for (JsonNode a : all) {
            String id = a.path("activationId").asText();
            assertTrue(tickIds.contains(id), "record " + id + " is a tick's");
            assertTrue(seen.add(id), "one record per tick");
        }
        assertTrue(seen.size() >= n && seen.size() <= n + 4, seen.size() + " records for " + n + " ticks and a few more");
    }

    @Test
    void aBadScheduleIsRefusedWithItsReason() {
        WispClient.Response badMinute = wisp.put(NS + "/triggers/alarm-bad", alarm("61 * * * *", ""));
        assertEquals(400, badMinute.status(), badMinute.toString());
        assertTrue(badMinute.json().path("error").asText().contains("minute field '61' is invalid"), badMinute.toString());
        WispClient.Response fields = wisp.put(NS + "/triggers/alarm-bad", alarm("* * *", ""));
        assertEquals(400, fields.status(), fields.toString());
        assertTrue(fields.json().path("error").asText().contains("needs 5"), fields.toString());
        WispClient.Response badStop = wisp.put(NS + "/triggers/alarm-bad", alarm("* * * * *",
                ",{\"key\":\"stopDate\",\"value\":\"tomorrow\"}"));
        assertEquals(400, badStop.status(), badStop.toString());
        assertTrue(badStop.json().path("error").asText().contains("stopDate"), badStop.toString());
        assertEquals(404, wisp.get(NS + "/triggers/alarm-bad").status());
        // the same schedule without the feed annotation is an ordinary trigger
        assertEquals(200, wisp.put(NS + "/triggers/alarm-plain?overwrite=true",
                "{\"parameters\":[{\"key\":\"cron\",\"value\":\"61 * * * *\"}]}").status());
        assertEquals(200, wisp.delete(NS + "/triggers/alarm-plain").status());
    }

    @Test
    void theFeedActionTurnsATriggerIntoAnAlarmAsWskDoes() {
        String feed = "/api/v1/namespaces/whisk.system/actions/alarms/alarm?blocking=true";
        assertEquals(200, wisp.put(NS + "/actions/alarm-feed-echo?overwrite=true",
                WispClient.nodeAction("function main(p) { return p; }")).status());
        // wsk trigger create alarm-feed --feed /whisk.system/alarms/alarm -p cron '* * * * * *' -p trigger_payload ...
        WispClient.Response t = wisp.put(NS + "/triggers/alarm-feed?overwrite=true", "{\"annotations\":[" + FEED + "]}");
        assertEquals(200, t.status(), t.toString());
        WispClient.Response bad = wisp.post(feed, "{\"lifecycleEvent\":\"CREATE\",\"triggerName\":\"/_/alarm-feed\","
                + "\"cron\":\"* * 32 * *\"}");
        assertEquals(400, bad.status(), bad.toString());
        assertTrue(bad.json().path("error").asText().contains("day of month field"), bad.toString());
        WispClient.Response created = wisp.post(feed, "{\"lifecycleEvent\":\"CREATE\",\"triggerName\":\"/guest/alarm-feed\","
                + "\"authKey\":\"ignored\",\"cron\":\"* * * * * *\",\"trigger_payload\":{\"via\":\"feed\"}}");
        assertEquals(200, created.status(), created.toString());
        assertTrue(created.json().path("response").path("success").asBoolean(), created.toString());
        JsonNode read = wisp.post(feed + "&result=true", "{\"lifecycleEvent\":\"READ\",\"triggerName\":\"/_/alarm-feed\"}")
                .json();
        assertEquals("* * * * * *", read.path("config").path("cron").asText(), read.toString());
        assertEquals(403, wisp.post(feed, "{\"lifecycleEvent\":\"READ\",\"triggerName\":\"/someone/alarm-feed\"}")
                .status());

        assertEquals(200, wisp.put(NS + "/rules/alarm-feed-rule?overwrite=true",
                TriggersRulesIT.rule("alarm-feed", "alarm-feed-echo")).status());
        await().alias("the alarm fires").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> wisp.get(NS + "/activations?name=alarm-feed").json().size() > 0);
        String id = wisp.get(NS + "/activations?name=alarm-feed").json().get(0).path("activationId").asText();
        assertEquals("feed", wisp.get(NS + "/activations/" + id).json().path("response").path("result").path("via")
                .asText());

        assertEquals(200, wisp.post(feed, "{\"lifecycleEvent\":\"DELETE\",\"triggerName\":\"/_/alarm-feed\"}").status());
        assertTrue(wisp.get(NS + "/triggers/alarm-feed").json().path("parameters").isEmpty(), "the schedule is gone");
        assertEquals(200, wisp.delete(NS + "/rules/alarm-feed-rule").status());
        assertEquals(200, wisp.delete(NS + "/triggers/alarm-feed").status());
    }
}
