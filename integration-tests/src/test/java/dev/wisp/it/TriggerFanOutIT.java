package dev.wisp.it;

import static dev.wisp.it.WispClient.NS;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wisp.common.message.ActivationId;
import dev.wisp.controller.trigger.RuleActivationIds;
import dev.wisp.it.cluster.RecordCheck;
import dev.wisp.it.cluster.WispCluster;
import dev.wisp.it.cluster.WithCluster;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * A fire's fan-out survives an invoker's death: one fire with 100 active rules on a cluster of real processes
 * (1 ZooKeeper, 1 broker, 1 controller, 2 invokers), one invoker killed with -9 while the activations run; every
 * one of the 100 rule activation ids must end with exactly one final record, caused by the fire.
 */
@WithCluster(invokers = 2)
class TriggerFanOutIT {
    private static final int RULES = 100;

    @Test
    void oneFireWithAHundredRulesLosesNoActivationWhenAnInvokerDies(WispCluster cluster) throws Exception {
        WispClient wisp = new WispClient(cluster.apiHost(), cluster.auth());
        assertEquals(200, wisp.put(NS + "/actions/fan", "{\"exec\":{\"kind\":\"nodejs:default\",\"code\":"
                + "\"function main(p) { return new Promise(r => setTimeout(() => r({ t: p.t }), 1500)); }\"},"
                + "\"limits\":{\"memory\":128,\"concurrency\":8}}").status());
        assertEquals(200, wisp.put(NS + "/triggers/fan-trigger", "{\"parameters\":[{\"key\":\"t\",\"value\":\"fan\"}]}").status());
        for (int i = 0; i < RULES; i++) {
            WispClient.Response r = wisp.put(NS + "/rules/fan-" + i, TriggersRulesIT.rule("fan-trigger", "fan"));
            assertEquals(200, r.status(), r.toString());
        }

        long firedAt = System.currentTimeMillis();
        WispClient.Response fired = wisp.post(NS + "/triggers/fan-trigger", "{}");
        assertEquals(202, fired.status(), fired.toString());
        ActivationId fireId = ActivationId.of(fired.json().path("activationId").asText());
        List<String> ids = IntStream.range(0, RULES)
                .mapToObj(i -> RuleActivationIds.of(fireId, "guest/fan-" + i).value()).toList();

        RecordCheck records = new RecordCheck(cluster.storeUrl());
        await().alias("some rule activations finished").atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(100)).until(() -> records.records(ids).size() >= 5);
        int beforeKill = records.records(ids).size();
        cluster.kill9Invoker("inv-0");

        await().alias("all " + RULES + " rule activations have a record").atMost(Duration.ofSeconds(240))
                .pollInterval(Duration.ofSeconds(1)).until(() -> records.records(ids).size() == RULES);
        long tookMs = System.currentTimeMillis() - firedAt;

        Map<String, JsonNode> found = records.records(ids);
        for (String id : ids) {
            JsonNode record = found.get(id);
            assertEquals(id, record.path("activationId").asText());
            assertEquals(fireId.value(), record.path("cause").asText(), record.toString());
        }
        Map<String, Integer> runs = new HashMap<>();
        cluster.journal().stream().filter(ids::contains).forEach(id -> runs.merge(id, 1, Integer::sum));
        int reRun = runs.values().stream().mapToInt(n -> n - 1).sum();

        JsonNode triggerRecord = records.records(List.of(fireId.value())).get(fireId.value());
        Map<String, JsonNode> entries = TriggersRulesIT.entries(triggerRecord);
        assertEquals(RULES, entries.size(), triggerRecord.toString());
        TreeSet<String> listed = new TreeSet<>();
        entries.values().forEach(e -> {
            assertTrue(e.path("success").asBoolean(), e.toString());
            listed.add(e.path("activationId").asText());
        });
        assertEquals(new TreeSet<>(ids), listed, "the trigger record lists every rule's activation id");

        System.out.printf("%n== trigger fan-out: %d rules, %d records before the kill, all %d records after %d ms,"
                + " %d re-runs of activations the dead invoker had started ==%n", RULES, beforeKill, found.size(),
                tookMs, reRun);
    }
}
