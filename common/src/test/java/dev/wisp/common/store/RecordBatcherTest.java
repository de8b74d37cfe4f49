package dev.wisp.common.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.wisp.common.codec.Json;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecordBatcherTest {
    private static String withId(String id, String json) {
        return new String(RecordBatcher.withId(id, json.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
    }

    @Test
    void theDocumentIsTheRecordWithItsIdInFront() {
        assertEquals("{\"_id\":\"abc\",\"a\":1,\"b\":{\"c\":\"\u00e9\"}}", withId("abc", "{\"a\":1,\"b\":{\"c\":\"\u00e9\"}}"));
        assertEquals(Json.parseUserJson("{\"_id\":\"abc\"}".getBytes(StandardCharsets.UTF_8)),
                Json.parseUserJson(RecordBatcher.withId("abc", " { } ".getBytes(StandardCharsets.UTF_8))),
                "an empty object gets no stray comma");
        assertEquals("{\"_id\":\"a\\\"b\",\"x\":true}", withId("a\"b", "{\"x\":true}"), "the id is quoted as JSON");
        assertThrows(IllegalArgumentException.class, () -> withId("abc", "[1]"));
    }

    @Test
    void eachDocumentOfABatchIsStoredAlreadyThereOrLeftToBeWrittenAlone() {
        Map<String, Boolean> answers = RecordBatcher.answers(Json.parseUserJson(("["
                + "{\"ok\":true,\"id\":\"stored\",\"rev\":\"1-a\"},"
                + "{\"id\":\"there\",\"error\":\"conflict\",\"reason\":\"Document update conflict.\"},"
                + "{\"id\":\"refused\",\"error\":\"forbidden\",\"reason\":\"no\"},"
                + "{\"error\":\"unknown_error\"}]").getBytes(StandardCharsets.UTF_8)));
        assertEquals(Map.of("stored", true, "there", false), answers,
                "a document answered with anything but its revision or a conflict is not settled by the batch");
    }
}
