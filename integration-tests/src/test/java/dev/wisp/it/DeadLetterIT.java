package dev.wisp.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Dead letters through the API: a non-blocking activation whose container can never start fails in the system
 * on every attempt, and then shows up in {@code GET .../deadletters} with the reason, and its record says so.
 */
class DeadLetterIT {
    private static final String IMAGE = "wisp-it/never-starts:" + ProcessHandle.current().pid();
    private static WispClient client;

    @BeforeAll
    static void start() throws Exception {
        client = WispFixture.client();
        Path dir = Files.createTempDirectory("wisp-deadletter-");
        Files.writeString(dir.resolve("Dockerfile"), "FROM wisp/base:bookworm\nENTRYPOINT [\"/no/such/program\"]\n");
        Process build = new ProcessBuilder("docker", "build", "-q", "-t", IMAGE, dir.toString())
                .redirectErrorStream(true).start();
        String out = new String(build.getInputStream().readAllBytes());
        assertEquals(0, build.waitFor(), out);
    }

    @AfterAll
    static void stop() throws Exception {
        new ProcessBuilder("docker", "rmi", "-f", IMAGE).start().waitFor();
    }

    @Test
    void anActivationThatFailsInTheSystemEveryTimeIsListedWithItsReason() {
        String path = "/api/v1/namespaces/_/actions/never-starts";
        ObjectNode body = WispClient.JSON.createObjectNode();
        body.putObject("exec").put("kind", "blackbox").put("image", IMAGE);
        WispClient.Response created = client.put(path + "?overwrite=true", body.toString());
        assertEquals(200, created.status(), created.toString());
        long before = client.get("/api/v1/namespaces/_/deadletters?count=true").json().path("deadletters").asLong();

        WispClient.Response accepted = client.post(path, "{}");
        assertEquals(202, accepted.status(), accepted.toString());
        String id = accepted.json().path("activationId").asText();

        JsonNode letter = await().alias("the dead letter of " + id).atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> client.get("/api/v1/namespaces/_/deadletters?limit=5").json().get(0),
                        l -> l != null && l.path("activationId").asText().equals(id));
        assertEquals("never-starts", letter.path("name").asText(), letter.toString());
        assertEquals(3, letter.path("attempts").asInt(), "the first attempt and two retries: " + letter);
        assertTrue(letter.path("reason").asText().contains("no/such/program"), letter.toString());
        assertEquals(before + 1,
                client.get("/api/v1/namespaces/_/deadletters?count=true").json().path("deadletters").asLong());

        JsonNode record = client.get("/api/v1/namespaces/_/activations/" + id).json();
        assertEquals(3, record.path("response").path("statusCode").asInt(), record.toString());
        assertEquals(letter.path("reason").asText(), record.path("response").path("result").path("error").asText());
        boolean marked = false;
        for (JsonNode a : record.path("annotations")) {
            marked |= a.path("key").asText().equals("deadLetter") && a.path("value").asBoolean();
        }
        assertTrue(marked, "the record is annotated deadLetter: " + record);

        WispClient.Response badLimit = client.get("/api/v1/namespaces/_/deadletters?limit=201");
        assertEquals(400, badLimit.status(), badLimit.toString());
    }
}
