package dev.wisp.controller.api.request;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wisp.common.codec.Json;
import dev.wisp.common.config.Limits;
import dev.wisp.common.entity.WhiskAction;
import dev.wisp.common.error.WispException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** What OpenWhisk adds to an action on create and update, and the code it accepts. */
class ActionRequestTest {
    private final ActionRequest requests = new ActionRequest(Limits.DEFAULT);

    private static ObjectNode body(String json) {
        return (ObjectNode) Json.parseUserJson(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String annotations(WhiskAction a) {
        return new String(Json.encode(a.annotations()));
    }

    @Test
    void aNewActionGetsTheConcreteKindItsExecAnnotationAndNoApiKey() {
        WhiskAction a = requests.toAction("guest", "a", body(
                "{\"exec\":{\"kind\":\"nodejs:default\",\"code\":\"x\"},\"annotations\":[{\"key\":\"web-export\","
                        + "\"value\":true},{\"key\":\"exec\",\"value\":\"mine\"}]}"), null);
        assertEquals("nodejs:20", a.exec().kind());
        assertEquals("[{\"key\":\"web-export\",\"value\":true},{\"key\":\"exec\",\"value\":\"nodejs:20\"},"
                + "{\"key\":\"provide-api-key\",\"value\":false}]", annotations(a));
    }

    @Test
    void aProvideApiKeySetByTheCreatorIsKept() {
        WhiskAction a = requests.toAction("guest", "a", body("{\"exec\":{\"kind\":\"python:3\",\"code\":\"x\"},"
                + "\"annotations\":[{\"key\":\"provide-api-key\",\"value\":true}]}"), null);
        assertEquals("[{\"key\":\"provide-api-key\",\"value\":true},{\"key\":\"exec\",\"value\":\"python:3\"}]",
                annotations(a));
    }

    @Test
    void anUpdateFollowsTheNewKindAndAddsNoApiKeyAnnotation() {
        WhiskAction old = requests.toAction("guest", "a", body("{\"exec\":{\"kind\":\"nodejs:18\",\"code\":\"x\"},"
                + "\"annotations\":[{\"key\":\"provide-api-key\",\"value\":true}]}"), null);
        WhiskAction updated = requests.toAction("guest", "a", body("{\"exec\":{\"kind\":\"java:default\","
                + "\"code\":\"x\",\"main\":\"A\"},\"delAnnotations\":[\"provide-api-key\"]}"), old);
        assertEquals("java:17", updated.exec().kind());
        assertEquals("[{\"key\":\"exec\",\"value\":\"java:17\"}]", annotations(updated));
    }

    @Test
    void emptyCodeIsAcceptedAMissingOneIsNot() {
        WhiskAction a = requests.toAction("guest", "a", body("{\"exec\":{\"kind\":\"nodejs:20\",\"code\":\"\"}}"),
                null);
        assertEquals("", a.exec().code());
        assertEquals(false, a.exec().binary());
        WispException e = assertThrows(WispException.class, () -> requests.toAction("guest", "a",
                body("{\"exec\":{\"kind\":\"nodejs:20\"}}"), null));
        assertEquals(400, e.status());
        assertTrue(e.getMessage().contains("missing 'exec.code'"), e.getMessage());
    }

    @Test
    void aBlackboxActionsBlankCodeIsNoCode() {
        WhiskAction a = requests.toAction("guest", "a",
                body("{\"exec\":{\"kind\":\"blackbox\",\"image\":\"me/img\",\"code\":\" \"}}"), null);
        assertNull(a.exec().code());
        assertThrows(WispException.class, () -> requests.toAction("guest", "a",
                body("{\"exec\":{\"kind\":\"blackbox\",\"code\":\"\"}}"), null));
    }
}
