package dev.wisp.it;

import static dev.wisp.it.WispClient.NS;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Triggers and rules through the REST API: CRUD, errors, enable and disable, fires, throttle, records. */
class TriggersRulesIT {
    private static final String ECHO = "function main(p) { return p; }";

    private final WispClient wisp = WispFixture.client();

    @BeforeAll
    static void start() {
        WispFixture.get();
    }

    @Test
    void triggersAreCreatedReadUpdatedListedAndDeleted() {
        WispClient.Response created = wisp.put(NS + "/triggers/tr-crud",
                "{\"parameters\":[{\"key\":\"a\",\"value\":1}],\"annotations\":[{\"key\":\"d\",\"value\":\"x\"}]}");
        assertEquals(200, created.status(), created.toString());
        JsonNode t = created.json();
        assertEquals("guest", t.path("namespace").asText());
        assertEquals("tr-crud", t.path("name").asText());
        assertEquals("0.0.1", t.path("version").asText());
        assertEquals(1, t.path("parameters").get(0).path("value").asInt());
        assertTrue(t.path("limits").isObject(), t.toString());

        WispClient.Response again = wisp.put(NS + "/triggers/tr-crud", "{}");
        assertEquals(409, again.status(), again.toString());
        assertTrue(again.json().path("error").asText().contains("already exists"), again.toString());

        WispClient.Response updated = wisp.put(NS + "/triggers/tr-crud?overwrite=true",
                "{\"parameters\":[{\"key\":\"a\",\"value\":2}]}");
        assertEquals(200, updated.status(), updated.toString());
        assertEquals("0.0.2", updated.json().path("version").asText());
        JsonNode read = wisp.get(NS + "/triggers/tr-crud").json();
        assertEquals(2, read.path("parameters").get(0).path("value").asInt());
        assertEquals("x", read.path("annotations").get(0).path("value").asText(), "absent fields keep their values");

        assertTrue(names(wisp.get(NS + "/triggers?limit=200").json()).contains("tr-crud"));
        assertTrue(wisp.get(NS + "/triggers?count=true").json().path("triggers").asInt() >= 1);
        assertEquals(400, wisp.get(NS + "/triggers?limit=201").status());

        assertEquals(400, wisp.put(NS + "/triggers/bad%20name%20", "{}").status());
        assertEquals(400, wisp.put(NS + "/triggers/tr-bad", "{\"parameters\":{\"a\":1}}").status());
        assertEquals(400, wisp.put(NS + "/triggers/tr-bad", "[1]").status());
        assertEquals(404, wisp.get(NS + "/triggers/tr-none").status());
        assertEquals(403, wisp.get("/api/v1/namespaces/someone-else/triggers/tr-crud").status());

        assertEquals(200, wisp.put(NS + "/actions/tr-taken", WispClient.nodeAction(ECHO)).status());
        WispClient.Response clash = wisp.put(NS + "/triggers/tr-taken", "{}");
        assertEquals(409, clash.status(), "a trigger cannot take an action's name: " + clash);

        WispClient.Response deleted = wisp.delete(NS + "/triggers/tr-crud");
        assertEquals(200, deleted.status(), deleted.toString());
        assertEquals("tr-crud", deleted.json().path("name").asText());
        assertEquals(404, wisp.get(NS + "/triggers/tr-crud").status());
        assertEquals(404, wisp.delete(NS + "/triggers/tr-crud").status());
    }

