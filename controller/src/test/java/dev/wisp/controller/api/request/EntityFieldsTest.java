package dev.wisp.controller.api.request;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.wisp.common.codec.Json;
import dev.wisp.common.entity.KeyValue;
import dev.wisp.common.entity.SemVer;
import dev.wisp.common.error.WispException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * How an update's annotations combine with the old ones, per kind as OpenWhisk does it: an action's honour
 * {@code delAnnotations}; a trigger's and a rule's merge by key (OpenWhisk reads no {@code delAnnotations} there,
 * so it changes nothing); a package's are replaced.
 */
class EntityFieldsTest {
    private static final List<KeyValue> OLD = List.of(new KeyValue("keep", TextNode.valueOf("k")),
            new KeyValue("drop", BooleanNode.TRUE));

    private static ObjectNode body(String json) {
        return (ObjectNode) Json.parseUserJson(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String keys(List<KeyValue> annotations) {
        return String.join(",", annotations.stream().map(KeyValue::key).toList());
    }

    @Test
    void anActionsUpdateDeletesTheNamedAnnotationsThenMergesTheNewOnes() {
        ObjectNode update = body("{\"delAnnotations\":[\"drop\",\"absent\"],\"annotations\":[{\"key\":\"new\","
                + "\"value\":1},{\"key\":\"keep\",\"value\":\"k2\"}]}");
        List<KeyValue> merged = EntityFields.annotations(update, OLD, true);
        assertEquals("keep,new", keys(merged));
        assertEquals("k2", merged.get(0).value().asText());
        assertEquals("keep", keys(EntityFields.annotations(body("{\"delAnnotations\":[\"drop\"]}"), OLD, true)));
    }

    @Test
    void delAnnotationsMustBeAnArrayOfStrings() {
        for (String bad : List.of("\"drop\"", "[1]", "{}", "[\"drop\",null]")) {
            WispException e = assertThrows(WispException.class,
                    () -> EntityFields.annotations(body("{\"delAnnotations\":" + bad + "}"), OLD, true));
            assertEquals(400, e.status());
            assertEquals("The field 'delAnnotations' must be an array of strings.", e.getMessage());
        }
    }

    @Test
    void triggersAndRulesMergeByKeyAndIgnoreDelAnnotationsAsOpenWhiskDoes() {
        ObjectNode update = body("{\"delAnnotations\":[\"drop\"],\"annotations\":[{\"key\":\"new\",\"value\":1}]}");
        assertEquals("keep,drop,new", keys(EntityFields.annotations(update, OLD)));
        assertEquals(OLD, EntityFields.annotations(body("{\"delAnnotations\":[\"drop\"]}"), OLD));
        assertEquals(OLD, EntityFields.annotations(body("{\"delAnnotations\":\"not even an array\"}"), OLD));
    }

    @Test
    void aPackagesAnnotationsAreReplaced() {
        assertEquals("new", keys(EntityFields.replacedAnnotations(
                body("{\"annotations\":[{\"key\":\"new\",\"value\":1}]}"), OLD)));
        assertEquals(OLD, EntityFields.replacedAnnotations(body("{}"), OLD));
        assertEquals("", keys(EntityFields.replacedAnnotations(body("{\"annotations\":null}"), OLD)));
    }

    @Test
    void absentFieldsKeepTheOldValuesAndTheVersionIsBumped() {
        ObjectNode empty = body("{}");
        assertEquals(OLD, EntityFields.parameters(empty, OLD));
        assertEquals(true, EntityFields.publish(empty, true));
        assertEquals(SemVer.parse("0.0.3"), EntityFields.version(empty, SemVer.parse("0.0.2")));
        assertEquals(SemVer.INITIAL, EntityFields.version(empty, null));
        assertEquals(SemVer.parse("1.2.3"), EntityFields.version(body("{\"version\":\"1.2.3\"}"), null));
        assertEquals(400, assertThrows(WispException.class,
                () -> EntityFields.version(body("{\"version\":1}"), null)).status());
        assertEquals(400, assertThrows(WispException.class,
                () -> EntityFields.publish(body("{\"publish\":\"yes\"}"), false)).status());
    }
}
