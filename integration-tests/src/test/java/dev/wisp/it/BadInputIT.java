package dev.wisp.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What a user gets for mistakes: the right 4xx (or 502 for a failing action) and an error body, never a 500. */
class BadInputIT {
    private static WispClient wisp;

    @BeforeAll
    static void start() {
        wisp = WispFixture.client();
    }

    private static void assertError(WispClient.Response r, int status, String messagePart) {
        assertEquals(status, r.status(), r.toString());
        JsonNode body = r.json();
        assertTrue(body.path("error").asText().contains(messagePart), r.toString());
        assertFalse(body.path("code").asText().isEmpty(), "error without a code: " + r);
    }

    @Test
    void unknownActionIs404() {
        assertError(wisp.get("/api/v1/namespaces/_/actions/no-such-action"), 404, "does not exist");
        assertError(wisp.post("/api/v1/namespaces/_/actions/no-such-action?blocking=true", "{}"), 404,
                "does not exist");
    }

    @Test
    void missingOrWrongCredentialsAre401() {
        assertError(wisp.withAuth(null).get("/api/v1/namespaces/_/actions/x"), 401, "authentication");
        String[] parts = WispFixture.get().guestAuth().split(":");
        assertError(wisp.withAuth(parts[0] + ":wrong-key").get("/api/v1/namespaces/_/actions/x"), 401,
                "authentication");
        assertError(wisp.withAuth("00000000-0000-0000-0000-000000000000:" + parts[1])
                .get("/api/v1/namespaces/_/actions/x"), 401, "authentication");
    }

    @Test
    void anotherNamespaceIs403() {
        assertError(wisp.get("/api/v1/namespaces/someone-else/actions/x"), 403, "not authorized");
    }

    @Test
    void malformedOrNonObjectBodiesAre400() {
        String path = "/api/v1/namespaces/_/actions/badbody";
        assertError(wisp.put(path, "{\"exec\": "), 400, "malformed");
        assertError(wisp.put(path, "[1,2,3]"), 400, "expected a JSON object");
        assertError(wisp.put(path, "{\"exec\": {\"kind\": \"cobol:1\", \"code\": \"x\"}}"), 400, "not supported");
        assertError(wisp.put(path, "{\"exec\": {\"kind\": \"nodejs:default\"}}"), 400, "exec.code");
        assertEquals(200, wisp.put(path, WispClient.nodeAction("function main(p) { return p; }")).status());
        assertError(wisp.post(path + "?blocking=true", "not json"), 400, "malformed");
        assertError(wisp.post(path + "?blocking=true", "\"a string\""), 400, "expected a JSON object");
        assertError(wisp.post(path + "?blocking=maybe", "{}"), 400, "blocking");
    }

    @Test
    void existingActionWithoutOverwriteIs409() {
        String path = "/api/v1/namespaces/_/actions/twice";
        assertEquals(200, wisp.put(path, WispClient.nodeAction("function main() { return {}; }")).status());
        assertError(wisp.put(path, WispClient.nodeAction("function main() { return {}; }")), 409, "exists");
    }

    @Test
    void aRefusedUpdateLeavesTheActionAsItWas() {
        String path = "/api/v1/namespaces/_/actions/unchanged";
        assertEquals(200, wisp.put(path, WispClient.nodeAction("function main() { return { v: 1 }; }")).status());
        assertError(wisp.put(path + "?overwrite=true", "{\"limits\":{\"memory\":4096}}"), 400, "memory limit 4096 MB");
        assertError(wisp.put(path + "?overwrite=true", "{\"exec\":{\"kind\":\"nodejs:default\",\"code\":\"x\"},"
                + "\"parameters\":[{\"key\":\"big\",\"value\":\"" + "x".repeat(1_048_576) + "\"}]}"), 413, "payload limit");
        JsonNode after = wisp.get(path).json();
        assertEquals("0.0.1", after.path("version").asText(), after.toString());
        assertEquals(256, after.path("limits").path("memory").asInt(), after.toString());
        assertEquals("{\"v\":1}", wisp.post(path + "?blocking=true&result=true", "{}").body());
    }

    /** Deploys a Node.js action {@code name} of {@code code} and invokes it blocking: the answer must be a 502. */
    private static WispClient.Response failingRun(String name, String code, String query) {
        String path = "/api/v1/namespaces/_/actions/" + name;
        assertEquals(200, wisp.put(path, WispClient.nodeAction(code)).status());
        WispClient.Response r = wisp.post(path + "?blocking=true" + query, "{}");
        assertEquals(502, r.status(), r.toString());
        return r;
    }

    @Test
    void actionThatThrowsGives502WithTheErrorInTheActivation() {
        WispClient.Response r = failingRun("thrower", "function main() { throw new Error('boom from the action'); }", "");
        JsonNode response = r.json().path("response");
        assertEquals("action developer error", response.path("status").asText(), r.toString());
        assertFalse(response.path("success").asBoolean());
        assertTrue(response.path("result").path("error").asText().contains("boom from the action"), r.toString());
    }

    @Test
    void actionReturningAnErrorIsAnApplicationError() {
        WispClient.Response r = failingRun("apperror", "function main() { return { error: 'no such customer' }; }",
                "&result=true");
        assertEquals("no such customer", r.json().path("error").asText());
    }

    @Test
    void invalidActivationIdIs400AndUnknownIs404() {
        assertError(wisp.get("/api/v1/namespaces/_/activations/not-an-id"), 400, "not valid");
        assertError(wisp.get("/api/v1/namespaces/_/activations/0123456789abcdef0123456789abcdef"), 404,
                "does not exist");
    }
}