    @Test
    void rulesConnectExistingTriggersAndActionsAndCanBeDisabled() {
        action("tr-r-act");
        trigger("tr-r-trig", "{}");

        WispClient.Response noTrigger = wisp.put(NS + "/rules/tr-r", rule("tr-r-missing", "tr-r-act"));
        assertEquals(404, noTrigger.status(), noTrigger.toString());
        assertTrue(noTrigger.json().path("error").asText().contains("trigger 'tr-r-missing' does not exist"),
                noTrigger.toString());
        WispClient.Response noAction = wisp.put(NS + "/rules/tr-r", rule("tr-r-trig", "tr-r-nothing"));
        assertEquals(404, noAction.status(), noAction.toString());
        assertTrue(noAction.json().path("error").asText().contains("action 'tr-r-nothing' does not exist"),
                noAction.toString());
        assertEquals(400, wisp.put(NS + "/rules/tr-r", "{\"trigger\":\"tr-r-trig\"}").status());
        assertEquals(400, wisp.put(NS + "/rules/tr-r", "{\"trigger\":\"tr-r-trig\",\"action\":\"tr-r-act\","
                + "\"status\":\"on\"}").status());
        assertEquals(403, wisp.put(NS + "/rules/tr-r", rule("/other/tr-r-trig", "tr-r-act")).status());
        assertEquals(404, wisp.get(NS + "/rules/tr-r").status(), "failed creates leave nothing behind");

        WispClient.Response created = wisp.put(NS + "/rules/tr-r", rule("/_/tr-r-trig", "/guest/tr-r-act"));
        assertEquals(200, created.status(), created.toString());
        JsonNode r = created.json();
        assertEquals("active", r.path("status").asText());
        assertEquals("guest", r.path("trigger").path("path").asText());
        assertEquals("tr-r-trig", r.path("trigger").path("name").asText());
        assertEquals("guest", r.path("action").path("path").asText());
        assertEquals("tr-r-act", r.path("action").path("name").asText());
        assertEquals(409, wisp.put(NS + "/rules/tr-r", rule("tr-r-trig", "tr-r-act")).status());

        JsonNode onTrigger = wisp.get(NS + "/triggers/tr-r-trig").json().path("rules").path("guest/tr-r");
        assertEquals("active", onTrigger.path("status").asText(), onTrigger.toString());
        assertEquals("tr-r-act", onTrigger.path("action").path("name").asText());
        assertEquals("guest", onTrigger.path("action").path("path").asText());

        WispClient.Response disabled = wisp.post(NS + "/rules/tr-r", "{\"status\":\"inactive\"}");
        assertEquals(200, disabled.status(), disabled.toString());
        assertEquals("inactive", wisp.get(NS + "/rules/tr-r").json().path("status").asText());
        assertEquals("inactive", wisp.get(NS + "/triggers/tr-r-trig").json().path("rules").path("guest/tr-r")
                .path("status").asText());
        WispClient.Response ignored = wisp.post(NS + "/triggers/tr-r-trig", "{}");
        assertEquals(204, ignored.status(), "no active rule: " + ignored);
        assertEquals("", ignored.body());
        assertEquals(400, wisp.post(NS + "/rules/tr-r", "{\"status\":\"paused\"}").status());
        assertEquals(400, wisp.post(NS + "/rules/tr-r", "{}").status());

        assertEquals(200, wisp.post(NS + "/rules/tr-r", "{\"status\":\"active\"}").status());
        assertEquals(202, wisp.post(NS + "/triggers/tr-r-trig", "{}").status());

        assertTrue(names(wisp.get(NS + "/rules?limit=0").json()).contains("tr-r"));
        assertTrue(wisp.get(NS + "/rules?count=true").json().path("rules").asInt() >= 1);

        WispClient.Response deleted = wisp.delete(NS + "/rules/tr-r");
        assertEquals(200, deleted.status(), deleted.toString());
        assertEquals(404, wisp.get(NS + "/rules/tr-r").status());
        assertFalse(wisp.get(NS + "/triggers/tr-r-trig").json().path("rules").has("guest/tr-r"));
        assertEquals(204, wisp.post(NS + "/triggers/tr-r-trig", "{}").status());
        assertEquals(404, wisp.post(NS + "/triggers/tr-r-none", "{}").status());
        assertEquals(404, wisp.post(NS + "/rules/tr-r", "{\"status\":\"active\"}").status());
    }

