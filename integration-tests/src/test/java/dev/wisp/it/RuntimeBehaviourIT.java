package dev.wisp.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What users see when actions misbehave: time limits, memory limits, fork bombs, floods of logs, concurrency. */
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

    @Test
    void anActionOverItsMemoryLimitIsReportedAsSuch() {
        String path = "/api/v1/namespaces/_/actions/hog";
        assertEquals(200, wisp.put(path, action("""
                function main() {
                  const chunks = [];
                  for (let i = 0; i < 64; i++) { chunks.push(Buffer.alloc(16 * 1024 * 1024, 1)); }
                  return { held: chunks.length };
                }""", 20000, 128, 10, 1)).status());
        WispClient.Response r = wisp.post(path + "?blocking=true", "{}");
        assertEquals(502, r.status(), r.toString());
        assertEquals("The action exhausted its memory and was aborted.", error(r));
    }

    @Test
    void aForkBombStaysInsideItsContainer() {
        String bomb = "/api/v1/namespaces/_/actions/forkbomb";
        assertEquals(200, wisp.put(bomb, action("""
                function main() {
                  const { spawn } = require('child_process');
                  let spawned = 0, failed = 0;
                  for (let i = 0; i < 2000; i++) {
                    try { spawn('sleep', ['30']).on('error', () => failed++); spawned++; } catch (e) { failed++; }
                  }
                  return new Promise(r => setTimeout(() => r({ spawned, failed }), 1000));
                }""", 10000, 256, 10, 1)).status());
        WispClient.Response r = wisp.post(bomb + "?blocking=true", "{}");
        assertTrue(r.status() == 200 || r.status() == 502, r.toString());
        if (r.status() == 200) {
            assertTrue(r.json().path("response").path("result").path("failed").asInt() > 0,
                    "the pids limit must stop most of 2000 processes: " + r);
        }
        String other = "/api/v1/namespaces/_/actions/bystander";
        assertEquals(200, wisp.put(other, action("function main() { return { fine: true }; }", 10000, 256, 10, 1)).status());
        WispClient.Response fine = wisp.post(other + "?blocking=true&result=true", "{}");
        assertEquals(200, fine.status(), fine.toString());
        assertTrue(fine.json().path("fine").asBoolean());
    }

    @Test
    void twentyMegabytesOfOutputAreTruncatedWithANotice() {
        String path = "/api/v1/namespaces/_/actions/chatty";
        assertEquals(200, wisp.put(path, action("""
                function main() {
                  const line = 'x'.repeat(1023);
                  for (let i = 0; i < 20 * 1024; i++) { console.log(line); }
                  return { done: true };
                }""", 60000, 256, 2, 1)).status());
        WispClient.Response r = wisp.post(path + "?blocking=true", "{}");
        assertEquals(200, r.status(), r.toString().substring(0, Math.min(300, r.toString().length())));
        JsonNode logs = r.json().path("logs");
        long bytes = 0;
        for (JsonNode l : logs) {
            bytes += l.asText().length();
        }
        assertTrue(bytes < 3 * 1024 * 1024, "logs must be capped near the 2 MB limit, got " + bytes);
        String last = logs.get(logs.size() - 1).asText();
        assertTrue(last.contains("Logs were truncated") && last.contains(String.valueOf(2 * 1024 * 1024)), last);
    }

    @Test
    void concurrentActivationsInOneContainerKeepTheirOwnLogs() throws Exception {
        String path = "/api/v1/namespaces/_/actions/concurrent";
        assertEquals(200, wisp.put(path, action("""
                async function main(p) {
                  console.log('start ' + p.n);
                  await new Promise(r => setTimeout(r, 300));
                  console.log('end ' + p.n);
                  return { n: p.n };
                }""", 10000, 256, 10, 5)).status());
        assertEquals(200, wisp.post(path + "?blocking=true", "{\"n\": 0}").status());
        List<CompletableFuture<WispClient.Response>> calls = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            int n = i;
            calls.add(CompletableFuture.supplyAsync(() -> wisp.post(path + "?blocking=true", "{\"n\": " + n + "}")));
        }
        for (int i = 1; i <= 5; i++) {
            String own = " " + i;
            WispClient.Response r = calls.get(i - 1).get();
            assertEquals(200, r.status(), r.toString());
            assertEquals(i, r.json().path("response").path("result").path("n").asInt());
            List<String> logs = ActionLifecycleIT.texts(r.json().path("logs"));
            assertEquals(2, logs.size(), logs.toString());
            assertTrue(logs.get(0).endsWith("stdout: start " + i) && logs.get(1).endsWith("stdout: end " + i), logs.toString());
            assertFalse(logs.stream().anyMatch(l -> !l.endsWith(own)), "another activation's line leaked in: " + logs);
        }
    }
}
