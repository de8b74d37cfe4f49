package dev.wisp.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wisp.common.codec.Json;
import dev.wisp.common.message.ActivationId;
import dev.wisp.common.store.CouchStore;
import dev.wisp.controller.activation.IdempotencyKeys;
import dev.wisp.controller.store.IdempotencyStore;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code Idempotency-Key} on invoke: a repeated request gets the first one's activation and runs nothing again
 * (counted by the action's activation records), blocking or not; the same key for another request is 422; a bad
 * key is 400.
 */
class IdempotencyIT {
    private static final String ACTIONS = "/api/v1/namespaces/_/actions/";
    private static WispClient client;

    @BeforeAll
    static void start() {
        client = WispFixture.client();
        for (String name : new String[] {"idem-once", "idem-count", "idem-other", "idem-slow", "idem-crash"}) {
            String sleep = name.equals("idem-slow") ? "1500" : "0";
            WispClient.Response r = client.put(ACTIONS + name + "?overwrite=true", WispClient.nodeAction(
                    "function main(p) { return new Promise(r => setTimeout(() => r({ n: p.n, token: Math.random() }), "
                            + sleep + ")); }"));
            assertEquals(200, r.status(), r.toString());
        }
    }

    private static WispClient.Response invoke(String action, String query, String body, String key) {
        return client.request("POST", ACTIONS + action + query, body.getBytes(StandardCharsets.UTF_8),
                key == null ? Map.of() : Map.of("Idempotency-Key", key));
    }

    private static long records(String action) {
        return client.get("/api/v1/namespaces/_/activations?count=true&name=" + action).json()
                .path("activations").asLong();
    }

    @Test
    void sameKeyTwiceGivesTheSameActivationAndOneRun() {
        long before = records("idem-count");
        String key = "order-" + UUID.randomUUID();
        WispClient.Response first = invoke("idem-count", "", "{\"n\":1,\"b\":[1,2]}", key).expect(202);
        String id = first.json().path("activationId").asText();
        // the same parameters in another order are the same request
        WispClient.Response second = invoke("idem-count", "", "{\"b\":[1,2],\"n\":1}", key).expect(202);
        assertEquals(id, second.json().path("activationId").asText());
        assertEquals(id, second.headers().firstValue("x-openwhisk-activation-id").orElse(""));

        WispClient.Response blocking = invoke("idem-count", "?blocking=true", "{\"n\":1,\"b\":[1,2]}", key).expect(200);
        assertEquals(id, blocking.json().path("activationId").asText());
        assertEquals(1, blocking.json().path("response").path("result").path("n").asInt());

        await().alias("the action's record").atMost(Duration.ofSeconds(20))
                .until(() -> records("idem-count") == before + 1);
        WispClient.Response later = invoke("idem-count", "", "{\"n\":1,\"b\":[1,2]}", key).expect(202);
        assertEquals(id, later.json().path("activationId").asText());
        // an invoke without a key runs again, so a second run would have been counted by now
        WispClient.Response plain = invoke("idem-count", "?blocking=true", "{\"n\":2}", null).expect(200);
        await().alias("one record for the keyed requests and one for the plain one").atMost(Duration.ofSeconds(20))
                .until(() -> records("idem-count") == before + 2);
        assertEquals(before + 2, records("idem-count"));
    }

    @Test
    void theSameKeyForAnotherRequestIs422() {
        String key = "k-" + UUID.randomUUID();
        assertEquals(202, invoke("idem-once", "", "{\"n\":1}", key).status());
        WispClient.Response otherParams = invoke("idem-once", "", "{\"n\":2}", key).expect(422);
        assertTrue(otherParams.json().path("error").asText().contains("Idempotency-Key"), otherParams.toString());
        assertFalse(otherParams.json().path("code").asText().isEmpty());
        WispClient.Response otherAction = invoke("idem-other", "?blocking=true", "{\"n\":1}", key).expect(422);
        assertTrue(otherAction.json().path("error").asText().contains("different request"), otherAction.toString());
    }

    @Test
    void aKeyTooLongOrEmptyIs400() {
        WispClient.Response tooLong = invoke("idem-once", "", "{}", "x".repeat(257)).expect(400);
        assertTrue(tooLong.json().path("error").asText().contains("limit of 256 characters"), tooLong.toString());
        assertEquals(202, invoke("idem-once", "", "{}", "y" + "x".repeat(255)).status());
        WispClient.Response empty = invoke("idem-once", "", "{}", " ").expect(400);
    }

    @Test
    void aBlockingRetryReturnsTheSameResult() {
        String key = "pay-" + UUID.randomUUID();
        WispClient.Response accepted = invoke("idem-slow", "", "{\"n\":7}", key).expect(202);
        String id = accepted.json().path("activationId").asText();
        // still running: the retry waits for the first activation instead of starting another
        WispClient.Response waited = invoke("idem-slow", "?blocking=true&result=true", "{\"n\":7}", key).expect(200);
        assertEquals(id, waited.headers().firstValue("x-openwhisk-activation-id").orElse(""));
        JsonNode result = waited.json();
        assertEquals(7, result.path("n").asInt());
        WispClient.Response again = invoke("idem-slow", "?blocking=true&result=true", "{\"n\":7}", key).expect(200);
        assertEquals(result.path("token").asDouble(), again.json().path("token").asDouble());

        // blocking past its wait: 202 with the same id
        String slowKey = "slow-" + UUID.randomUUID();
        WispClient.Response first = invoke("idem-slow", "?blocking=true&timeout=200", "{}", slowKey).expect(202);
        WispClient.Response retry = invoke("idem-slow", "?blocking=true&timeout=200", "{}", slowKey).expect(202);
        assertEquals(first.json().path("activationId").asText(), retry.json().path("activationId").asText());
    }

    private static <T> T withStore(java.util.function.Function<IdempotencyStore, T> use) {
        Vertx vertx = Vertx.vertx();
        try (CouchStore couch = new CouchStore(vertx, WispFixture.get().settings().string("store.url", null), null,
                null, WispFixture.get().settings().string("store.prefix", "wisp_"))) {
            return use.apply(new IdempotencyStore(couch));
        } finally {
            vertx.close().await();
        }
    }

    /** Plants a claim as a controller leaves it when it dies between the store and Kafka. */
    private static IdempotencyStore.Entry plantClaim(String key, String activationId, String fingerprint, long at)
            throws Exception {
        String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(key.getBytes(StandardCharsets.UTF_8)));
        IdempotencyStore.Entry e = new IdempotencyStore.Entry("guest:" + hash, "guest", activationId, fingerprint,
                at, at, false, null);
        return withStore(store -> store.createOrGet(e).await().orElseThrow());
    }

    @Test
    void aClaimLeftUnpublishedByADeadControllerIsTakenOverWithTheSameId() throws Exception {
        String key = "crashed-" + UUID.randomUUID();
        String id = ActivationId.generate().value();
        ObjectNode params = WispClient.JSON.createObjectNode().put("n", 5);
        plantClaim(key, id, IdempotencyKeys.fingerprint("guest/idem-crash",
                Json.parseUserObject(params.toString().getBytes(StandardCharsets.UTF_8))),
                System.currentTimeMillis() - 60_000);
        WispClient.Response retried = invoke("idem-crash", "?blocking=true", params.toString(), key).expect(200);
        assertEquals(id, retried.json().path("activationId").asText());
        assertEquals(5, retried.json().path("response").path("result").path("n").asInt());
        assertEquals(id, invoke("idem-crash", "", params.toString(), key).json().path("activationId").asText());

        // an expired key starts afresh, whatever it was used for
        String expiredKey = "expired-" + UUID.randomUUID();
        String oldId = ActivationId.generate().value();
        plantClaim(expiredKey, oldId, "another request", System.currentTimeMillis() - Duration.ofHours(25).toMillis());
        WispClient.Response fresh = invoke("idem-crash", "", params.toString(), expiredKey).expect(202);
        assertFalse(fresh.json().path("activationId").asText().equals(oldId));
    }

    @Test
    void expiredKeysArePurged() throws Exception {
        long old = System.currentTimeMillis() - Duration.ofHours(25).toMillis();
        IdempotencyStore.Entry planted = plantClaim("purged-" + UUID.randomUUID(), ActivationId.generate().value(),
                "f", old);
        int deleted = withStore(store -> store.deleteAcceptedBefore(System.currentTimeMillis()
                - Duration.ofHours(24).toMillis(), 1_000).await());
        assertTrue(deleted >= 1, "deleted " + deleted);
        IdempotencyStore.Entry fresh = planted.withLease(System.currentTimeMillis(), false);
        IdempotencyStore.Entry now = new IdempotencyStore.Entry(fresh.id(), "guest", ActivationId.generate().value(),
                "f", fresh.leaseAt(), fresh.leaseAt(), false, null);
        assertEquals(now.activationId(), withStore(store -> store.createOrGet(now).await()).orElseThrow()
                .activationId(), "the purged key's document is gone");
    }
}
