package dev.wisp.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wisp.standalone.store.PouchDbServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The store killed under load in the real standalone: it is started again by itself, calls that need it answer
 * 503 JSON with {@code Retry-After} while it is away, and every invoke accepted before, during and after the
 * crash ends with its record.
 */
class StoreSupervisionIT {

    @Test
    void theStoreIsRestartedAfterAKillAndNothingAcceptedIsLost() throws Exception {
        WispClient wisp = WispFixture.client();
        PouchDbServer store = WispFixture.get().store();
        assertEquals(200, wisp.put("/api/v1/namespaces/_/actions/store-crash?overwrite=true",
                WispClient.nodeAction("function main(p) { return {n: p.n}; }")).status());
        assertEquals(200, wisp.post("/api/v1/namespaces/_/actions/store-crash?blocking=true&result=true",
                "{\"n\":0}").status());

        Set<String> accepted = ConcurrentHashMap.newKeySet();
        Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
        AtomicBoolean loading = new AtomicBoolean(true);
        Thread load = Thread.ofVirtual().start(() -> {
            for (int n = 1; loading.get(); n++) {
                WispClient.Response r = wisp.post("/api/v1/namespaces/_/actions/store-crash", "{\"n\":" + n + "}");
                statuses.merge(r.status(), 1, Integer::sum);
                if (r.status() == 202) {
                    accepted.add(r.json().path("activationId").asText());
                } else {
                    assertEquals(503, r.status(), r.toString()); // refused, never lost
                }
            }
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> accepted.size() >= 20);

        long killed = store.pid();
        int restartsBefore = store.restarts();
        ProcessHandle.of(killed).orElseThrow().destroyForcibly();

        // while it is away, a read that needs it is a 503 JSON with Retry-After, not a hang or a 500
        AtomicReference<WispClient.Response> away = new AtomicReference<>();
        List<Integer> reads = new CopyOnWriteArrayList<>();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() -> {
            WispClient.Response r = wisp.get("/api/v1/namespaces/_/activations?limit=1");
            reads.add(r.status());
            if (r.status() == 503) {
                away.compareAndSet(null, r);
            }
            return away.get() != null && r.status() == 200;
        });
        assertNotNull(away.get(), "no 503 seen while the store was down: " + reads);
        assertTrue(away.get().json().path("error").asText().contains("store"), away.get().toString());
        assertFalse(away.get().json().path("code").asText().isEmpty(), away.get().toString());
        assertEquals("1", away.get().headers().firstValue("Retry-After").orElse(null));
        assertTrue(reads.stream().allMatch(s -> s == 200 || s == 503), reads::toString);
        assertNotEquals(killed, store.pid(), "the store answers again but was never restarted?");
        assertEquals(restartsBefore + 1, store.restarts());

        int afterRestart = accepted.size();
        await().atMost(Duration.ofSeconds(20)).until(() -> accepted.size() >= afterRestart + 20);
        loading.set(false);
        load.join();

        // every accepted id ends with its record
        Set<String> missing = ConcurrentHashMap.newKeySet();
        missing.addAll(accepted);
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() -> {
            missing.removeIf(id -> wisp.get("/api/v1/namespaces/_/activations/" + id).status() == 200);
            return missing.isEmpty();
        });
        System.out.printf("[store crash] accepted %d, statuses %s, lost 0, reads while away %s%n", accepted.size(),
                statuses, reads);
    }
}