    @Test
    void aFireRunsEveryActiveRuleWithMergedParametersAndRecordsThem() {
        action("tr-f-a1", "{\"key\":\"bound\",\"value\":\"a1\"}");
        action("tr-f-a2", "{\"key\":\"bound\",\"value\":\"a2\"}");
        action("tr-f-gone", null);
        trigger("tr-f-t1", "{\"parameters\":[{\"key\":\"p\",\"value\":\"trigger\"},{\"key\":\"q\",\"value\":\"trigger\"}]}");
        trigger("tr-f-t2", "{}");
        // many to many: t1 -> a1, a2; t2 -> a1, gone
        assertEquals(200, wisp.put(NS + "/rules/tr-f-r1", rule("tr-f-t1", "tr-f-a1")).status());
        assertEquals(200, wisp.put(NS + "/rules/tr-f-r2", rule("tr-f-t1", "tr-f-a2")).status());
        assertEquals(200, wisp.put(NS + "/rules/tr-f-r3", rule("tr-f-t2", "tr-f-a1")).status());
        assertEquals(200, wisp.put(NS + "/rules/tr-f-r4", rule("tr-f-t2", "tr-f-gone")).status());
        assertEquals(200, wisp.delete(NS + "/actions/tr-f-gone").status());

        WispClient.Response fired = wisp.post(NS + "/triggers/tr-f-t1", "{\"q\":\"fire\",\"bound\":\"fire\"}");
        assertEquals(202, fired.status(), fired.toString());
        String fireId = fired.json().path("activationId").asText();
        assertTrue(fireId.matches("[0-9a-f]{32}"), fired.toString());

        JsonNode record = awaitRecord(fireId);
        assertEquals("tr-f-t1", record.path("name").asText());
        assertEquals("fire", record.path("response").path("result").path("q").asText());
        assertEquals("trigger", record.path("response").path("result").path("p").asText());
        Map<String, JsonNode> entries = entries(record);
        assertEquals(List.of("guest/tr-f-r1", "guest/tr-f-r2"), List.copyOf(new java.util.TreeSet<>(entries.keySet())));
        for (var e : entries.entrySet()) {
            JsonNode entry = e.getValue();
            assertTrue(entry.path("success").asBoolean(), entry.toString());
            assertEquals(0, entry.path("statusCode").asInt());
            String action = e.getKey().endsWith("r1") ? "tr-f-a1" : "tr-f-a2";
            assertEquals("guest/" + action, entry.path("action").asText());
            JsonNode run = awaitRecord(entry.path("activationId").asText());
            assertEquals(action, run.path("name").asText());
            assertEquals(fireId, run.path("cause").asText(), "a rule's activation names the fire as its cause");
            JsonNode result = run.path("response").path("result");
            assertEquals("trigger", result.path("p").asText(), "trigger parameters reach the action");
            assertEquals("fire", result.path("q").asText(), "the fire's payload wins over the trigger's");
            assertEquals("fire", result.path("bound").asText(), "the fire's payload wins over the action's");
        }
        assertEquals(2, countCausedBy(fireId, "tr-f-a1") + countCausedBy(fireId, "tr-f-a2"));

        WispClient.Response second = wisp.post(NS + "/triggers/tr-f-t2", "");
        assertEquals(202, second.status(), second.toString());
        Map<String, JsonNode> secondEntries = entries(awaitRecord(second.json().path("activationId").asText()));
        assertEquals(2, secondEntries.size(), secondEntries.toString());
        JsonNode ok = secondEntries.get("guest/tr-f-r3");
        assertTrue(ok.path("success").asBoolean(), ok.toString());
        assertEquals("a1", awaitRecord(ok.path("activationId").asText()).path("response").path("result")
                .path("bound").asText(), "the action's bound parameter stays when the fire does not set it");
        JsonNode missing = secondEntries.get("guest/tr-f-r4");
        assertFalse(missing.path("success").asBoolean(), missing.toString());
        assertTrue(missing.path("error").asText().contains("does not exist"), missing.toString());
        assertFalse(missing.has("activationId"), missing.toString());
    }

