package dev.wisp.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What users see when an action overruns its time: the activation says so and its container is never reused.
 * Memory limits, fork bombs, floods of output and concurrency are covered for every kind in {@link KindsIT}.
 */
class RuntimeBehaviourIT {
    private static WispClient wisp;

    @BeforeAll
    static void start() {
        wisp = WispFixture.client();
    }

    private static String action(String code, int timeoutMs, int memoryMb, int logsMb, int concurrency) {
        ObjectNode body = WispClient.JSON.createObjectNode();
        body.putObject("exec").put("kind", "nodejs:default").put("code", code);
        body.putObject("limits").put("timeout", timeoutMs).put("memory", memoryMb).put("logs", logsMb)
                .put("concurrency", concurrency);
        return body.toString();
    }

    private static String error(WispClient.Response r) {
        return r.json().path("response").path("result").path("error").asText();
    }

    @Test
    void anActionOverItsTimeLimitIsStoppedAndItsContainerNotReused() {
        String path = "/api/v1/namespaces/_/actions/sleeper";
        assertEquals(200, wisp.put(path, action("""
                function main(p) {
                  if (p.sleep) { return new Promise(r => setTimeout(() => r({slept: true}), p.sleep)); }
                  return { fast: true };
                }""", 1000, 256, 10, 1)).status());
        WispClient.Response r = wisp.post(path + "?blocking=true", "{\"sleep\": 5000}");
        assertEquals(502, r.status(), r.toString());
        assertEquals("The action exceeded its time limits of 1000 milliseconds.", error(r));
        assertTrue(ActionLifecycleIT.annotation(r.json(), "timeout").asBoolean(), r.toString());
        WispClient.Response next = wisp.post(path + "?blocking=true", "{}");
        assertEquals(200, next.status(), next.toString());
        assertTrue(ActionLifecycleIT.hasAnnotation(next.json(), "initTime"),
                "the timed-out container must be destroyed, so the next run starts fresh: " + next);
    }
}
