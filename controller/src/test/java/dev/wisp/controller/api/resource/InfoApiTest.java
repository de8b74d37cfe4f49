package dev.wisp.controller.api.resource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wisp.common.config.Limits;
import dev.wisp.common.entity.NamespaceLimits;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The info document at {@code GET /}, in the shape and units of OpenWhisk's controller. */
class InfoApiTest {
    private final ObjectNode info = InfoApi.info(Limits.DEFAULT, new NamespaceLimits(60, 30, 60));

    @Test
    void itListsTheApiPathsAndTheLimitsInOpenWhisksUnits() {
        assertEquals("[\"/api/v1\"]", info.get("api_paths").toString());
        JsonNode l = info.get("limits");
        assertEquals(60, l.get("actions_per_minute").asInt());
        assertEquals(60, l.get("triggers_per_minute").asInt());
        assertEquals(30, l.get("concurrent_actions").asInt());
        assertEquals(50, l.get("sequence_length").asInt());
        assertEquals(100, l.get("min_action_duration").asLong());
        assertEquals(300_000, l.get("max_action_duration").asLong());
        assertEquals(128L * 1024 * 1024, l.get("min_action_memory").asLong());
        assertEquals(512L * 1024 * 1024, l.get("default_max_action_memory").asLong());
        assertEquals(0, l.get("min_action_logs").asLong());
        assertEquals(10L * 1024 * 1024, l.get("max_action_logs").asLong());
    }

    @Test
    void itListsEveryKindByFamilyWithOneDefaultEach() {
        JsonNode runtimes = info.get("runtimes");
        List<String> families = new ArrayList<>();
        runtimes.fieldNames().forEachRemaining(families::add);
        assertEquals(List.of("nodejs", "python", "java"), families);
        // what Adobe's aio CLI reads: json.runtimes.nodejs.map(item => item.kind)
        List<String> nodejs = new ArrayList<>();
        runtimes.get("nodejs").forEach(r -> nodejs.add(r.get("kind").asText()));
        assertEquals(List.of("nodejs:18", "nodejs:20"), nodejs);
        for (JsonNode family : runtimes) {
            int defaults = 0;
            for (JsonNode r : family) {
                assertTrue(r.get("image").asText().startsWith("wisp/action-"), r.toString());
                assertEquals(false, r.get("deprecated").asBoolean(), r.toString());
                defaults += r.get("default").asBoolean() ? 1 : 0;
            }
            assertEquals(1, defaults, family.toString());
        }
        assertEquals(true, runtimes.get("nodejs").get(1).get("default").asBoolean(), "nodejs:20 is the default");
    }

    @Test
    void theApiVersionDocument() {
        ObjectNode v1 = InfoApi.apiV1();
        assertEquals("1.0.0", v1.get("api_version").asText());
        assertEquals("v1", v1.get("api_version_path").asText());
    }
}