    @Test
    void firesPerMinuteAreThrottled() {
        WispClient firer = Admin.newUser("tr-firer", "--firesPerMinute", "2");
        assertEquals(200, firer.put(NS + "/triggers/tr-limited", "{}").status());
        List<WispClient.Response> answers = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            answers.add(firer.post(NS + "/triggers/tr-limited", "{}"));
        }
        WispClient.Response refused = answers.stream().filter(a -> a.status() == 429).findFirst()
                .orElseThrow(() -> new AssertionError("no fire was throttled: " + answers));
        assertTrue(refused.json().path("error").asText().matches(
                "Too many requests in the last minute \\(count: \\d+, allowed: 2\\)\\."), refused.toString());
        assertTrue(answers.stream().filter(a -> a.status() == 204).count() >= 2, answers.toString());
    }

    @Test
    void aFireRepeatedWithAnIdempotencyKeyRunsItsRulesOnce() {
        action("tr-k-act");
        trigger("tr-k-trig", "{}");
        assertEquals(200, wisp.put(NS + "/rules/tr-k-r", rule("tr-k-trig", "tr-k-act")).status());
        String key = "fire-" + java.util.UUID.randomUUID();
        int before = wisp.get(NS + "/activations?count=true&name=tr-k-act").json().path("activations").asInt();

        WispClient.Response first = fireWithKey("tr-k-trig", "{\"n\":1,\"m\":[1,2]}", key);
        assertEquals(202, first.status(), first.toString());
        String fireId = first.json().path("activationId").asText();
        // the same parameters in another order are the same fire
        WispClient.Response second = fireWithKey("tr-k-trig", "{\"m\":[1,2],\"n\":1}", key);
        assertEquals(202, second.status(), second.toString());
        assertEquals(fireId, second.json().path("activationId").asText());
        assertEquals(fireId, second.headers().firstValue("x-openwhisk-activation-id").orElse(""));

        String ruleRun = entries(awaitRecord(fireId)).get("guest/tr-k-r").path("activationId").asText();
        assertEquals(1, awaitRecord(ruleRun).path("response").path("result").path("n").asInt());
        WispClient.Response later = fireWithKey("tr-k-trig", "{\"n\":1,\"m\":[1,2]}", key);
        assertEquals(202, later.status(), later.toString());
        assertEquals(fireId, later.json().path("activationId").asText());
        // a fire without a key runs the rule again: once it has its run, a second run of the keyed fire would show
        WispClient.Response plain = wisp.post(NS + "/triggers/tr-k-trig", "{\"n\":2}");
        assertEquals(202, plain.status(), plain.toString());
        String plainRun = entries(awaitRecord(plain.json().path("activationId").asText())).get("guest/tr-k-r")
                .path("activationId").asText();
        awaitRecord(plainRun);
        assertEquals(1, countCausedBy(fireId, "tr-k-act"), "the keyed fire ran its rule once");
        assertEquals(before + 2, wisp.get(NS + "/activations?count=true&name=tr-k-act").json().path("activations")
                .asInt());

        WispClient.Response otherParams = fireWithKey("tr-k-trig", "{\"n\":3}", key);
        assertEquals(422, otherParams.status(), otherParams.toString());
        assertTrue(otherParams.json().path("error").asText().contains("Idempotency-Key"), otherParams.toString());
        trigger("tr-k-other", "{}");
        assertEquals(200, wisp.put(NS + "/rules/tr-k-r2", rule("tr-k-other", "tr-k-act")).status());
        WispClient.Response otherTrigger = fireWithKey("tr-k-other", "{\"n\":1,\"m\":[1,2]}", key);
        assertEquals(422, otherTrigger.status(), otherTrigger.toString());

        WispClient.Response tooLong = fireWithKey("tr-k-trig", "{}", "x".repeat(257));
        assertEquals(400, tooLong.status(), tooLong.toString());
        assertTrue(tooLong.json().path("error").asText().contains("limit of 256 characters"), tooLong.toString());
        assertEquals(400, fireWithKey("tr-k-trig", "{}", " ").status());
        // a key whose fire published nothing (no such trigger) is free for the next request
        String unused = "fire-" + java.util.UUID.randomUUID();
        assertEquals(404, fireWithKey("tr-k-none", "{}", unused).status());
        WispClient.Response reused = fireWithKey("tr-k-trig", "{\"n\":4}", unused);
        assertEquals(202, reused.status(), reused.toString());
        assertFalse(fireId.equals(reused.json().path("activationId").asText()));
    }

    private WispClient.Response fireWithKey(String trigger, String body, String key) {
        return wisp.request("POST", NS + "/triggers/" + trigger, body.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                Map.of("Idempotency-Key", key));
    }

    private void action(String name) {
        action(name, null);
    }

    private void action(String name, String boundParameter) {
        String body = boundParameter == null ? WispClient.nodeAction(ECHO)
                : WispClient.nodeAction(ECHO).replaceFirst("}$", ",\"parameters\":[" + boundParameter + "]}");
        WispClient.Response r = wisp.put(NS + "/actions/" + name + "?overwrite=true", body);
        assertEquals(200, r.status(), r.toString());
    }

    private void trigger(String name, String body) {
        WispClient.Response r = wisp.put(NS + "/triggers/" + name + "?overwrite=true", body);
        assertEquals(200, r.status(), r.toString());
    }

    static String rule(String trigger, String action) {
        return WispClient.JSON.createObjectNode().put("trigger", trigger).put("action", action).toString();
    }

    private JsonNode awaitRecord(String id) {
        JsonNode[] found = new JsonNode[1];
        await().alias("the record of " + id).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    WispClient.Response r = wisp.get(NS + "/activations/" + id);
                    found[0] = r.status() == 200 ? r.json() : null;
                    return found[0] != null;
                });
        return found[0];
    }

    private int countCausedBy(String fireId, String action) {
        int n = 0;
        for (JsonNode a : wisp.get(NS + "/activations?docs=true&limit=200&name=" + action).json()) {
            if (fireId.equals(a.path("cause").asText())) {
                n++;
            }
        }
        return n;
    }

    /** The trigger record's log lines, one JSON object per rule, by rule name. */
    static Map<String, JsonNode> entries(JsonNode triggerRecord) {
        Map<String, JsonNode> byRule = new HashMap<>();
        for (JsonNode line : triggerRecord.path("logs")) {
            try {
                JsonNode entry = WispClient.JSON.readTree(line.asText());
                byRule.put(entry.path("rule").asText(), entry);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return byRule;
    }

    private static List<String> names(JsonNode list) {
        List<String> names = new ArrayList<>();
        list.forEach(n -> names.add(n.path("name").asText()));
        return names;
    }
}
