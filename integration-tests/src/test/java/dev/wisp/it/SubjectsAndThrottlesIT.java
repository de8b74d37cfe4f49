package dev.wisp.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The admin command's subjects and keys as the API sees them, and the per-namespace throttles (429). */
class SubjectsAndThrottlesIT {
    private static final String SLEEP_2S =
            "function main() { return new Promise(r => setTimeout(() => r({ done: true }), 2000)); }";

    @BeforeAll
    static void start() {
        WispFixture.get();
    }

    @Test
    void aNewUserReachesOnlyItsOwnNamespace() {
        Admin.Result created = Admin.run("user", "create", "alice", "--namespace", "alice-ns");
        assertEquals(0, created.exit(), created.toString());
        assertTrue(created.out().matches("[0-9a-f-]{36}:[A-Za-z0-9]{64}"), created.out());
        WispClient alice = WispFixture.client().withAuth(created.out());

        WispClient.Response namespaces = alice.get("/api/v1/namespaces");
        assertEquals(200, namespaces.status(), namespaces.toString());
        assertEquals("[\"alice-ns\"]", namespaces.body());
        assertEquals(200, alice.put("/api/v1/namespaces/alice-ns/actions/mine",
                WispClient.nodeAction("function main() { return { owner: 'alice' }; }")).status());
        WispClient.Response viaDefault = alice.post("/api/v1/namespaces/_/actions/mine?blocking=true&result=true", "{}");
        assertEquals("{\"owner\":\"alice\"}", viaDefault.body());

        WispClient guest = WispFixture.client();
        assertEquals(403, guest.get("/api/v1/namespaces/alice-ns/actions/mine").status());
        assertEquals(404, guest.get("/api/v1/namespaces/_/actions/mine").status());
        assertEquals(403, alice.get("/api/v1/namespaces/guest/actions").status());

        Admin.Result again = Admin.run("user", "create", "alice");
        assertEquals(1, again.exit(), again.toString());
        assertTrue(again.err().contains("already exists"), again.err());
        Admin.Result sameNamespace = Admin.run("user", "create", "mallory", "--namespace", "alice-ns");
        assertEquals(1, sameNamespace.exit(), sameNamespace.toString());
        assertTrue(sameNamespace.err().contains("already belongs to subject 'alice'"), sameNamespace.err());

        Admin.Result list = Admin.run("user", "list");
        assertEquals(0, list.exit(), list.toString());
        assertTrue(list.out().contains("alice\talice-ns"), list.out());
        assertTrue(list.out().contains("guest\tguest"), list.out());
    }

    @Test
    void rotatedAndDeletedKeysStopWorking() {
        Admin.Result created = Admin.run("user", "create", "carol");
        Admin.Result rotated = Admin.run("key", "rotate", "carol");
        assertEquals(0, rotated.exit(), rotated.toString());
        WispClient fresh = WispFixture.client().withAuth(rotated.out());
        WispClient stale = WispFixture.client().withAuth(created.out());
        assertEquals(200, fresh.get("/api/v1/namespaces").status());
        assertEquals(401, stale.get("/api/v1/namespaces").status());

        Admin.Result doomed = Admin.run("user", "create", "dan");
        Admin.Result deleted = Admin.run("user", "delete", "dan");
        assertEquals(0, deleted.exit(), deleted.toString());
        assertEquals(401, WispFixture.client().withAuth(doomed.out()).get("/api/v1/namespaces").status());
        Admin.Result missing = Admin.run("user", "delete", "dan");
        assertEquals(1, missing.exit(), missing.toString());

        // a key the controllers have cached stops working at once when the revocation is announced
        Admin.Result grace = Admin.run("user", "create", "grace");
        WispClient cached = WispFixture.client().withAuth(grace.out());
        assertEquals(200, cached.get("/api/v1/namespaces").status());
        String kafka = "--kafka.bootstrap=" + WispFixture.get().settings().string("kafka.bootstrap", null);
        Admin.Result announced = Admin.run(kafka, "key", "rotate", "grace");
        assertEquals(0, announced.exit(), announced.toString());
        await().alias("the rotated key is refused well before the 10 s cache lifetime").atMost(Duration.ofSeconds(4))
                .pollInterval(Duration.ofMillis(50)).until(() -> cached.get("/api/v1/namespaces").status() == 401);
        assertEquals(200, WispFixture.client().withAuth(announced.out()).get("/api/v1/namespaces").status());

        Admin.Result usage = Admin.run("user", "frobnicate");
        assertEquals(2, usage.exit());
        assertTrue(usage.err().contains("usage:"), usage.err());
    }

    @Test
    void invocationsPerMinuteAreThrottledWithOpenWhisksMessage() {
        WispClient bob = Admin.newUser("bob", "--invocationsPerMinute", "3");
        WispClient.Response limits = bob.get("/api/v1/namespaces/_/limits");
        assertTrue(limits.body().contains("\"invocationsPerMinute\":3"), limits.toString());
        assertEquals(200, bob.put("/api/v1/namespaces/_/actions/quick",
                WispClient.nodeAction("function main() { return {}; }")).status());
        awaitFreshMinute();
        for (int i = 0; i < 3; i++) {
            WispClient.Response r = bob.post("/api/v1/namespaces/_/actions/quick", "{}");
            assertEquals(202, r.status(), r.toString());
        }
        WispClient.Response refused = bob.post("/api/v1/namespaces/_/actions/quick", "{}");
        assertEquals(429, refused.status(), refused.toString());
        assertEquals("Too many requests in the last minute (count: 3, allowed: 3).", refused.json().path("error").asText());
    }

    @Test
    void concurrentInvocationsAreThrottledUntilTheCompletionArrives() {
        WispClient erin = Admin.newUser("erin", "--concurrentInvocations", "1");
        assertEquals(200, erin.put("/api/v1/namespaces/_/actions/slow", WispClient.nodeAction(SLEEP_2S)).status());
        WispClient.Response first = erin.post("/api/v1/namespaces/_/actions/slow", "{}");
        assertEquals(202, first.status(), first.toString());
        WispClient.Response refused = erin.post("/api/v1/namespaces/_/actions/slow", "{}");
        assertEquals(429, refused.status(), refused.toString());
        assertEquals("Too many concurrent requests in flight (count: 1, allowed: 1).",
                refused.json().path("error").asText());
        await().alias("the first activation's completion frees the slot").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> erin.post("/api/v1/namespaces/_/actions/slow?blocking=true", "{}").status() == 200);
    }

    /** Per-minute windows are whole clock minutes: start a counting test well inside one. */
    static void awaitFreshMinute() {
        await().alias("at least 15 s left in this minute").atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> System.currentTimeMillis() % 60_000 < 45_000);
    }
}
