package dev.wisp.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wisp.it.cluster.WispCluster;
import dev.wisp.it.cluster.WithCluster;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A blocking client whose controller dies (SIGKILL) mid-invoke retries with the same {@code Idempotency-Key}
 * against the other controller and gets the original activation's result; the action ran once. Then the only
 * invoker dies with an activation on its way, and the reaper gives it a final record.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@WithCluster(controllers = 2, controllerArgs = "--controller.reaper.grace=2s")
class IdempotentReconnectIT {
    private static final String PATH = "/api/v1/namespaces/_/actions/reconnect";

    @Test
    @Order(1)
    void aBlockingRetryOnAnotherControllerReturnsTheOriginalActivation(WispCluster cluster) throws Exception {
        WispClient first = new WispClient(cluster.controllerApi("controller0"), cluster.auth());
        WispClient second = new WispClient(cluster.controllerApi("controller1"), cluster.auth());
        WispClient.Response created = second.put(PATH, "{\"exec\":{\"kind\":\"nodejs:default\",\"code\":"
                + "\"function main(p) { return new Promise(r => setTimeout(() => r({ n: p.n, token: Math.random() }),"
                + " 4000)); }\"},\"limits\":{\"timeout\":30000}}");
        assertEquals(200, created.status(), created.toString());
        byte[] body = "{\"n\":42}".getBytes(StandardCharsets.UTF_8);
        Map<String, String> key = Map.of("Idempotency-Key", "reconnect-1");

        CompletableFuture<WispClient.Response> lost = CompletableFuture.supplyAsync(
                () -> first.request("POST", PATH + "?blocking=true", body, key));
        await().alias("the activation runs").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> cluster.journal().size() == 1);
        String id = cluster.journal().get(0);
        cluster.kill9Controller("controller0");
        await().alias("the first request ends").atMost(Duration.ofSeconds(10)).until(lost::isDone);
        assertTrue(lost.isCompletedExceptionally(), "the first request lost its connection");

        WispClient.Response retried = second.request("POST", PATH + "?blocking=true", body, key);
        assertEquals(200, retried.status(), retried.toString());
        JsonNode record = retried.json();
        assertEquals(id, record.path("activationId").asText());
        assertEquals(42, record.path("response").path("result").path("n").asInt(), record.toString());
        WispClient.Response again = second.request("POST", PATH + "?blocking=true&result=true", body, key);
        assertEquals(record.path("response").path("result").path("token").asDouble(),
                again.json().path("token").asDouble());
        assertEquals(List.of(id), cluster.journal(), "the action ran once");
    }

    @Test
    @Order(2)
    void anActivationStrandedWithADeadInvokerGetsASystemErrorFromTheReaper(WispCluster cluster) throws Exception {
        WispClient client = new WispClient(cluster.controllerApi("controller1"), cluster.auth());
        String path = "/api/v1/namespaces/_/actions/stranded";
        assertEquals(200, client.put(path, "{\"exec\":{\"kind\":\"nodejs:default\",\"code\":"
                + "\"function main() { return {}; }\"},\"limits\":{\"timeout\":1000}}").status());
        cluster.kill9Invoker("inv-0"); // the only invoker: nobody will ever run what lands in its topic
        WispClient.Response accepted = client.post(path, "{}"); // its heartbeat is still fresh: accepted
        assertEquals(202, accepted.status(), accepted.toString());
        String id = accepted.json().path("activationId").asText();

        JsonNode record = await().alias("the reaper's record of " + id).atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> client.get("/api/v1/namespaces/_/activations/" + id), r -> r.status() == 200).json();
        assertEquals(3, record.path("response").path("statusCode").asInt(), record.toString());
        assertTrue(record.path("response").path("result").path("error").asText()
                .contains("time limit of 1000 milliseconds plus 2 seconds"), record.toString());
        JsonNode letters = client.get("/api/v1/namespaces/_/deadletters").json();
        assertEquals(id, letters.get(0).path("activationId").asText(), letters.toString());
        assertTrue(letters.get(0).path("reaped").asBoolean(), letters.toString());
        assertTrue(cluster.journal().stream().noneMatch(id::equals), "it never ran");
    }
}
