package dev.wisp.controller.api.request;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wisp.common.codec.Json;
import dev.wisp.common.config.Limits;
import dev.wisp.common.entity.KeyValue;
import dev.wisp.common.entity.SemVer;
import dev.wisp.common.error.WispException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one parser of the fields every entity kind has in a {@code PUT} body ({@code parameters},
 * {@code annotations}, {@code publish}, {@code version}) and of the JSON values they are made of, each checked
 * with a message a user can act on. An update's absent field keeps the old value ({@code old}; for a create the
 * kind's default). How annotations combine differs by kind, as in OpenWhisk:
 * <ul>
 *   <li>an action's: the old ones minus {@code delAnnotations}, overridden by the new ones by key
 *       ({@link #annotations(ObjectNode, List, boolean) deletions} allowed: OpenWhisk reads
 *       {@code delAnnotations} for actions only, and ignores it on the other kinds);</li>
 *   <li>a trigger's and a rule's: the old ones overridden by the new ones by key;</li>
 *   <li>a package's: the new ones in place of the old ({@link #replacedAnnotations}).</li>
 * </ul>
 */
public final class EntityFields {
    private EntityFields() {
    }

    /** The parameters given (null is none), else the old ones. */
    public static List<KeyValue> parameters(ObjectNode body, List<KeyValue> old) {
        return body.has("parameters") ? keyValues("parameters", body.get("parameters")) : old;
    }

    /** The old annotations overridden by the new ones by key, as OpenWhisk merges a trigger's or a rule's. */
    public static List<KeyValue> annotations(ObjectNode body, List<KeyValue> old) {
        return annotations(body, old, false);
    }

    /**
     * The old annotations, minus those {@code delAnnotations} names when {@code deletions} (an action's), overridden
     * by the new ones by key.
     */
    public static List<KeyValue> annotations(ObjectNode body, List<KeyValue> old, boolean deletions) {
        boolean deleting = deletions && body.hasNonNull("delAnnotations");
        if (!deleting && !body.has("annotations")) {
            return old;
        }
        Map<String, KeyValue> merged = new LinkedHashMap<>();
        old.forEach(a -> merged.put(a.key(), a));
        if (deleting) {
            strings("delAnnotations", body.get("delAnnotations")).forEach(merged::remove);
        }
        if (body.has("annotations")) {
            keyValues("annotations", body.get("annotations")).forEach(a -> merged.put(a.key(), a));
        }
        return List.copyOf(merged.values());
    }

    /** The annotations given in place of the old ones, as OpenWhisk updates a package's. */
    public static List<KeyValue> replacedAnnotations(ObjectNode body, List<KeyValue> old) {
        return body.has("annotations") ? keyValues("annotations", body.get("annotations")) : old;
    }

    /** The {@code publish} given, else the old value. */
    public static boolean publish(ObjectNode body, boolean old) {
        return body.hasNonNull("publish") ? bool("publish", body.get("publish")) : old;
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

    /**
     * Refuses bound parameters and annotations that together exceed the payload limit (they travel with every
     * activation).
     *
     * @throws WispException TOO_LARGE naming the limit
     */
    public static void checkBoundSize(List<KeyValue> parameters, List<KeyValue> annotations, Limits limits) {
        int boundSize = Json.encode(parameters).length + Json.encode(annotations).length;
        if (boundSize > limits.payloadBytes()) {
            throw WispException.tooLarge("The parameters and annotations are " + boundSize + " bytes, which exceeds"
                    + " the payload limit of " + limits.payloadBytes() + " bytes.");
        }
    }

    /** An array of {@code {"key", "value"}} objects, each with a non-empty string key; null is none. */
    public static List<KeyValue> keyValues(String field, JsonNode node) {
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

    /** An array of strings. */
    public static List<String> strings(String field, JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node.isArray()) {
            for (JsonNode s : node) {
                if (!s.isTextual()) {
                    break;
                }
                out.add(s.asText());
            }
            if (out.size() == node.size()) {
                return out;
            }
        }
        throw WispException.badRequest("The field '" + field + "' must be an array of strings.");
    }

    /** A string, or null when absent and not {@code required}. */
    public static String text(String field, JsonNode v, boolean required) {
        if (v == null || v.isNull()) {
            if (required) {
                throw WispException.badRequest("The field '" + field + "' is required.");
            }
            return null;
        }
        if (!v.isTextual()) {
            throw WispException.badRequest("The field '" + field + "' must be a string.");
        }
        return v.asText();
    }

    /** {@code true} or {@code false}, nothing else. */
    public static boolean bool(String field, JsonNode v) {
        if (!v.isBoolean()) {
            throw WispException.badRequest("The field '" + field + "' must be true or false.");
        }
        return v.booleanValue();
    }
}
