package dev.wisp.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The whole real path, through the gateway: create, invoke blocking and not, logs, update, delete. */
class ActionLifecycleIT {
    private static WispClient wisp;

    @BeforeAll
    static void start() {
        wisp = WispFixture.client();
    }

    private static final String HELLO = """
            function main(params) {
              console.log('hello stdout ' + params.name);
              console.error('hello stderr');
              return { greeting: 'Hello, ' + (params.name || 'world') + '!' };
            }
            """;

    /**
     * The JDK's HTTP client offers an h2c upgrade on every plain-http connection by default; the gateway answers
     * such clients over HTTP/1.1, every one of many concurrent requests.
     */
    @Test
    void clientsOfferingHttp2AreAllAnswered() throws Exception {
        wisp.put("/api/v1/namespaces/_/actions/h2c", WispClient.nodeAction("function main() { return {ok: true}; }"));
        java.net.http.HttpClient h2 = java.net.http.HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        String credentials = java.util.Base64.getEncoder().encodeToString(
                WispFixture.get().guestAuth().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        List<java.util.concurrent.CompletableFuture<java.net.http.HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            calls.add(h2.sendAsync(java.net.http.HttpRequest.newBuilder(java.net.URI.create(WispFixture.get().apiHost()
                            + "/api/v1/namespaces/_/actions/h2c?blocking=true&result=true"))
                    .header("Authorization", "Basic " + credentials).header("Content-Type", "application/json")
                    .timeout(Duration.ofSeconds(60)).POST(java.net.http.HttpRequest.BodyPublishers.ofString("{}")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()));
        }
        for (var call : calls) {
            java.net.http.HttpResponse<String> r = call.get();
            assertEquals(200, r.statusCode(), r.body());
            assertEquals("{\"ok\":true}", r.body());
            assertEquals(java.net.http.HttpClient.Version.HTTP_1_1, r.version());
        }
    }

    @Test
    void createInvokeUpdateDelete() {
        String path = "/api/v1/namespaces/_/actions/lifecycle";
        WispClient.Response created = wisp.put(path, WispClient.nodeAction(HELLO));
        assertEquals(200, created.status(), created.toString());
        assertEquals("0.0.1", created.json().path("version").asText());
        assertEquals("guest", created.json().path("namespace").asText());

        WispClient.Response result = wisp.post(path + "?blocking=true&result=true", "{\"name\":\"Wisp\"}");
        assertEquals(200, result.status(), result.toString());
        assertEquals("Hello, Wisp!", result.json().path("greeting").asText());
        assertTrue(result.headers().firstValue("x-openwhisk-activation-id").isPresent());

        WispClient.Response full = wisp.post(path + "?blocking=true", "{\"name\":\"again\"}");
        assertEquals(200, full.status(), full.toString());
        JsonNode activation = full.json();
        assertEquals(32, activation.path("activationId").asText().length());
        assertEquals("success", activation.path("response").path("status").asText());
        assertTrue(activation.path("response").path("success").asBoolean());
        assertEquals("Hello, again!", activation.path("response").path("result").path("greeting").asText());
        assertEquals("lifecycle", activation.path("name").asText());
        List<String> logs = texts(activation.path("logs"));
        assertTrue(logs.stream().anyMatch(l -> l.endsWith(" stdout: hello stdout again")), logs.toString());
        assertTrue(logs.stream().anyMatch(l -> l.endsWith(" stderr: hello stderr")), logs.toString());
        assertFalse(hasAnnotation(activation, "initTime"), "second invoke should be warm: " + activation);

        WispClient.Response updated = wisp.put(path + "?overwrite=true",
                WispClient.nodeAction("function main() { return { version: 2 }; }"));
        assertEquals(200, updated.status(), updated.toString());
        assertEquals("0.0.2", updated.json().path("version").asText());
        WispClient.Response afterUpdate = wisp.post(path + "?blocking=true&result=true", "{}");
        assertEquals(200, afterUpdate.status(), afterUpdate.toString());
        assertEquals(2, afterUpdate.json().path("version").asInt(), afterUpdate.toString());

        WispClient.Response deleted = wisp.delete(path);
        assertEquals(200, deleted.status(), deleted.toString());
        assertEquals(404, wisp.get(path).status());
        WispClient.Response invokeDeleted = wisp.post(path + "?blocking=true", "{}");
        assertEquals(404, invokeDeleted.status(), invokeDeleted.toString());
    }

    @Test
    void firstInvokeIsColdAndCarriesInitTime() {
        String path = "/api/v1/namespaces/_/actions/coldstart";
        assertEquals(200, wisp.put(path, WispClient.nodeAction(HELLO)).status());
        WispClient.Response first = wisp.post(path + "?blocking=true", "{}");
        assertEquals(200, first.status(), first.toString());
        assertTrue(hasAnnotation(first.json(), "initTime"), first.toString());
        assertTrue(hasAnnotation(first.json(), "waitTime"), first.toString());
        assertEquals("guest/coldstart", annotation(first.json(), "path").asText());
    }

    /**
     * A run's {@code duration} is the action's own time (its /init and /run, as in OpenWhisk); the time it waited
     * for a container, here for one of two that fill the invoker's memory, is in its {@code waitTime}.
     */
    @Test
    void aWaitForAContainerCountsInWaitTimeNotDuration() throws Exception {
        String path = "/api/v1/namespaces/_/actions/fills-the-invoker";
        String action = "{\"exec\":{\"kind\":\"nodejs:default\",\"code\":\"function main() { return new Promise("
                + "r => setTimeout(() => r({ ok: true }), 2000)); }\"},\"limits\":{\"memory\":512}}";
        assertEquals(200, wisp.put(path + "?overwrite=true", action).status());
        var pool = java.util.concurrent.Executors.newFixedThreadPool(3);
        try {
            List<java.util.concurrent.Future<WispClient.Response>> calls = new ArrayList<>();
            for (int i = 0; i < 3; i++) { // the fixture's invoker has 1,024 MB: the third waits for a container
                calls.add(pool.submit(() -> wisp.post(path + "?blocking=true", "{}")));
            }
            long longestWait = 0;
            for (var call : calls) {
                WispClient.Response r = call.get(120, java.util.concurrent.TimeUnit.SECONDS);
                assertEquals(200, r.status(), r.toString());
                long duration = r.json().path("duration").asLong();
                assertTrue(duration >= 2000 && duration < 3500, "duration " + duration + " ms: " + r);
                longestWait = Math.max(longestWait, annotation(r.json(), "waitTime").asLong());
            }
            assertTrue(longestWait >= 1500, "no run waited for a container (longest waitTime " + longestWait + " ms)");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void nonBlockingInvokeThenFetchTheActivation() {
        String path = "/api/v1/namespaces/_/actions/async";
        assertEquals(200, wisp.put(path, WispClient.nodeAction(HELLO)).status());
        WispClient.Response accepted = wisp.post(path, "{\"name\":\"later\"}");
        assertEquals(202, accepted.status(), accepted.toString());
        String id = accepted.json().path("activationId").asText();
        assertEquals(32, id.length(), accepted.toString());
        assertEquals(id, accepted.headers().firstValue("x-openwhisk-activation-id").orElse(""));

        String activationPath = "/api/v1/namespaces/_/activations/" + id;
        await().alias("activation " + id + " recorded").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> wisp.get(activationPath).status() == 200);
        JsonNode activation = wisp.get(activationPath).json();
        assertEquals(id, activation.path("activationId").asText());
        assertEquals("Hello, later!", activation.path("response").path("result").path("greeting").asText());

        WispClient.Response result = wisp.get(activationPath + "/result");
        assertEquals(200, result.status(), result.toString());
        assertEquals("Hello, later!", result.json().path("result").path("greeting").asText());
        assertEquals("success", result.json().path("status").asText());

        WispClient.Response logs = wisp.get(activationPath + "/logs");
        assertEquals(200, logs.status(), logs.toString());
        assertTrue(texts(logs.json().path("logs")).stream().anyMatch(l -> l.contains("stdout: hello stdout later")),
                logs.toString());
    }

    /**
     * The answer of a blocking invoke comes from the invoker's completion, while its record may still be on its way
     * to the store: the list shows the activation at once all the same, first, and counts it.
     */
    @Test
    void aBlockingInvokesActivationIsListedAtOnce() {
        String path = "/api/v1/namespaces/_/actions/listed";
        assertEquals(200, wisp.put(path, WispClient.nodeAction(HELLO)).status());
        for (int i = 1; i <= 20; i++) {
            WispClient.Response answer = wisp.post(path + "?blocking=true", "{\"name\":\"n" + i + "\"}");
            assertEquals(200, answer.status(), answer.toString());
            String id = answer.json().path("activationId").asText();
            WispClient.Response list = wisp.get("/api/v1/namespaces/_/activations?name=listed&limit=1");
            assertEquals(200, list.status(), list.toString());
            assertEquals(1, list.json().size(), list.toString());
            assertEquals(id, list.json().path(0).path("activationId").asText(), "invoke " + i + ": " + list);
            WispClient.Response count = wisp.get("/api/v1/namespaces/_/activations?name=listed&count=true");
            assertEquals(i, count.json().path("activations").asLong(), "invoke " + i + ": " + count);
        }
        WispClient.Response all = wisp.get("/api/v1/namespaces/_/activations?name=listed&limit=200");
        List<String> ids = new ArrayList<>();
        all.json().forEach(a -> ids.add(a.path("activationId").asText()));
        assertEquals(20, ids.size(), all.toString());
        assertEquals(20, ids.stream().distinct().count(), "each activation once: " + all);
    }

    static boolean hasAnnotation(JsonNode activation, String key) {
        return annotation(activation, key) != null;
    }

    static JsonNode annotation(JsonNode activation, String key) {
        for (JsonNode a : activation.path("annotations")) {
            if (key.equals(a.path("key").asText())) {
                return a.path("value");
            }
        }
        return null;
    }

    static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
