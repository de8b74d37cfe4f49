package dev.wisp.it;

import static dev.wisp.it.WispClient.NS;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wisp.common.entity.EntityPath;
import dev.wisp.controller.alarm.TickIds;
import dev.wisp.it.cluster.WispCluster;
import dev.wisp.it.cluster.WithCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An alarm ticking every second for a minute on a cluster of two controllers, with the one that leads the alarm
 * schedule killed with SIGKILL half-way: every tick of the minute ends with exactly one trigger activation and
 * one run of its rule's action, none missing and none twice.
 */
@WithCluster(controllers = 2)
class AlarmFailoverIT {
    private static final int WINDOW_S = 60;
    private static final int KILL_AT_S = 30;

    @Test
    void everyTickAcrossALeaderKillFiresExactlyOnce(WispCluster cluster) throws Exception {
        WispClient wisp = new WispClient(cluster.apiHost(), cluster.auth());
        assertEquals(200, wisp.put(NS + "/actions/tick-echo",
                WispClient.nodeAction("function main(p) { return { from: p.from }; }")).status());
        WispClient.Response t = wisp.put(NS + "/triggers/tick", AlarmsIT.alarm("* * * * * *",
                ",{\"key\":\"trigger_payload\",\"value\":{\"from\":\"alarm\"}}"));
        assertEquals(200, t.status(), t.toString());
        assertEquals(200, wisp.put(NS + "/rules/tick-rule", TriggersRulesIT.rule("tick", "tick-echo")).status());
        long first = (System.currentTimeMillis() / 1000 + 2) * 1000;
        long last = first + (WINDOW_S - 1) * 1000L;
        EntityPath path = EntityPath.of("guest", "tick");

        String leader = cluster.alarmLeader();
        assertNotNull(leader, "a controller leads the alarm schedule");
        Thread.sleep(Math.max(0, first + KILL_AT_S * 1000L - System.currentTimeMillis()));
        cluster.kill9Controller(leader);
        long killedAt = System.currentTimeMillis();
        await().alias("another controller leads").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> cluster.alarmLeader() != null && !leader.equals(cluster.alarmLeader()));
        System.out.println("alarm leader " + leader + " killed at +" + (killedAt - first) / 1000.0 + " s; "
                + cluster.alarmLeader() + " took over after " + (System.currentTimeMillis() - killedAt) + " ms");

        Map<Long, JsonNode> records = new LinkedHashMap<>();
        await().alias("a trigger activation for each of the " + WINDOW_S + " ticks")
                .atMost(Duration.ofMillis(last - System.currentTimeMillis() + 90_000)).pollInterval(Duration.ofSeconds(1))
                .until(() -> {
                    for (long tick = first; tick <= last && tick <= System.currentTimeMillis(); tick += 1000) {
                        if (!records.containsKey(tick)) {
                            WispClient.Response r = wisp.get(NS + "/activations/" + TickIds.of(path, tick));
                            if (r.status() == 200) {
                                records.put(tick, r.json());
                            }
                        }
                    }
                    return records.size() == WINDOW_S;
                });
        assertEquals(200, wisp.delete(NS + "/rules/tick-rule").status());
        assertEquals(200, wisp.delete(NS + "/triggers/tick").status());

        List<String> runs = new ArrayList<>();
        for (var e : records.entrySet()) {
            JsonNode entry = TriggersRulesIT.entries(e.getValue()).get("guest/tick-rule");
            assertTrue(entry != null && entry.path("success").asBoolean(), "tick " + e.getKey() + ": " + e.getValue());
            runs.add(entry.path("activationId").asText());
        }
        await().alias("the action ran for every tick").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
                .until(() -> cluster.journal().containsAll(runs));
        Map<String, Integer> executions = new HashMap<>();
        for (String id : cluster.journal()) {
            executions.merge(id, 1, Integer::sum);
        }
        List<String> twice = runs.stream().filter(id -> executions.getOrDefault(id, 0) != 1).toList();
        assertEquals(List.of(), twice, "rule activations run other than once");
        assertEquals(WINDOW_S, runs.stream().distinct().count());
        // nothing but tick activations: a tick fired twice under another id would show up here. A record's start is
        // when it was fired, which on a loaded machine can be seconds after its tick, so match ids, not times.
        java.util.Set<String> tickIds = new java.util.HashSet<>();
        for (long tick = first - 120_000; tick <= System.currentTimeMillis() + 1000; tick += 1000) {
            tickIds.add(TickIds.of(path, tick).toString());
        }
        for (JsonNode a : wisp.get(NS + "/activations?limit=200&name=tick").json()) {
            assertTrue(tickIds.contains(a.path("activationId").asText()),
                    "trigger activation " + a.path("activationId") + " (start " + a.path("start") + ") is a tick's");
        }
        assertNotEquals(leader, cluster.alarmLeader());
    }
}
