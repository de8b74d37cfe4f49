package dev.wisp.controller.api.request;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wisp.common.entity.KeyValue;
import dev.wisp.common.entity.SemVer;
import dev.wisp.common.error.WispException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fields triggers and rules share with actions in a {@code PUT} body ({@code parameters}, {@code annotations},
 * {@code publish}, {@code version}), checked with messages a user can act on. Absent fields keep the old values.
 */
public final class EntityFields {
    private EntityFields() {
    }

    public static List<KeyValue> parameters(ObjectNode body, List<KeyValue> old) {
        return body.has("parameters") ? keyValues("parameters", body.get("parameters")) : old;
    }

    /** The old annotations overridden by the new ones by key, as OpenWhisk merges them. */
    public static List<KeyValue> annotations(ObjectNode body, List<KeyValue> old) {
        if (!body.has("annotations")) {
            return old;
        }
        Map<String, KeyValue> merged = new LinkedHashMap<>();
        old.forEach(a -> merged.put(a.key(), a));
        keyValues("annotations", body.get("annotations")).forEach(a -> merged.put(a.key(), a));
        return List.copyOf(merged.values());
    }

    public static boolean publish(ObjectNode body, boolean old) {
        JsonNode v = body.get("publish");
        if (v == null || v.isNull()) {
            return old;
        }
        if (!v.isBoolean()) {
            throw WispException.badRequest("The field 'publish' must be true or false.");
        }
        return v.booleanValue();
    }

    /** The version given, else the old one bumped, else the first. */
    public static SemVer version(ObjectNode body, SemVer old) {
        JsonNode v = body.get("version");
        if (v == null || v.isNull()) {
            return old == null ? SemVer.INITIAL : old.bump();
        }
        try {
            if (v.isTextual()) {
                return SemVer.parse(v.asText());
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw WispException.badRequest("The field 'version' must be a version such as \"0.0.1\".");
    }

    private static List<KeyValue> keyValues(String field, JsonNode node) {
        if (node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw WispException.badRequest("The field '" + field + "' must be an array of {\"key\", \"value\"} objects.");
        }
        List<KeyValue> out = new ArrayList<>();
        for (JsonNode kv : node) {
            if (!kv.isObject() || !kv.path("key").isTextual() || kv.path("key").asText().isEmpty()) {
                throw WispException.badRequest("Each entry of '" + field + "' must be an object with a non-empty"
                        + " string 'key' and a 'value'.");
            }
            out.add(new KeyValue(kv.get("key").asText(), kv.has("value") ? kv.get("value") : null));
        }
        return out;
    }
}
